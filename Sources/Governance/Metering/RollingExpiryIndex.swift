/// When the contacts of `RollingIdentifiedMAU` stop counting, held in no bytes per
/// contact (issue 12 item 3): a count of contacts per hour of their `t0`, and the
/// contacts of one hour with their times.
///
/// The hour the cut-off (`now − 30 d`) falls in is the *frontier*: its contacts with
/// their `t0`, latest first, so the due ones pop from the end exactly (SPEC §6.3).
/// When the cut-off moves on to a later hour, the frontier's live contacts are all
/// due, and if any contact is counted in an hour at or before the cut-off's, one scan
/// of `lastIdentified` drops the earlier hours' contacts and collects the cut-off
/// hour's as the new frontier. So a scan of the contacts happens at most once per
/// hour of stream time, and only when that hour has contacts to expire; every other
/// identify or expire is O(1) (plus O(log n) for an identify that lands in the frontier).
///
/// Derived state: never checkpointed, rebuilt from `lastIdentified` after a restore.
struct RollingExpiryIndex: Sendable {
    /// One hour of stream time.
    static var bucketWidth: Int64 { Millis.hour }

    /// Hour → contacts whose `t0` falls in it, for every hour after the frontier's.
    private(set) var counts: [Int64: Int] = [:]
    /// No hour below this is counted; nil when `counts` is empty.
    private var lowestBucket: Int64?
    /// The cut-off's hour: its contacts with their `t0`, latest first. An entry whose
    /// contact was identified again since is stale (its time is not the contact's `t0`).
    private(set) var frontier: (bucket: Int64, entries: [(time: StreamTime, key: String)])?

    init() {}

    var isEmpty: Bool { counts.isEmpty && (frontier?.entries.isEmpty ?? true) }

    /// Notes `key`, just identified at `t`; `previous` is its `t0` before, if it had one.
    mutating func insert(_ key: String, at t: StreamTime, previous: StreamTime?) {
        let front = frontier?.bucket
        if let previous {
            let old = Self.bucket(of: previous)
            // At or before the frontier, the old entry just goes stale.
            if front.map({ old > $0 }) ?? true, let n = counts[old] { counts[old] = n > 1 ? n - 1 : nil }
        }
        let bucket = Self.bucket(of: t)
        if let front, bucket <= front {
            // (Below the frontier only if the clock went back: popping is by time, so
            // the frontier holds it correctly.) Latest first: before the first older entry.
            var low = 0
            var high = frontier!.entries.count
            while low < high {
                let mid = (low + high) / 2
                if frontier!.entries[mid].time < t { high = mid } else { low = mid + 1 }
            }
            frontier!.entries.insert((t, key), at: low)
            return
        }
        counts[bucket, default: 0] += 1
        lowestBucket = min(lowestBucket ?? bucket, bucket)
    }

    /// Removes from `lastIdentified` every contact whose `t0` is at or before `cutoff`.
    mutating func expire(through cutoff: StreamTime, from lastIdentified: inout TrackedMap<String, StreamTime>) {
        let last = Self.bucket(of: cutoff)
        if let old = frontier, old.bucket < last {
            // The cut-off left the frontier's hour: its live contacts are all due.
            for entry in old.entries where lastIdentified[entry.key] == entry.time {
                lastIdentified[entry.key] = nil
            }
            frontier = nil
        }
        if frontier == nil {
            var entries: [(time: StreamTime, key: String)] = []
            if let lowest = lowestBucket, lowest <= last {
                let reached = counts.keys.filter { $0 <= last }
                if !reached.isEmpty {
                    let due: [String]
                    (due, entries) = Self.scan(lastIdentified, through: last)
                    for key in due { lastIdentified[key] = nil }
                    for bucket in reached { counts[bucket] = nil }
                }
                lowestBucket = counts.keys.min()
            }
            frontier = (last, entries)
        }
        guard frontier!.bucket == last else { return }
        while let entry = frontier!.entries.last, entry.time <= cutoff {
            frontier!.entries.removeLast()
            if lastIdentified[entry.key] == entry.time { lastIdentified[entry.key] = nil }
        }
    }

    /// One pass over the contacts: those of hours before `last` (due), and those of
    /// `last` with their times, latest first.
    private static func scan(_ contacts: borrowing TrackedMap<String, StreamTime>, through last: Int64)
        -> (due: [String], entries: [(time: StreamTime, key: String)])
    {
        var due: [String] = []
        var entries: [(time: StreamTime, key: String)] = []
        for (key, t0) in contacts.storage {
            let bucket = bucket(of: t0)
            if bucket < last { due.append(key) } else if bucket == last { entries.append((t0, key)) }
        }
        entries.sort { $0.time > $1.time }
        return (due, entries)
    }

    /// The index of `lastIdentified`, after a restore.
    init(rebuildingFrom lastIdentified: TrackedMap<String, StreamTime>) {
        for (_, t0) in lastIdentified { counts[Self.bucket(of: t0), default: 0] += 1 }
        lowestBucket = counts.keys.min()
    }

    static func bucket(of time: StreamTime) -> Int64 {
        time >= 0 ? time / bucketWidth : (time + 1) / bucketWidth - 1
    }
}
