import Governance
import JSON
import PropertyBased
import Testing

/// Property 9: every Kafka timestamp a broker can hand over (0 … `Int64.max`, and
/// negative values) is survivable. Generated streams get extreme timestamps on some of
/// their records (configs, raw events and outbound messages alike); every raw or
/// outbound record still gets exactly one verdict, conservation holds, a timestamp
/// outside `StreamTimeRange` is `dlq`/`invalid_timestamp` and one inside never is, and
/// no output record carries a timestamp outside the range.
@Suite struct ExtremeTimestampPropertyTests {
    static let extremes: [StreamTime] = [
        .min, .min + 1, -86_400_001, -1, 0, 1, StreamTimeRange.highest, StreamTimeRange.highest + 1,
        .max - 1, .max, 1_769_817_600_000 * 1_000, 1_769_817_600_000 * 1_000_000,
        1_769_817_600_000 + 100 * 365 * Millis.day,
    ]

    /// `stream` with about one record in six moved to an extreme timestamp (a fixed
    /// pick or any `Int64`), chosen by the stream's seed.
    static func perturbed(_ stream: GeneratedStream) -> [StreamRecord] {
        var rng = SplitMix64(seed: stream.seed ^ 0x5EED)
        return stream.records.map { record in
            guard Int.random(in: 0..<6, using: &rng) == 0 else { return record }
            var moved = record
            moved.timestamp = Bool.random(using: &rng) ? extremes.randomElement(using: &rng)! : Int64.random(in: .min ... .max, using: &rng)
            return moved
        }
    }

    @Test func everyRecordWithAnyTimestampGetsExactlyOneVerdict() async {
        await propertyCheck(count: 40, input: StreamGen.streams()) { stream in
            let records = Self.perturbed(stream)
            let run = StreamRun(records)
            #expect(run.lines.count == records.count)
            for line in run.lines where line.record.topic != Topic.workspaceConfig {
                guard let verdict = line.verdict else {
                    Issue.record("line \(line.index + 1) got \(line.result)")
                    continue
                }
                let valid = StreamTimeRange.contains(line.record.timestamp)
                let invalidVerdict = verdict.kind == .dlq && verdict.reason == DLQReason.invalidTimestamp.rawValue
                #expect(valid != invalidVerdict, "line \(line.index + 1) at \(line.record.timestamp): \(verdict.summaryKey)")
            }
            for output in run.outputs {
                #expect(StreamTimeRange.contains(output.timestamp), "\(output.topic) record at \(output.timestamp)")
            }
            expectConservation(run)
        }
    }

    @Test func theSameStreamWithExtremeTimestampsGivesTheSameRecords() async {
        await propertyCheck(count: 10, input: StreamGen.streams(events: 60...150)) { stream in
            let records = Self.perturbed(stream)
            #expect(StreamRun(records).outputs == StreamRun(records).outputs)
        }
    }

    /// The time helpers of every stage take any `Int64` without trapping.
    @Test(arguments: extremes + [Int64.min / 2, Int64.max / 2])
    func timeArithmeticNeverTraps(_ t: StreamTime) {
        _ = UTCCalendar.iso8601(t)
        _ = UTCCalendar.monthKey(t)
        _ = UTCCalendar.startOfNextDay(t)
        var caps = MessagingCaps()
        _ = caps.decide(contact: "c", at: t, limit: 2)
        _ = caps.decide(contact: "c", at: Int64.max.saturatingSubtracting(t), limit: 2)
        var bucket = TokenBucket(ratePerSecond: 10, at: t)
        bucket = bucket.refilled(ratePerSecond: 10, to: .max)
        bucket = bucket.refilled(ratePerSecond: 10, to: .min)
        _ = bucket.isFull(ratePerSecond: 10, at: t)
        var dedup = DedupWindow(maxEntries: 10)
        dedup.record("m", at: t)
        _ = dedup.isDuplicate("m", at: .min)
        _ = dedup.isDuplicate("m", at: .max)
        var registry = NameRegistry()
        for (index, time) in [t, .max, .min].enumerated() {
            _ = registry.admit("n\(index)", cap: 0, at: time)
            _ = registry.reminderDue(at: time)
            _ = registry.graceActive(at: time)
        }
        var debouncer = NotificationDebouncer()
        for time in [t, .min, .max] {
            _ = debouncer.admit(NotificationRequest(orgID: "o", workspaceID: "w", capType: .graceReminder, streamTimeMs: time))
        }
        var meter = UsageMeter(workspaceID: "w")
        let plan = UsagePlan(mode: .connections, mauIncluded: 1, eventsPerMonth: 1, peakConcurrentConnections: 1)
        for time in [t, .min, .max] {
            _ = meter.recordAccepted(MeteredEvent(contactKey: "c", event: "connection", messageID: "m", role: .connect(connectionID: "x")),
                                     at: time, plan: plan)
            _ = meter.wouldExceedMAU("d", at: time, included: 1)
            _ = meter.snapshotIfDue(at: time, plan: plan, uniqueNamesUsed: 0, uniqueNamesCap: -1)
        }
    }
}
