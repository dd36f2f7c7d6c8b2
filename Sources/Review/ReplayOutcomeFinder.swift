import Governance
import JSON
import Kafka
import Logging

/// What the processor decided about a replayed record.
public struct ReplayOutcome: Sendable, Hashable {
    /// The output topic that answered (events-accepted, events-filtered, events-dlq, …).
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// `accepted`, `filtered`, `dlq`, … and the reason when there is one (`duplicate`).
    public var verdict: String
    public var reason: String?
}

/// Finds the verdict of a replayed record: the output record whose origin headers
/// name the replayed record's topic, partition and offset. Outputs are
/// co-partitioned with their input and stamped with its timestamp, so the search
/// reads one partition of each output topic from the replay time on.
public struct ReplayOutcomeFinder: Sendable {
    public static let answeringTopics = [
        Topic.eventsAccepted, Topic.eventsFiltered, Topic.eventsDLQ, Topic.eventsOverCap, Topic.eventsRateLimited,
        Topic.eventsDeferred, Topic.outboundVerdicts,
    ]

    public let config: KafkaConfig
    public let logger: Logger
    /// How far back of the replay time to start (producer and broker clocks differ).
    public var slackMs: Int64 = 60_000
    /// Records read per topic at most.
    public var maxScanned = 200_000

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The answer to the record written at `written` around `replayedAtMs`, nil when none is there yet.
    public func outcome(of written: Origin, replayedAtMs: Int64) throws -> ReplayOutcome? {
        var settings = ConsumerSettings(groupID: nil)
        settings.readCommitted = true
        let consumer = try KafkaConsumer(config: config, settings: settings, logger: logger)
        defer { try? consumer.close() }
        for topic in Self.answeringTopics {
            guard let count = try? consumer.partitionCount(of: topic), written.partition < count else { continue }
            let tp = TopicPartition(topic, written.partition)
            let (low, high) = try consumer.queryWatermarkOffsets(topic: topic, partition: written.partition)
            guard high > low else { continue }
            // By time where the broker answers (Kafka does; librdkafka's mock cluster
            // does not), else the newest `maxScanned` records: a replay's answer is recent.
            let byTime = (try? consumer.offsets(forTimestampMs: replayedAtMs &- slackMs, partitions: [tp]))?.first?.offset
            let start = byTime.flatMap { $0 >= low && $0 < high ? $0 : nil } ?? max(low, high - Int64(maxScanned))
            try consumer.assign([TopicPartitionOffset(tp, offset: start)])
            var scanned = 0
            while scanned < maxScanned {
                let messages = try consumer.poll(maxMessages: 5_000, timeout: .milliseconds(500))
                for message in messages where message.offset < high {
                    let headers = message.headers.map { Header(name: $0.name, value: $0.value) }
                    if OriginHeaders.origin(from: headers) == written {
                        return Self.outcome(message)
                    }
                }
                scanned += messages.count
                let position = try consumer.position([tp]).first?.offset ?? high
                if position >= high || (messages.isEmpty && position < 0) { break }
            }
        }
        return nil
    }

    private static func outcome(_ message: KafkaMessage) -> ReplayOutcome {
        let value = message.value.flatMap { try? JSONParser.parse($0) }?.value
        let verdict = value?["verdict"]?.stringValue ?? value?["governance"]?["verdict"]?.stringValue
            ?? (message.topic == Topic.eventsDLQ ? "dlq" : message.topic)
        return ReplayOutcome(topic: message.topic, partition: message.partition, offset: message.offset,
                             verdict: verdict, reason: value?["reason"]?.stringValue)
    }
}
