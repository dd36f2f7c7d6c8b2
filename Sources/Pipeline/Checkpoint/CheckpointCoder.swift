import Governance

/// The checkpoint and its binary state coder as the micro-benchmarks in `Benchmarks/`
/// (a separate package, which sees only public API) call them: SPI, not for
/// production callers, so `StateCheckpoint` and the coder stay internal.
@_spi(Benchmarks) public struct CheckpointCoder: Sendable {
    private let checkpoint = StateCheckpoint()
    private let encoder = BinaryStateEncoder()
    private let keyEncoder = BinaryStateEncoder(userInfo: [.canonicalStrings: true])
    private let decoder = BinaryStateDecoder()

    public init() {}

    /// `StateCheckpoint.snapshot`: every live entry as (state key, value).
    public func snapshot(engine: inout GovernanceEngine, org: inout OrgStage) throws -> [(key: [UInt8], value: [UInt8]?)] {
        try checkpoint.snapshot(engine: &engine, org: &org)
    }

    /// `StateCheckpoint.drainChanges`: the entries changed since the last call.
    public func drainChanges(engine: inout GovernanceEngine, org: inout OrgStage) throws -> [(key: [UInt8], value: [UInt8]?)] {
        try checkpoint.drainChanges(engine: &engine, org: &org)
    }

    /// `StateCheckpoint.restore`: the state from the entries a replay left.
    public func restore(_ state: [[UInt8]: [UInt8]], settings: EngineSettings) throws -> (GovernanceEngine, OrgStage) {
        try checkpoint.restore(state, settings: settings)
    }

    /// One value as a map entry's value (`key: false`) or key (`key: true`: strings in NFC).
    public func encode<T: Encodable>(_ value: T, key: Bool) throws -> [UInt8] {
        try (key ? keyEncoder : encoder).encode(value)
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder.decode(type, from: bytes)
    }
}
