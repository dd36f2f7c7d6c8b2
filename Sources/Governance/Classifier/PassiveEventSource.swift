/// One producer family's passive event names (SPEC §8), kept in SPEC order so the
/// generated ClickHouse SQL reads like the SPEC list.
public struct PassiveEventSource: Sendable, Equatable {
    /// A short identifier, used as a comment in the generated SQL.
    public let name: String
    /// The names, in SPEC order.
    public let names: [String]
    /// The same names, for lookups.
    public let set: Set<String>

    public init(name: String, names: [String]) {
        self.name = name
        self.names = names
        self.set = Set(names)
    }
}
