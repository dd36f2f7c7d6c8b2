import JSON

/// The SDK bootstrap hint of a workspace (SPEC §7), published to `governance-hints` on
/// every change of its registry, grace or plan, and served over HTTP: the SDK learns
/// which custom names are registered (as a Bloom filter), how many more it may add, and
/// whether grace is active.
public struct SDKHint: Sendable, Equatable {
    /// The `bloom_algo` value.
    public static let bloomAlgorithm = "mmh3_x86_32_km"
    /// How long an SDK may cache the hint.
    public static let ttlSeconds = 300

    public var workspaceID: String
    public var organizationID: String
    /// The registered custom names (the only members).
    public var filter: BloomFilter
    /// `max(0, cap − registered)`, or -1 when unlimited.
    public var remainingNewNames: Int
    public var graceActive: Bool

    public init(workspaceID: String, organizationID: String, filter: BloomFilter, remainingNewNames: Int, graceActive: Bool) {
        self.workspaceID = workspaceID
        self.organizationID = organizationID
        self.filter = filter
        self.remainingNewNames = remainingNewNames
        self.graceActive = graceActive
    }

    /// The hint of `registry` under `cap` (`nil` = unlimited) at stream time `t`.
    public init(workspaceID: String, organizationID: String, registry: NameRegistry, cap: Int?, at t: StreamTime) {
        self.init(
            workspaceID: workspaceID,
            organizationID: organizationID,
            filter: BloomFilter(members: Array(registry.names.keys)),
            remainingNewNames: registry.remainingNewNames(cap: cap),
            graceActive: registry.graceActive(at: t)
        )
    }

    /// The hint's JSON, keys in SPEC order:
    /// `{"propertyId":…,"organizationId":…,"eventGovernance":{"bloom_algo":…,"seed_a":0,"seed_b":1,"k":7,"m":…,"bloom_b64":…,"remaining_new_names":…,"grace_active":…,"ttl_seconds":300}}`.
    public var json: JSONValue {
        var governance = JSONObject()
        governance.appendUnchecked("bloom_algo", .string(Self.bloomAlgorithm))
        governance.appendUnchecked("seed_a", .int(Int64(BloomFilter.seedA)))
        governance.appendUnchecked("seed_b", .int(Int64(BloomFilter.seedB)))
        governance.appendUnchecked("k", .int(BloomFilter.hashCount))
        governance.appendUnchecked("m", .int(filter.bitCount))
        governance.appendUnchecked("bloom_b64", .string(filter.base64))
        governance.appendUnchecked("remaining_new_names", .int(remainingNewNames))
        governance.appendUnchecked("grace_active", .bool(graceActive))
        governance.appendUnchecked("ttl_seconds", .int(Self.ttlSeconds))
        var hint = JSONObject()
        hint.appendUnchecked("propertyId", .string(workspaceID))
        hint.appendUnchecked("organizationId", .string(organizationID))
        hint.appendUnchecked("eventGovernance", .object(governance))
        return .object(hint)
    }
}
