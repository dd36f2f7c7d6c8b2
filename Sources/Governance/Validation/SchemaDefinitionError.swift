/// Why a workspace config's `schemas` member is not a valid set of schema
/// definitions. The caller rejects the whole config (the previous one stays,
/// SPEC §5) and reports this in its logs and metrics.
public struct SchemaDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the config, e.g. `schemas.order_placed.properties.amount`.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
