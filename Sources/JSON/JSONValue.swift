/// A JSON value that keeps what a byte-faithful pipeline needs: object members in
/// the order they were written and numbers as their original text.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number kept as its literal text (e.g. `1.50`, `1e3`), so re-serializing
/// an event writes exactly the number the producer sent.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's JSON text.
    public let text: String

    /// Wraps text that is already a valid JSON number (the parser's job to check).
    public init(text: String) { self.text = text }
    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Int) { self.text = String(value) }

    /// A double as its shortest round-trip text; non-finite values have no JSON form
    /// and become 0.
    public init(_ value: Double) {
        if !value.isFinite {
            self.text = "0"
        } else if value == value.rounded(), abs(value) < 9.0e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    /// The value when the literal has no fraction or exponent and fits in 64 bits.
    public var int64Value: Int64? { Int64(text) }

    /// The value as a double (always available for a valid JSON number).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// True when the number's value is integral (`3`, `3.0`, `3e2`).
    public var isIntegral: Bool {
        if int64Value != nil { return true }
        let d = doubleValue
        return d.isFinite && d == d.rounded()
    }

    public var description: String { text }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object whose members keep their written order. Keys are unique: the
/// parser keeps a repeated key at its first position with its last value (as
/// JavaScript's `JSON.parse` does). Lookups are linear, which beats hashing for
/// the small objects events carry.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    public private(set) var members: [JSONMember]

    public init() { members = [] }

    /// Builds an object from members; a repeated key keeps its first position and last value.
    public init(_ members: [JSONMember]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> JSONMember { members[position] }

    /// The member values by key. Setting `nil` removes the key; setting an existing
    /// key replaces its value in place; a new key is appended.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(JSONMember(key: key, value: newValue))
            }
        }
    }

    /// The keys in written order.
    public var keys: [String] { members.map(\.key) }

    /// Appends a member without checking for an existing key; for builders that
    /// know their keys are distinct.
    public mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append(JSONMember(key: key, value: value))
    }

    /// Replaces the value of the member at `position`, keeping its key and place
    /// (the parser's repeated keys).
    mutating func replaceValue(at position: Int, with value: JSONValue) {
        members[position].value = value
    }
}

extension JSONValue {
    /// The string when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    /// The object when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    /// The boolean when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    /// The number when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }
    /// True for JSON `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
    /// The member `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    /// The JSON type name: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONMember(key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// A string, or `null` when `nil`.
    public static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// An integer number.
    public static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
    /// An integer number.
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    /// A floating-point number.
    public static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
}
