/// Connections of a workspace in `connections` mode (SPEC §8, §6.3).
///
/// - MAU: distinct contacts with an accepted connect this calendar month.
/// - Current: open connection ids; a repeated connect of an open id counts once, a
///   disconnect of an unknown id is ignored. Open connections carry over into a new
///   month, whose peak starts at the number open.
/// - Over MAU: `mauReachedAt` is `T`, the first stream time this month at which
///   MAU ≥ `mau_included`; from then, a connect at `t > T + 3 d` from a contact not
///   counted this month is `over_cap` (`mau_limit`). `T` resets each month, and when
///   a raised plan puts MAU back under the included figure.
public struct ConnectionMeter: Sendable, Equatable, Codable {
    /// How long MAU may sit at or over the included figure before new contacts are refused.
    public static var mauGrace: Int64 { 3 * Millis.day }

    /// Open connection id → contact that opened it. Public for checkpointing.
    public var open: TrackedMap<String, String>
    /// Contact key → time of its first accepted connect this month. Public for checkpointing.
    public var monthContacts: TrackedMap<String, StreamTime>
    /// The month's peak of concurrent connections.
    public private(set) var peak: Int64
    /// `T`: since when MAU has been at or over the included figure this month.
    public private(set) var mauReachedAt: StreamTime?

    public init() {
        open = TrackedMap()
        monthContacts = TrackedMap()
        peak = 0
        mauReachedAt = nil
    }

    public var mau: Int64 { Int64(monthContacts.count) }
    public var current: Int64 { Int64(open.count) }

    /// Starts a calendar month: nobody counted, the peak is what is open, no `T`.
    mutating func startMonth() {
        for contact in Array(monthContacts.keys) { monthContacts.removeValue(forKey: contact) }
        peak = current
        mauReachedAt = nil
    }

    /// Whether a connect from `contact` at `now` is `over_cap` (`mau_limit`).
    func wouldExceedMAU(_ contact: String, at now: StreamTime, included: Int64) -> Bool {
        guard included >= 0, monthContacts[contact] == nil, mau >= included, let reached = mauReachedAt else {
            return false
        }
        return now > reached.saturatingAdding(Self.mauGrace)
    }

    /// Records an accepted connect. Returns true when it raised the month's peak.
    mutating func connect(_ connectionID: String, contact: String, at now: StreamTime) -> Bool {
        if monthContacts[contact] == nil { monthContacts[contact] = now }
        guard open[connectionID] == nil else { return false }
        open[connectionID] = contact
        guard current > peak else { return false }
        peak = current
        return true
    }

    /// Records an accepted disconnect; an id that is not open is ignored.
    mutating func disconnect(_ connectionID: String) {
        if open[connectionID] != nil { open.removeValue(forKey: connectionID) }
    }

    /// Sets `T` when MAU first reaches `included`, clears it when MAU is under it
    /// (a raised or unlimited plan).
    mutating func trackMAULimit(included: Int64, at now: StreamTime) {
        if included >= 0, mau >= included {
            if mauReachedAt == nil { mauReachedAt = now }
        } else {
            mauReachedAt = nil
        }
    }
}
