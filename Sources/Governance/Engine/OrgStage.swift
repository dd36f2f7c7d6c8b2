import JSON

/// The org-keyed stage behind the `notification-requests` repartition topic: the
/// per-(org, cap type) 24 h debouncer with its fan-out to `governance-notifications`
/// (SPEC §10), and the org's monthly connection peaks to `org-usage` (SPEC §8).
public struct OrgStage: Sendable, Equatable, Codable {
    public var debouncer = NotificationDebouncer()
    public var peaks = OrgConnectionPeaks()

    public init() {}

    /// Processes one `notification-requests` record. A record that is neither a
    /// request nor a peak report is reported as an error (it is not ours).
    public mutating func process(value: [UInt8], timestamp: StreamTime, into out: inout [OutputRecord])
        throws(NotificationRequestError)
    {
        // Its timestamp stamps the org's outputs (`org-usage`): one outside the range the
        // engine governs comes from outside the pipeline and is refused like a bad value.
        guard StreamTimeRange.contains(timestamp) else { throw NotificationRequestError.invalidTimestamp(timestamp) }
        guard let parsed = try? JSONParser.parse(value).value else { throw NotificationRequestError.notAnObject }
        if let report = WorkspacePeakReport(json: parsed) {
            raise(report, timestamp: timestamp, into: &out)
            return
        }
        let request = try NotificationRequest(json: parsed)
        for notification in debouncer.process(request) {
            out.append(OutputRecord(topic: Topic.governanceNotifications, key: request.orgID, value: notification,
                                    timestamp: request.streamTimeMs))
        }
    }

    /// `process(value: report.jsonBytes, …)` without the bytes: a report the engine of
    /// the same run wrote (`OfflineRun`), whose bytes parse back to an equal report.
    public mutating func process(report: WorkspacePeakReport, timestamp: StreamTime, into out: inout [OutputRecord])
        throws(NotificationRequestError)
    {
        guard StreamTimeRange.contains(timestamp) else { throw NotificationRequestError.invalidTimestamp(timestamp) }
        raise(report, timestamp: timestamp, into: &out)
    }

    private mutating func raise(_ report: WorkspacePeakReport, timestamp: StreamTime, into out: inout [OutputRecord]) {
        if let record = peaks.raise(orgID: report.orgID, workspaceID: report.workspaceID, month: report.month,
                                    peak: report.peak, open: report.open) {
            out.append(OutputRecord(topic: Topic.orgUsage, key: report.orgID, value: record, timestamp: timestamp))
        }
    }
}
