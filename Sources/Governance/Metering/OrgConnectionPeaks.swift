import JSON

/// An org's monthly peak of concurrent connections: the sum of its workspaces'
/// monthly peaks (SPEC §8), written to `org-usage` as `org_connections_peak` each time
/// one of its workspaces raises its peak (§6.3).
///
/// Keyed by org, so it must see every workspace of an org: run it where all of an
/// org's peak reports arrive (the org-keyed stage, like the debouncer), or in a
/// single-partition `governor check`. Each org keeps its latest two months (a
/// workspace may still be finishing the previous month, and a late record raises its
/// own month's peak, summed with the other workspaces' peaks of that month); a raise
/// for an older month is ignored.
///
/// Open connections carry over into a new month, whose peak starts at the number
/// open (§6.3): the stage remembers each workspace's open count from its reports,
/// and when the first report of a new month arrives for the org, every workspace
/// whose last report (of an earlier month) left connections open starts that month
/// at that count, even before it processes a record of the month itself.
public struct OrgConnectionPeaks: Sendable, Equatable, Codable {
    /// One org's peaks: month `YYYY-MM` → workspace id → that workspace's peak.
    public struct Months: Sendable, Equatable, Codable {
        public var peaks: [String: [String: Int64]] = [:]
        /// Workspace id → its open connections at its last report, when above zero
        /// (nil in state written before open counts were reported).
        public var open: [String: OpenConnections]? = nil
    }

    /// A workspace's open connections as of its last report, in that report's month.
    public struct OpenConnections: Sendable, Equatable, Codable {
        public var month: String
        public var count: Int64
    }

    /// Org id → its peaks. Public for checkpointing.
    public var orgs: TrackedMap<String, Months>

    public init() { orgs = TrackedMap() }

    /// Records that `workspaceID` of `orgID` reached `peak` in `month` with `open`
    /// connections open (nil: not reported).
    /// - Returns: the `org_connections_peak` record when this changed the org's peaks
    ///   for the month (the workspace's peak rose, or a new month started with carried
    ///   connections), nil otherwise (not higher, or a month already dropped).
    public mutating func raise(orgID: String, workspaceID: String, month: String, peak: Int64,
                               open: Int64? = nil) -> JSONValue? {
        var org = orgs[orgID] ?? Months()
        let kept = org.peaks.keys.sorted().suffix(2)
        if kept.count == 2, let oldest = kept.first, month < oldest { return nil }
        var changed = false
        var workspaces = org.peaks[month] ?? [:]
        if org.peaks[month] == nil, kept.allSatisfy({ $0 < month }) {
            for (workspace, carried) in org.open ?? [:] where carried.month < month && carried.count > 0 {
                workspaces[workspace] = carried.count
                changed = true
            }
        }
        if let open, org.open?[workspaceID]?.month ?? "" <= month {
            var counts = org.open ?? [:]
            counts[workspaceID] = open > 0 ? OpenConnections(month: month, count: open) : nil
            org.open = counts.isEmpty ? nil : counts
        }
        if peak > workspaces[workspaceID] ?? 0 {
            workspaces[workspaceID] = peak
            changed = true
        }
        if changed { org.peaks[month] = workspaces }
        for stale in org.peaks.keys.sorted().dropLast(2) { org.peaks[stale] = nil }
        if org != orgs[orgID] ?? Months() { orgs[orgID] = org }
        guard changed else { return Optional<JSONValue>.none }
        return Self.record(orgID: orgID, month: month, peaks: workspaces)
    }

    /// The record value, field names of SPEC §12.2; `peaks` sorted by workspace id.
    static func record(orgID: String, month: String, peaks: [String: Int64]) -> JSONValue {
        let sorted = peaks.keys.sorted().map { JSONMember(key: $0, value: .int(peaks[$0] ?? 0)) }
        return [
            "kind": "org_connections_peak",
            "org_id": .string(orgID),
            "month": .string(month),
            "peak_sum": .int(peaks.values.reduce(0, +)),
            "peaks": .object(JSONObject(sorted)),
        ]
    }
}
