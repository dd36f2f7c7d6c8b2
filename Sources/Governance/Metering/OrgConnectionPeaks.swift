import JSON

/// An org's monthly peak of concurrent connections: the sum of its workspaces'
/// monthly peaks (SPEC §8), written to `org-usage` as `org_connections_peak` each time
/// one of its workspaces raises its peak (§6.3).
///
/// Keyed by org, so it must see every workspace of an org: run it where all of an
/// org's peak raises arrive (the org-keyed stage, like the debouncer), or in a
/// single-partition `governor check`. Each org keeps its latest two months (a
/// workspace may still be finishing the previous month); a raise for an older month
/// is ignored.
public struct OrgConnectionPeaks: Sendable, Equatable, Codable {
    /// One org's peaks: month `YYYY-MM` → workspace id → that workspace's peak.
    public struct Months: Sendable, Equatable, Codable {
        public var peaks: [String: [String: Int64]] = [:]
    }

    /// Org id → its peaks. Public for checkpointing.
    public var orgs: TrackedMap<String, Months>

    public init() { orgs = TrackedMap() }

    /// Records that `workspaceID` of `orgID` reached `peak` in `month`.
    /// - Returns: the `org_connections_peak` record when this raised the workspace's
    ///   peak for the month, nil otherwise (not higher, or a month already dropped).
    public mutating func raise(orgID: String, workspaceID: String, month: String, peak: Int64) -> JSONValue? {
        var org = orgs[orgID] ?? Months()
        let kept = org.peaks.keys.sorted().suffix(2)
        if kept.count == 2, let oldest = kept.first, month < oldest { return nil }
        var workspaces = org.peaks[month] ?? [:]
        guard peak > workspaces[workspaceID] ?? 0 else { return nil }
        workspaces[workspaceID] = peak
        org.peaks[month] = workspaces
        for stale in org.peaks.keys.sorted().dropLast(2) { org.peaks[stale] = nil }
        orgs[orgID] = org
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
