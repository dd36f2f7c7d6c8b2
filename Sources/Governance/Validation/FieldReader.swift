import JSON

/// The stage-4 checks of SPEC §6 for one field's value: an absent or `null`
/// value is missing (an error only when the field is required), a present value
/// of the wrong JSON type or with a length out of bounds is invalid. Lengths
/// count Unicode scalars (see `Text`). `field` is the name reported, nested names
/// joined with dots (`context.connection_id`).
///
/// The values come from one pass over the object's members (see `EventFields`):
/// looking each field up by name cost as much as parsing the event.
enum FieldReader {
    static func requiredString(_ value: JSONValue?, _ field: String, length: ClosedRange<Int>? = nil) throws(FieldProblem) -> String {
        guard let value = present(value) else { throw missing(field) }
        return try string(value, field, length: length)
    }

    static func optionalString(_ value: JSONValue?, _ field: String) throws(FieldProblem) -> String? {
        guard let value = present(value) else { return nil }
        return try string(value, field, length: nil)
    }

    static func optionalObject(_ value: JSONValue?, _ field: String) throws(FieldProblem) -> JSONObject? {
        guard let value = present(value) else { return nil }
        guard case .object(let object) = value else { throw wrongType(field, "an object", value) }
        return object
    }

    static func optionalBool(_ value: JSONValue?, _ field: String) throws(FieldProblem) -> Bool? {
        guard let value = present(value) else { return nil }
        guard case .bool(let bool) = value else { throw wrongType(field, "a boolean", value) }
        return bool
    }

    /// Checks that the value, when present, is a string or a number.
    static func checkStringOrNumber(_ value: JSONValue?, _ field: String) throws(FieldProblem) {
        guard let value = present(value) else { return }
        switch value {
        case .string, .number: return
        default: throw wrongType(field, "a string or a number", value)
        }
    }

    static func missing(_ field: String) -> FieldProblem {
        FieldProblem(reason: .missingField, field: field, detail: "required field '\(field)' is missing or null")
    }

    /// The value with `null` read as absent.
    @inline(__always)
    private static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    private static func string(_ value: JSONValue, _ field: String, length: ClosedRange<Int>?) throws(FieldProblem) -> String {
        guard case .string(let string) = value else { throw wrongType(field, "a string", value) }
        if let length {
            // A string has at most as many scalars as bytes and at least one when
            // non-empty, so with a lower bound of 0 or 1 most values need no count.
            let bytes = string.utf8.count
            if bytes < length.lowerBound || bytes > length.upperBound || length.lowerBound > 1 {
                let scalars = Text.scalarCount(string)
                if !length.contains(scalars) {
                    throw FieldProblem(
                        reason: .invalidField,
                        field: field,
                        detail: "'\(field)' must be \(length.lowerBound)–\(length.upperBound) characters, got \(scalars)"
                    )
                }
            }
        }
        return string
    }

    private static func wrongType(_ field: String, _ expected: String, _ value: JSONValue) -> FieldProblem {
        FieldProblem(reason: .invalidField, field: field, detail: "'\(field)' must be \(expected), got \(value.typeName)")
    }
}
