import Governance
import JSON
import Testing

/// `Origin` and the origin headers every output record carries (SPEC §12.2).
@Suite struct OriginHeadersTests {
    let origin = Origin(topic: "raw-events", partition: 7, offset: 1_234_567_890_123)

    @Test func originHeadersAreTopicPartitionOffsetAsText() {
        let headers = OriginHeaders.headers(for: origin)
        #expect(headers.map(\.name) == ["governor.origin.topic", "governor.origin.partition", "governor.origin.offset"])
        #expect(headers.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["raw-events", "7", "1234567890123"])
    }

    @Test func originHeadersReadBack() {
        let other = [Header(name: "x", value: nil), Header(name: "governor.dlq.reason", text: "r")]
        #expect(OriginHeaders.origin(from: other + OriginHeaders.headers(for: origin)) == origin)
        #expect(OriginHeaders.origin(from: Array(OriginHeaders.headers(for: origin).dropLast())) == nil)
        #expect(OriginHeaders.origin(from: [Header(name: OriginHeaders.partition, text: "x")] + OriginHeaders.headers(for: origin).dropFirst(2)) == nil)
    }

    @Test func originAsJSON() {
        #expect(origin.jsonValue.serialized == #"{"topic":"raw-events","partition":7,"offset":1234567890123}"#)
    }
}
