import Synchronization
import Testing
@testable import Kafka

/// How a member leaves the group in `takeOver`.
enum Departure: String, CaseIterable, Sendable {
    /// `close()`: the member leaves the group; the rebalance starts at once.
    case close
    /// `abandon()`: the client is destroyed without leaving, as a crash would.
    case abandon
}

/// One group member driven by its own poll loop, recording what it sees.
final class Member: Sendable {
    let consumer: KafkaConsumer
    let assignment = Assignment()
    let loop: ConsumerPollLoop
    let inbox = Inbox()
    private let reader: Task<Void, Never>

    init(_ cluster: MockCluster, group: String, topic: String) throws {
        let assignment = assignment
        consumer = try KafkaConsumer(
            config: KafkaConfig(bootstrapServers: cluster.bootstrapServers),
            settings: fastGroupSettings(group), logger: testLogger,
            onRebalance: { assignment.handle($0) })
        try consumer.subscribe([topic])
        let loop = consumer.startPollLoop(maxMessages: 100, timeout: .milliseconds(50))
        self.loop = loop
        let inbox = inbox
        reader = Task {
            for await event in loop { inbox.add(event) }
        }
    }

    func leave(_ departure: Departure) async throws {
        loop.stop()
        await reader.value
        switch departure {
        case .close: try consumer.close()
        case .abandon: consumer.abandon()
        }
    }
}

/// What a member's poll loop handed over.
final class Inbox: Sendable {
    private let messages = Mutex<[KafkaMessage]>([])
    private let rebalances = Mutex<[RebalanceEvent]>([])

    var received: [KafkaMessage] { messages.withLock { $0 } }
    var rebalanceEvents: [RebalanceEvent] { rebalances.withLock { $0 } }

    func add(_ event: ConsumerEvent) {
        switch event {
        case .messages(let batch): messages.withLock { $0 += batch }
        case .rebalance(let event): rebalances.withLock { $0.append(event) }
        case .error: break
        }
    }
}

@Suite struct GroupConsumerTests {
    /// Two members split the partitions; when one leaves (or vanishes), the other takes all.
    @Test(arguments: Departure.allCases)
    func takeOver(_ departure: Departure) async throws {
        let cluster = try MockCluster(brokers: 3, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 6)
        let all = Set((0 ..< 6).map { TopicPartition(topic, Int32($0)) })
        let group = uniqueTopic("group")

        let a = try Member(cluster, group: group, topic: topic)
        #expect(await eventually { a.assignment.current == all })
        let b = try Member(cluster, group: group, topic: topic)
        let split = await eventually {
            let (x, y) = (a.assignment.current, b.assignment.current)
            return !x.isEmpty && !y.isEmpty && x.isDisjoint(with: y) && x.union(y) == all
        }
        #expect(split, "a: \(a.assignment.current), b: \(b.assignment.current)")

        // Records reach whichever member owns their partition.
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: testLogger)
        for p in 0 ..< 6 { try producer.send(ProducerRecord(topic: topic, partition: Int32(p), key: "k", value: [UInt8(p)])) }
        _ = try producer.flush()
        #expect(await eventually { a.inbox.received.count + b.inbox.received.count == 6 })
        #expect(Set(b.inbox.received.map(\.topicPartition)).isSubset(of: b.assignment.current))

        try await b.leave(departure)
        #expect(await eventually(timeout: .seconds(30)) { a.assignment.current == all })
        #expect(await eventually { a.inbox.rebalanceEvents == a.assignment.events }, "the poll loop surfaces the same rebalance events")
        if departure == .abandon {
            #expect(a.assignment.events.contains { $0.kind == .assigned && $0.partitions.count < 6 && $0 != a.assignment.events.first })
        }
        try await a.leave(.close)
    }

    /// Explicit commits are what `committed` reads back, and a new member starts there.
    @Test func commitAndResume() async throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: testLogger)
        for i in 0 ..< 10 { try producer.send(ProducerRecord(topic: topic, key: "k", value: [UInt8(i)])) }
        _ = try producer.flush()
        let group = uniqueTopic("group")
        let first = try KafkaConsumer(config: config, settings: fastGroupSettings(group), logger: testLogger)
        try first.subscribe([topic])
        let read = try consume(first, count: 10)
        #expect(read.count == 10)
        try first.commit([TopicPartitionOffset(topic, 0, offset: 4)])
        #expect(try first.committed([TopicPartition(topic, 0)]) == [TopicPartitionOffset(topic, 0, offset: 4)])
        #expect(try first.position([TopicPartition(topic, 0)]) == [TopicPartitionOffset(topic, 0, offset: 10)])
        try first.close()

        let second = try KafkaConsumer(config: config, settings: fastGroupSettings(group), logger: testLogger)
        try second.subscribe([topic])
        let rest = try consume(second, count: 6)
        #expect(rest.map(\.offset) == Array(4 ..< 10))
        try second.close()
    }

    /// Manual assignment at an offset, seek, pause/resume and watermarks.
    @Test func assignSeekPause() throws {
        let cluster = try MockCluster(brokers: 1, logger: testLogger)
        let topic = uniqueTopic()
        try cluster.createTopic(topic, partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: testLogger)
        for i in 0 ..< 10 {
            try producer.send(ProducerRecord(topic: topic, partition: Int32(i % 2), key: "k", value: [UInt8(i)]))
        }
        _ = try producer.flush()
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: testLogger)
        #expect(try consumer.queryWatermarkOffsets(topic: topic, partition: 0) == (low: 0, high: 5))
        // Partition 1 starts at its end offset, given explicitly: `KafkaOffset.end` is
        // resolved at the first fetch, which on a loaded machine can come after the
        // record produced below.
        try consumer.assign([TopicPartitionOffset(topic, 0, offset: 3), TopicPartitionOffset(topic, 1, offset: 5)])
        #expect(try consume(consumer, count: 2).map(\.value) == [[6], [8]])
        try consumer.seek([TopicPartitionOffset(topic, 0, offset: 1)])
        #expect(try consume(consumer, count: 4).map(\.value) == [[2], [4], [6], [8]])

        try consumer.pause([TopicPartition(topic, 1)])
        try producer.send(ProducerRecord(topic: topic, partition: 1, key: "k", value: [10]))
        try producer.send(ProducerRecord(topic: topic, partition: 0, key: "k", value: [11]))
        _ = try producer.flush()
        #expect(try consume(consumer, count: 1).map(\.value) == [[11]])
        #expect(try consumer.poll(maxMessages: 10, timeout: .milliseconds(300)).isEmpty)
        try consumer.resume([TopicPartition(topic, 1)])
        #expect(try consume(consumer, count: 1).map(\.value) == [[10]])
        try consumer.close()
    }
}
