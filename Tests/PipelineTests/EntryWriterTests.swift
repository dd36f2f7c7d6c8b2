import Kafka
import Testing
@testable import Pipeline

/// `EntryWriter` (the per-cut template) writes exactly the records the codec
/// writes entry by entry, and they decode back to the entry.
@Suite struct EntryWriterTests {
    @Test func entriesMatchTheCodecByteForByte() throws {
        let target = ChangelogTarget(topic: "governor-changelog", namespace: "group-ä", snapshotEveryBytes: 1 << 20)
        let cases: [(key: [UInt8], value: [UInt8]?)] = [
            (Array("mws_acme".utf8), [1, 2, 3]), ([], nil), ([0xFF, 0x00, 0x65], []), (Array(repeating: 7, count: 600), [9]),
        ]
        for attempt: UInt64 in [0, 1, 0x0102_0304_0506_0708, .max] {
            let writer = target.entries(attempt: attempt, partition: 5)
            for entry in cases {
                let fast = writer.record(key: entry.key, value: entry.value)
                let slow = target.record(.entry(attempt: attempt, key: entry.key, value: entry.value), partition: 5)
                #expect(fast == slow)
                #expect(writer.record(prefixedKey: writer.keyPrefix + entry.key, value: entry.value) == slow)
                let decoded = try ChangelogCodec.decode(
                    key: fast.key, value: fast.value, headers: fast.headers.map { ($0.name, $0.value) }, offset: 0,
                    namespace: "group-ä")
                #expect(decoded == .entry(attempt: attempt, key: entry.key, value: entry.value))
            }
        }
    }
}
