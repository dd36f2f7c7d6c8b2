import JSON

/// A workspace's event schemas (SPEC §5 `schemas`, §6 stage 10), keyed by event
/// name exactly as the config writes it (matched against the trimmed or implicit
/// event name, so `page_view` can have a schema too).
///
/// The accepted shape, anything else being a `SchemaDefinitionError`:
/// `{"<name>": {"required": ["<property>", …], "properties": {"<property>": "<type>", …}}, …}`
/// with both members optional, `null` read as absent, types among
/// `PropertyType`, and no other members (so a misspelt `requried` is caught
/// instead of silently checking nothing).
public struct EventSchemas: Sendable, Hashable {
    public private(set) var byName: [String: EventSchema]

    /// No schemas: every event passes stage 10.
    public init() { byName = [:] }

    public init(_ byName: [String: EventSchema]) { self.byName = byName }

    /// Parses the config's `schemas` member; absent (nil) or `null` means no schemas.
    public init(parsing value: JSONValue?) throws(SchemaDefinitionError) {
        byName = [:]
        guard let value, !value.isNull else { return }
        guard case .object(let schemas) = value else {
            throw SchemaDefinitionError(path: "schemas", message: "must be an object, got \(value.typeName)")
        }
        for member in schemas {
            byName[member.key] = try Self.parseSchema(member.value, path: "schemas.\(member.key)")
        }
    }

    public subscript(name: String) -> EventSchema? { byName[name] }

    /// Stage 10: `schema_mismatch` when the workspace defined a schema for the
    /// event's name and its `properties` break it; the detail lists every problem.
    public func check(_ event: RawEvent) -> ValidationFailure? {
        guard let schema = byName[event.name] else { return nil }
        let problems = schema.problems(in: event.properties)
        guard !problems.isEmpty else { return nil }
        return ValidationFailure(
            reason: .schemaMismatch,
            detail: "event '\(event.name)': " + problems.joined(separator: "; "),
            messageID: event.messageID,
            workspaceID: event.workspaceID
        )
    }

    private static func parseSchema(_ value: JSONValue, path: String) throws(SchemaDefinitionError) -> EventSchema {
        guard case .object(let object) = value else {
            throw SchemaDefinitionError(path: path, message: "must be an object, got \(value.typeName)")
        }
        var schema = EventSchema()
        for member in object {
            switch member.key {
            case "required": schema.required = try parseRequired(member.value, path: path + ".required")
            case "properties": schema.properties = try parseProperties(member.value, path: path + ".properties")
            default:
                throw SchemaDefinitionError(
                    path: path + "." + member.key,
                    message: "unknown member (a schema has only 'required' and 'properties')"
                )
            }
        }
        return schema
    }

    private static func parseRequired(_ value: JSONValue, path: String) throws(SchemaDefinitionError) -> [String] {
        if value.isNull { return [] }
        guard case .array(let elements) = value else {
            throw SchemaDefinitionError(path: path, message: "must be an array of property names, got \(value.typeName)")
        }
        var names: [String] = []
        var seen: Set<String> = []
        for (index, element) in elements.enumerated() {
            guard case .string(let name) = element else {
                throw SchemaDefinitionError(path: "\(path)[\(index)]", message: "must be a string, got \(element.typeName)")
            }
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    private static func parseProperties(_ value: JSONValue, path: String) throws(SchemaDefinitionError) -> [EventSchema.TypedProperty] {
        if value.isNull { return [] }
        guard case .object(let object) = value else {
            throw SchemaDefinitionError(path: path, message: "must be an object of property types, got \(value.typeName)")
        }
        var properties: [EventSchema.TypedProperty] = []
        for member in object {
            guard case .string(let typeName) = member.value, let type = PropertyType(rawValue: typeName) else {
                throw SchemaDefinitionError(
                    path: path + "." + member.key,
                    message: "type must be one of string, number, integer, boolean, object, array; got \(member.value.serialized)"
                )
            }
            properties.append(EventSchema.TypedProperty(name: member.key, type: type))
        }
        return properties
    }
}
