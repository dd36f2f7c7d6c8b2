import JSON

/// Reads typed fields out of one JSON object with the stage-4 rules of SPEC §6:
/// an absent or `null` field is missing (an error only when it is required), a
/// present field of the wrong JSON type or with a length out of bounds is
/// invalid. Lengths count Unicode scalars (see `Text`). `path` prefixes the
/// reported field name, e.g. `context.` for `context.connection_id`.
struct FieldReader {
    let object: JSONObject
    let path: String

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// The member, with `null` read as absent.
    @inline(__always)
    func present(_ name: String) -> JSONValue? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func requiredString(_ name: String, length: ClosedRange<Int>? = nil) throws(FieldProblem) -> String {
        guard let value = present(name) else { throw missing(name) }
        return try string(name, value, length: length)
    }

    func optionalString(_ name: String, length: ClosedRange<Int>? = nil) throws(FieldProblem) -> String? {
        guard let value = present(name) else { return nil }
        return try string(name, value, length: length)
    }

    func optionalObject(_ name: String) throws(FieldProblem) -> JSONObject? {
        guard let value = present(name) else { return nil }
        guard case .object(let object) = value else { throw wrongType(name, "an object", value) }
        return object
    }

    func optionalBool(_ name: String) throws(FieldProblem) -> Bool? {
        guard let value = present(name) else { return nil }
        guard case .bool(let bool) = value else { throw wrongType(name, "a boolean", value) }
        return bool
    }

    /// Checks that the member, when present, is a string or a number.
    func checkStringOrNumber(_ name: String) throws(FieldProblem) {
        guard let value = present(name) else { return }
        switch value {
        case .string, .number: return
        default: throw wrongType(name, "a string or a number", value)
        }
    }

    func missing(_ name: String) -> FieldProblem {
        FieldProblem(reason: .missingField, field: path + name, detail: "required field '\(path + name)' is missing or null")
    }

    private func string(_ name: String, _ value: JSONValue, length: ClosedRange<Int>?) throws(FieldProblem) -> String {
        guard case .string(let string) = value else { throw wrongType(name, "a string", value) }
        if let length {
            // A string has at most as many scalars as bytes and at least one when
            // non-empty, so with a lower bound of 0 or 1 most values need no count.
            let bytes = string.utf8.count
            if bytes < length.lowerBound || bytes > length.upperBound || length.lowerBound > 1 {
                let scalars = Text.scalarCount(string)
                if !length.contains(scalars) {
                    throw FieldProblem(
                        reason: .invalidField,
                        field: path + name,
                        detail: "'\(path + name)' must be \(length.lowerBound)–\(length.upperBound) characters, got \(scalars)"
                    )
                }
            }
        }
        return string
    }

    private func wrongType(_ name: String, _ expected: String, _ value: JSONValue) -> FieldProblem {
        FieldProblem(
            reason: .invalidField,
            field: path + name,
            detail: "'\(path + name)' must be \(expected), got \(value.typeName)"
        )
    }
}
