import JSON
import Testing
@testable import Governance

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

    /// The shared and the written decimals are `String(value)`'s bytes; other topics' names are their UTF-8.
    @Test func headerValuesAreTheTextOfEveryValue() {
        var values: [Int64] = [0, 1, 9, 10, 1023, 1024, 99_999, -1, -1023, Int64.max, Int64.min, Int64.min + 1]
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(bitPattern: state) >> (state % 64))
        }
        for value in values { #expect(OriginHeaders.decimal(value) == Array(String(value).utf8), "\(value)") }
        for topic in ["raw-events", "outbound-messages", "other", "é", ""] {
            let headers = OriginHeaders.headers(for: Origin(topic: topic, partition: 1_500, offset: -3))
            #expect(headers.map { String(decoding: $0.value ?? [], as: UTF8.self) } == [topic, "1500", "-3"])
        }
    }

    @Test func originAsJSON() {
        #expect(origin.jsonValue.serialized == #"{"topic":"raw-events","partition":7,"offset":1234567890123}"#)
    }
}
