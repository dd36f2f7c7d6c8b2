import JSON

/// The property types a workspace schema may name (SPEC §5 `schemas`), with
/// JSON Schema's meaning: `integer` is any number with no fractional part, so
/// `2`, `2.0` and `2e3` are integers and `2.5` is not; `number` is any number.
public enum PropertyType: String, Sendable, Hashable, Codable, CaseIterable {
    case string, number, integer, boolean, object, array

    /// Whether `value` has this type; `null` never does.
    public func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array): true
        case (.integer, .number(let number)): number.isIntegral
        default: false
        }
    }
}
