/// What one metering call asks the engine to write.
///
/// Its init is outside the type's body and calls the memberwise one, which builds the
/// value in place where an init assigning each property built it aside and copied it.
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

    /// A workspace's connections after a change of its open count or peak: what the org
    /// stage needs to carry open connections into a new month for every workspace of
    /// the org (SPEC §6.3), even one without a record in that month yet.
    public struct ConnectionsReport: Sendable, Equatable {
        /// `YYYY-MM` of the record's month (its slot's peak).
        public var month: String
        public var peak: Int64
        /// Connections open now.
        public var open: Int64

        public init(month: String, peak: Int64, open: Int64) {
            self.month = month
            self.peak = peak
            self.open = open
        }
    }

    /// A `mau_first_active` record to write to `usage` (`active_events` mode).
    public var firstActive: MAUFirstActive?
    /// Feed to `OrgConnectionPeaks.raise` and write the returned `org_connections_peak` record.
    public var peakRaise: PeakRaise?
    /// Set whenever the open count or the peak changed (`connections` mode): the engine
    /// writes it as a `workspace_connections_peak` report.
    public var connectionsReport: ConnectionsReport?
    /// Open connections closed without a disconnect (idle past `ConnectionMeter.maxIdle`
    /// or over the bound), for `EvictionCounts.openConnections`.
    public var closedConnections = 0
    /// Notifications to request on `notification-requests`, in order.
    public var alerts: [UsageAlert]
}

extension UsageEffects {
    public init(firstActive: MAUFirstActive? = nil, peakRaise: PeakRaise? = nil, alerts: [UsageAlert] = []) {
        self.init(firstActive: firstActive, peakRaise: peakRaise, connectionsReport: nil, closedConnections: 0,
                  alerts: alerts)
    }
}
