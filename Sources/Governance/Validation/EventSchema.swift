import JSON

/// One workspace's schema for one event name (SPEC §5): property names that
/// must be present, and the types of the properties it names. Properties it
/// does not name may have any type.
public struct EventSchema: Sendable, Hashable {
    /// A property the schema types.
    public struct TypedProperty: Sendable, Hashable {
        public var name: String
        public var type: PropertyType

        public init(name: String, type: PropertyType) {
            self.name = name
            self.type = type
        }
    }

    /// Required property names, in the config's order, without repeats.
    public var required: [String]
    /// Typed properties, in the config's order.
    public var properties: [TypedProperty]

    public init(required: [String] = [], properties: [TypedProperty] = []) {
        self.required = required
        self.properties = properties
    }

    /// The problems of an event's `properties` (nil when it has none), in a fixed
    /// order: each required property that is absent or `null`, in `required`
    /// order, then each typed property that is present with another type (a
    /// `null` counts as type `null`), in `properties` order. A required property
    /// that is `null` is reported once, as missing.
    public func problems(in properties: JSONObject?) -> [String] {
        var problems: [String] = []
        var missing: Set<String> = []
        for name in required {
            let value = properties?[name]
            if value == nil || value == .null {
                problems.append("missing required property '\(name)'")
                missing.insert(name)
            }
        }
        for property in self.properties {
            guard let value = properties?[property.name], !missing.contains(property.name) else { continue }
            if !property.type.matches(value) {
                problems.append("property '\(property.name)' expected \(property.type.rawValue), got \(value.typeName)")
            }
        }
        return problems
    }
}
