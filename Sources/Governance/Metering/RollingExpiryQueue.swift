/// The contacts of `RollingIdentifiedMAU` by the hour of their latest identify, so
/// `expire(at:)` finds the ones that stopped counting without scanning every contact.
///
/// Built for memory (issue 12 item 3): an entry is only the contact's key (16 B,
/// sharing the key's storage in `lastIdentified`), no time — the time is the
/// contact's `t0` in `lastIdentified`, and an entry of hour bucket `b` is live while
/// its contact's `t0` still falls in `b` (a re-identify in a later hour leaves it
/// stale; it is dropped when its bucket is popped). A re-identify within the same hour
/// queues nothing. Bucket arrays are trimmed to their size when appends move on to a
/// later hour, so a closed hour keeps no growth slack.
///
/// Only the bucket the cut-off falls in needs times, to pop exactly the contacts due:
/// when the cut-off first reaches a bucket it becomes the *frontier*, its live entries
/// with their times, sorted latest first so the due ones pop from the end.
///
/// Derived state: never checkpointed, rebuilt from `lastIdentified` after a restore.
struct RollingExpiryQueue: Sendable {
    /// The width of a bucket: one hour of stream time.
    static var bucketWidth: Int64 { Millis.hour }

    /// Bucket index → the keys queued in it (no bucket at or below the frontier's).
    private(set) var buckets: [Int64: ContiguousArray<String>] = [:]
    /// No bucket below this index holds entries; nil when `buckets` is empty.
    private var lowestBucket: Int64?
    /// The latest bucket appended to; it is trimmed when appends move past it.
    private var openBucket: Int64?
    /// The bucket the cut-off falls in: its entries with their times, latest first.
    private(set) var frontier: (bucket: Int64, entries: [(time: StreamTime, key: String)])?

    init() {}

    /// Every queued entry, stale ones included (for tests and the benchmark's digest).
    var entryCount: Int {
        buckets.values.reduce(0) { $0 + $1.count } + (frontier?.entries.count ?? 0)
    }

    var isEmpty: Bool { buckets.isEmpty && (frontier?.entries.isEmpty ?? true) }

    /// Queues `key`, just identified at `t`; `previous` is its `t0` before, if it had one.
    mutating func insert(_ key: String, at t: StreamTime, previous: StreamTime?) {
        let bucket = Self.bucket(of: t)
        if let front = frontier?.bucket, bucket <= front {
            // (Below the frontier only if the clock went back: popping is by time, so
            // the frontier holds it correctly.) Latest first: the new entry goes before the first one older than it.
            var low = 0
            var high = frontier!.entries.count
            while low < high {
                let mid = (low + high) / 2
                if frontier!.entries[mid].time < t { high = mid } else { low = mid + 1 }
            }
            frontier!.entries.insert((t, key), at: low)
            return
        }
        if let previous, Self.bucket(of: previous) == bucket { return }
        if let open = openBucket, bucket > open {
            trim(open)
            openBucket = bucket
        } else if openBucket == nil {
            openBucket = bucket
        }
        buckets[bucket, default: []].append(key)
        lowestBucket = min(lowestBucket ?? bucket, bucket)
    }

    /// Removes from `lastIdentified` every contact whose `t0` is at or before `cutoff`.
    mutating func expire(through cutoff: StreamTime, from lastIdentified: inout TrackedMap<String, StreamTime>) {
        let last = Self.bucket(of: cutoff)
        // A frontier below the cut-off's bucket is due as a whole.
        if let old = frontier, old.bucket < last {
            for entry in old.entries where lastIdentified[entry.key] == entry.time {
                lastIdentified[entry.key] = nil
            }
            frontier = nil
        }
        // Buckets below the cut-off's are due as a whole (their live entries).
        if let lowest = lowestBucket, lowest < last {
            let candidates: [Int64] =
                last - lowest > Int64(buckets.count)
                ? buckets.keys.filter { $0 < last }.sorted()
                : Array(lowest..<last)
            for bucket in candidates {
                guard let keys = buckets.removeValue(forKey: bucket) else { continue }
                for key in keys {
                    if let index = lastIdentified.storage.index(forKey: key),
                       Self.bucket(of: lastIdentified.storage[index].value) == bucket {
                        lastIdentified[key] = nil
                    }
                }
            }
            lowestBucket = buckets.isEmpty ? nil : last
        }
        // The cut-off's bucket becomes the frontier: its live entries, with times.
        if frontier == nil, let keys = buckets.removeValue(forKey: last) {
            var entries: [(time: StreamTime, key: String)] = []
            entries.reserveCapacity(keys.count)
            for key in keys {
                if let index = lastIdentified.storage.index(forKey: key) {
                    let t0 = lastIdentified.storage[index].value
                    if Self.bucket(of: t0) == last { entries.append((t0, key)) }
                }
            }
            entries.sort { $0.time > $1.time }
            frontier = (last, entries)
            if buckets.isEmpty { lowestBucket = nil }
        }
        guard frontier?.bucket == last else { return }
        while let entry = frontier!.entries.last, entry.time <= cutoff {
            frontier!.entries.removeLast()
            if lastIdentified[entry.key] == entry.time { lastIdentified[entry.key] = nil }
        }
    }

    /// The queue of `lastIdentified`, after a restore: one entry per contact, in
    /// buckets sized exactly, each sharing its contact's key storage.
    init(rebuildingFrom lastIdentified: TrackedMap<String, StreamTime>) {
        var counts: [Int64: Int] = [:]
        for (_, t0) in lastIdentified { counts[Self.bucket(of: t0), default: 0] += 1 }
        buckets.reserveCapacity(counts.count)
        for (bucket, count) in counts {
            var keys = ContiguousArray<String>()
            keys.reserveCapacity(count)
            buckets[bucket] = keys
        }
        for (key, t0) in lastIdentified { buckets[Self.bucket(of: t0)]!.append(key) }
        lowestBucket = counts.keys.min()
        openBucket = counts.keys.max()
    }

    /// Reallocates `bucket`'s array at its size, dropping the growth slack.
    private mutating func trim(_ bucket: Int64) {
        guard let keys = buckets[bucket], keys.capacity > keys.count else { return }
        var trimmed = ContiguousArray<String>()
        trimmed.reserveCapacity(keys.count)
        trimmed.append(contentsOf: keys)
        buckets[bucket] = trimmed
    }

    static func bucket(of time: StreamTime) -> Int64 {
        time >= 0 ? time / bucketWidth : (time + 1) / bucketWidth - 1
    }
}
