/// What one metering call asks the engine to write.
public struct UsageEffects: Sendable, Equatable {
    /// The workspace's monthly peak of concurrent connections went up.
    public struct PeakRaise: Sendable, Equatable {
        /// `YYYY-MM`.
        public var month: String
        public var peak: Int64

        public init(month: String, peak: Int64) {
            self.month = month
            self.peak = peak
        }
    }

    /// A `mau_first_active` record to write to `usage` (`active_events` mode).
    public var firstActive: MAUFirstActive?
    /// Feed to `OrgConnectionPeaks.raise` and write the returned `org_connections_peak` record.
    public var peakRaise: PeakRaise?
    /// Notifications to request on `notification-requests`, in order.
    public var alerts: [UsageAlert]

    public init(firstActive: MAUFirstActive? = nil, peakRaise: PeakRaise? = nil, alerts: [UsageAlert] = []) {
        self.firstActive = firstActive
        self.peakRaise = peakRaise
        self.alerts = alerts
    }
}
