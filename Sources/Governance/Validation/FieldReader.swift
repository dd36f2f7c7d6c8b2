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
    static func requiredString(_ value: (some ReadableField)?, _ field: String, length: ClosedRange<Int>? = nil) throws(FieldProblem) -> String {
        guard let value = present(value) else { throw missing(field) }
        return try string(value, field, length: length)
    }

    static func optionalString(_ value: (some ReadableField)?, _ field: String) throws(FieldProblem) -> String? {
        guard let value = present(value) else { return nil }
        return try string(value, field, length: nil)
    }

    /// The bytes of an object value, when present (its members are read later, if at all).
    static func optionalObject(_ value: ScannedField?, _ field: String) throws(FieldProblem) -> Range<Int>? {
        guard let value = present(value) else { return nil }
        guard value.value.kind == .object else { throw wrongType(field, "an object", value) }
        return value.value.range
    }

    static func optionalBool(_ value: ScannedField?, _ field: String) throws(FieldProblem) -> Bool? {
        guard let value = present(value) else { return nil }
        guard value.value.kind == .boolean else { throw wrongType(field, "a boolean", value) }
        return value.value.bool
    }

    /// Checks that the value, when present, is a string or a number.
    static func checkStringOrNumber(_ value: ScannedField?, _ field: String) throws(FieldProblem) {
        guard let value = present(value) else { return }
        guard value.value.kind == .string || value.value.kind == .number else {
            throw wrongType(field, "a string or a number", value)
        }
    }

    static func missing(_ field: String) -> FieldProblem {
        FieldProblem(reason: .missingField, field: field, detail: "required field '\(field)' is missing or null")
    }

    /// The value with `null` read as absent.
    @inline(__always)
    private static func present<Value: ReadableField>(_ value: Value?) -> Value? {
        guard let value, !value.isNull else { return nil }
        return value
    }

    private static func string(_ value: some ReadableField, _ field: String, length: ClosedRange<Int>?) throws(FieldProblem) -> String {
        guard let string = value.stringValue else { throw wrongType(field, "a string", value) }
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

    private static func wrongType(_ field: String, _ expected: String, _ value: some ReadableField) -> FieldProblem {
        FieldProblem(reason: .invalidField, field: field, detail: "'\(field)' must be \(expected), got \(value.typeName)")
    }
}

/// A field's value as the checks read it: a parsed `JSONValue` (outbound messages)
/// or a `JSONFieldValue` of a member scan (raw events).
protocol ReadableField {
    var isNull: Bool { get }
    var stringValue: String? { get }
    var typeName: String { get }
}

extension JSONValue: ReadableField {}

/// A member found by a scan of a raw event (`JSONParser.scanFields`), with the
/// bytes its string decodes from (valid while the event's value is).
struct ScannedField: ReadableField {
    let value: JSONFieldValue
    let bytes: UnsafeBufferPointer<UInt8>

    var isNull: Bool { value.isNull }
    var stringValue: String? { value.string(in: bytes) }
    var typeName: String { value.kind.name }
}
