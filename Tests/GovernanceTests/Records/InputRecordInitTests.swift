import JSON
import Testing
@testable import Governance

/// `InputRecord`'s public init (the pipeline's) and its memberwise init (the offline
/// run's, the timestamp second) put each argument in its own property.
@Suite struct InputRecordInitTests {
    static let origin = Origin(topic: "raw-events", partition: 2, offset: 41)
    static let value = Array(#"{"message_id":"m1"}"#.utf8)
    static let scan = try! value.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: EventValidator.fieldNames) }

    static func check(_ record: InputRecord) {
        #expect(record.origin == origin)
        #expect(record.timestamp == 1_700)
        #expect(record.key == "ws_1")
        #expect(record.keyBytes == [0x77, 0xFF])
        #expect(record.value == value)
        #expect(record.headers == [Header(name: "h", value: [1])])
        #expect(record.valueFields?.isScan(for: EventValidator.fieldNames, of: value.count) == true)
    }

    @Test func publicInit() {
        Self.check(InputRecord(origin: Self.origin, key: "ws_1", keyBytes: [0x77, 0xFF], value: Self.value,
                               headers: [Header(name: "h", value: [1])], timestamp: 1_700, valueFields: Self.scan))
    }

    @Test func memberwiseInit() {
        Self.check(InputRecord(origin: Self.origin, timestamp: 1_700, key: "ws_1", keyBytes: [0x77, 0xFF], value: Self.value,
                               headers: [Header(name: "h", value: [1])], valueFields: Self.scan))
    }

    @Test func publicInitDefaults() {
        let record = InputRecord(origin: Self.origin, key: nil, value: nil, timestamp: -1)
        #expect(record.key == nil && record.keyBytes == nil && record.value == nil && record.headers.isEmpty)
        #expect(record.valueFields == nil && record.timestamp == -1 && record.origin == Self.origin)
    }
}
