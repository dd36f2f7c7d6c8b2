/// The plan figures usage metering compares against (SPEC §5, §8), taken from the
/// workspace's effective config at each record; −1 means unlimited.
public struct UsagePlan: Sendable, Equatable {
    public var mode: MAUMode
    /// `mau_included`.
    public var mauIncluded: Int64
    /// `events_per_month`.
    public var eventsPerMonth: Int64
    /// `peak_concurrent_connections`.
    public var peakConcurrentConnections: Int64
    /// The most connections counted open (`EngineSettings.openConnectionsMax`, not a
    /// plan figure: a memory bound, SPEC §11).
    public var openConnectionsMax = 1_000_000

    public init(mode: MAUMode, mauIncluded: Int64, eventsPerMonth: Int64, peakConcurrentConnections: Int64) {
        self.mode = mode
        self.mauIncluded = mauIncluded
        self.eventsPerMonth = eventsPerMonth
        self.peakConcurrentConnections = peakConcurrentConnections
    }

    /// Overage packs: `ceil(max(0, MAU − included) / 5000)`; none when MAU is unlimited.
    public func overagePacks(mau: Int64) -> Int64 {
        guard mauIncluded >= 0, mau > mauIncluded else { return 0 }
        return (mau - mauIncluded + 4_999) / 5_000
    }
}
