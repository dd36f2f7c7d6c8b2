import Testing
@testable import Governance

/// `OfflineRun` numbers each topic's records 0, 1, 2, … (the origin offset every
/// output carries), whether the topic is among the first it saw or one of many.
@Suite struct OfflineRunOffsetTests {
    @Test(arguments: [0, 5, 11])
    func eachTopicCountsItsOwnRecords(rawEventsPosition: Int) throws {
        var topics = (0..<11).map { "junk-\($0)" }
        topics.insert(Topic.rawEvents, at: rawEventsPosition)
        var run = OfflineRun(settings: EngineSettings(wallClock: { 0 }))
        var out: [OutputRecord] = []
        var rawEventsSeen: Int64 = 0
        for line in 0..<(topics.count * 5) {
            let topic = topics[line % topics.count]
            out.removeAll()
            let result = run.feed(line: line + 1, topic: topic, key: nil, value: Array("{}".utf8),
                                  timestamp: 1_795_000_000_000, into: &out)
            guard topic == Topic.rawEvents else {
                #expect(result == .ignored(topic: topic))
                continue
            }
            let record = try #require(out.first, "line \(line)")
            let offset = record.headers.first { $0.name == OriginHeaders.offset }?.value
            #expect(offset == Array(String(rawEventsSeen).utf8), "line \(line)")
            rawEventsSeen += 1
        }
        #expect(rawEventsSeen == 5)
    }
}
