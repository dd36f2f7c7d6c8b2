import Testing
@testable import RecordFile

@Test func recordLineKeepsBytes() {
    let line = RecordLine(line: 1, topic: "raw-events", key: "ws_1", timestampMs: 5, value: [1, 2])
    #expect(line.value == [1, 2])
}
