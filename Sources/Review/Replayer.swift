import Foundation
import Governance
import JSON
import Kafka

/// What to replay: the records a filter selects, or records named one by one.
public enum ReplaySelection: Sendable {
    case filter(DLQFilter)
    case records([DLQEntry])

    var summary: String {
        switch self {
        case .filter(let filter): filter.summary
        case .records(let entries): "records " + entries.prefix(20).map(\.locator).joined(separator: " ")
            + (entries.count > 20 ? " … (\(entries.count))" : "")
        }
    }
}

/// How to replay.
public struct ReplayOptions: Sendable {
    /// Who replays (the audit record's key).
    public var reviewer: String
    /// `cli` or `console`.
    public var via: String
    /// Send every record here instead of its origin topic.
    public var toTopic: String?
    /// Records per second at most; nil for as fast as the producer goes.
    public var rate: Double?
    /// Leave out records the audit shows as replayed already.
    public var skipReplayed: Bool

    public init(reviewer: String, via: String, toTopic: String? = nil, rate: Double? = nil, skipReplayed: Bool = false) {
        self.reviewer = reviewer
        self.via = via
        self.toTopic = toTopic
        self.rate = rate
        self.skipReplayed = skipReplayed
    }
}

/// What a replay did.
public struct ReplayResult: Sendable {
    public var replayID: String
    /// Records re-produced, by destination topic.
    public var replayed: [String: Int]
    /// Trait-scope (and unreadable) records refused: they are findings on accepted events.
    public var refusedTrait: Int
    /// Records left out because the audit shows them replayed already (`skipReplayed`).
    public var skippedReplayed: Int
    /// Where the audit records went (`dlq-replays` partition and offset); empty when nothing was replayed.
    public var auditRecords: [TopicPartitionOffset]

    public var replayedCount: Int { replayed.values.reduce(0, +) }
}

/// What a replay will do, fixed before it starts.
struct ReplayPlan {
    struct Target {
        var partition: Int32
        var offset: Int64
        var topic: String
    }

    var targets: [Target] = []
    var byTopic: [String: Int] = [:]
    var refused = 0
    var alreadyReplayed = 0
}

/// Re-produces DLQ records: the original value bytes, key and headers (plus
/// `ReplayHeaders`) to the record's origin topic, or `toTopic`; then writes the
/// audit to `dlq-replays`. The replayed record gets a fresh timestamp (now): it is
/// a new arrival in stream time, and a real broker would delete at once a record
/// older than the topic's retention. A second replay of the same record within
/// 24 h of stream time is therefore a `duplicate` (SPEC §6 step 11).
public struct Replayer: Sendable {
    public let index: ReviewIndex
    public let producer: KafkaProducer
    public let wallClock: @Sendable () -> Int64

    public init(index: ReviewIndex, producer: KafkaProducer,
                wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.index = index
        self.producer = producer
        self.wallClock = wallClock
    }

    /// The records a replay would send, by destination, and how many it refuses.
    public func preview(_ selection: ReplaySelection, options: ReplayOptions) throws -> (byTopic: [String: Int], refused: Int, alreadyReplayed: Int) {
        let plan = try plan(selection, options: options)
        return (plan.byTopic, plan.refused, plan.alreadyReplayed)
    }

    /// Replays `selection`. `progress` hears (records sent, records to send) as it goes.
    ///
    /// The selection is fixed first as a list of DLQ positions (a few bytes each, so
    /// a replay of millions of records fits in memory and records indexed meanwhile
    /// are not swept in); then each part of `ReplayAudit.recordsPerPart` records is
    /// read, produced, confirmed, and audited on `dlq-replays` before the next.
    public func replay(_ selection: ReplaySelection, options: ReplayOptions,
                       progress: (Int, Int) -> Void = { _, _ in }) async throws -> ReplayResult {
        let plan = try plan(selection, options: options)
        let total = plan.targets.count
        let at = wallClock()
        let replayID = "rp-\(at)-\(UInt32.random(in: 0 ... .max))"
        var result = ReplayResult(replayID: replayID, replayed: [:], refusedTrait: plan.refused,
                                  skippedReplayed: options.skipReplayed ? plan.alreadyReplayed : 0, auditRecords: [])
        let parts = (total + ReplayAudit.recordsPerPart - 1) / ReplayAudit.recordsPerPart
        let start = ContinuousClock.now
        var sent = 0
        for (number, first) in stride(from: 0, to: total, by: ReplayAudit.recordsPerPart).enumerated() {
            let chunk = plan.targets[first..<min(first + ReplayAudit.recordsPerPart, total)]
            var items: [ReplayAudit.Item] = []
            try await withThrowingTaskGroup(of: (Int, TopicPartitionOffset).self) { group in
                var written: [Int: TopicPartitionOffset] = [:]
                var sentInChunk: [(entry: DLQEntry, topic: String)] = []
                for target in chunk {
                    guard let entry = try index.entry(partition: target.partition, offset: target.offset) else { continue }
                    if let rate = options.rate, rate > 0 {
                        try await Task.sleep(until: start + .seconds(Double(sent) / rate), clock: .continuous)
                    }
                    let record = ProducerRecord(
                        topic: target.topic, key: entry.originalKeyBytes ?? entry.originalKey.map { Array($0.utf8) },
                        value: entry.originalValue,
                        headers: (entry.originalHeaders + replayHeaders(entry, replayID: replayID, at: at, reviewer: options.reviewer))
                            .map { KafkaHeader(name: $0.name, value: $0.value) })
                    let producer = producer
                    let slot = sentInChunk.count
                    group.addTask { (slot, try await producer.sendAndWait(record)) }
                    sentInChunk.append((entry, target.topic))
                    sent += 1
                    progress(sent, total)
                }
                for try await (slot, position) in group { written[slot] = position }
                for (slot, item) in sentInChunk.enumerated() {
                    result.replayed[item.topic, default: 0] += 1
                    items.append(ReplayAudit.Item(
                        dlqPartition: item.entry.partition, dlqOffset: item.entry.offset, messageID: item.entry.messageID,
                        reason: item.entry.reason, toTopic: item.topic, toPartition: written[slot]?.partition,
                        toOffset: written[slot]?.offset))
                }
            }
            guard !items.isEmpty else { continue }
            let audit = ReplayAudit(
                replayID: replayID, reviewer: options.reviewer, replayedAtMs: at, via: options.via,
                selection: selection.summary, destinations: plan.byTopic, skippedTrait: plan.refused,
                part: number + 1, parts: parts, items: items)
            result.auditRecords.append(try await producer.sendAndWait(ProducerRecord(
                topic: Topic.dlqReplays, key: options.reviewer, value: audit.jsonValue.serializedBytes)))
        }
        return result
    }

    /// The fixed selection: each replayable record's DLQ position and destination.
    private func plan(_ selection: ReplaySelection, options: ReplayOptions) throws -> ReplayPlan {
        var plan = ReplayPlan()
        try walk(selection) { page in
            let replayed = try index.replayedLocators(page)
            for entry in page {
                guard entry.isReplayable, let destination = options.toTopic ?? entry.origin?.topic else {
                    plan.refused += 1
                    continue
                }
                if replayed.contains(entry.locator) {
                    plan.alreadyReplayed += 1
                    if options.skipReplayed { continue }
                }
                plan.byTopic[destination, default: 0] += 1
                plan.targets.append(ReplayPlan.Target(partition: entry.partition, offset: entry.offset, topic: destination))
            }
        }
        return plan
    }

    private func replayHeaders(_ entry: DLQEntry, replayID: String, at: Int64, reviewer: String) -> [Header] {
        [
            Header(name: ReplayHeaders.replayID, text: replayID),
            Header(name: ReplayHeaders.dlqPartition, text: String(entry.partition)),
            Header(name: ReplayHeaders.dlqOffset, text: String(entry.offset)),
            Header(name: ReplayHeaders.reason, text: entry.reason),
            Header(name: ReplayHeaders.replayedAt, text: String(at)),
            Header(name: ReplayHeaders.reviewer, text: reviewer),
        ]
    }

    private func walk(_ selection: ReplaySelection, _ body: ([DLQEntry]) throws -> Void) throws {
        switch selection {
        case .records(let entries):
            try body(entries)
        case .filter(let filter):
            var cursor: DLQCursor?
            while true {
                let page = try index.pageAscending(filter, after: cursor)
                guard let last = page.last else { return }
                try body(page)
                cursor = last.cursor
            }
        }
    }
}
