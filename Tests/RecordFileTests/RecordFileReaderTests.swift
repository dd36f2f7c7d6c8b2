import Foundation
import Testing
@testable import RecordFile

/// Writes `text` to a temporary file and reads all its records (errors as values).
func readAll(_ text: String, now: Int64 = 42) throws -> [Result<RecordLine, RecordFileError>] {
    try readAll(Data(text.utf8), now: now)
}

func readAll(_ data: Data, now: Int64 = 42) throws -> [Result<RecordLine, RecordFileError>] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).jsonl")
    try data.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let reader = try RecordFileReader(path: url.path, now: { now })
    var results: [Result<RecordLine, RecordFileError>] = []
    while true {
        do throws(RecordFileError) {
            guard let record = try reader.next() else { break }
            results.append(.success(record))
        } catch {
            results.append(.failure(error))
        }
    }
    return results
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct RecordFileReaderTests {
    @Test func bareEventIsKeyedByWorkspace() throws {
        let line = #"{"message_id":"m1","workspace_id":"ws_1","type":"track"}"#
        let records = try readAll(line + "\n")
        #expect(try records.map { try $0.get() } == [
            RecordLine(line: 1, topic: "raw-events", key: "ws_1", timestampMs: 42, value: bytes(line)),
        ])
    }

    @Test func bareEventWithoutStringWorkspaceHasNoKey() throws {
        let records = try readAll(#"{"workspace_id":7}"# + "\n" + #"{"topic":"x"}"#)
        #expect(try records.map { try $0.get().key } == [nil, nil])
        #expect(try records.map { try $0.get().topic } == ["raw-events", "raw-events"], "an object without value is a bare event")
    }

    @Test func envelopeValueIsCompactSerialization() throws {
        let text = #"{"topic":"workspace-config","key":"ws_1","timestamp_ms":1795000000000,"value":{ "workspace_id" : "ws_1", "name":"Café ☕", "b":[1, 2.5e3 ,null]}}"#
        let record = try readAll(text)[0].get()
        #expect(record.topic == "workspace-config")
        #expect(record.key == "ws_1")
        #expect(record.timestampMs == 1_795_000_000_000)
        #expect(record.value == bytes(#"{"workspace_id":"ws_1","name":"Café ☕","b":[1,2.5e3,null]}"#))
    }

    @Test func envelopeValueB64GivesExactBytes() throws {
        let record = try readAll(#"{"topic":"raw-events","key":null,"timestamp_ms":5,"value_b64":"bm90IGpzb24="}"#)[0].get()
        #expect(record.value == bytes("not json"))
        #expect(record.key == nil)
    }

    @Test func nullValueIsTombstone() throws {
        let record = try readAll(#"{"topic":"workspace-config","key":"ws_1","value":null}"#)[0].get()
        #expect(record.value == nil)
    }

    @Test func malformedAndNonObjectLinesAreRawBytes() throws {
        let lines = [#"{"workspace_id":"ws_1", broken"#, #"["a"]"#, #""text""#, "not json at all"]
        let records = try readAll(lines.joined(separator: "\n"))
        #expect(try records.map { try $0.get() } == lines.enumerated().map {
            RecordLine(line: $0.offset + 1, topic: "raw-events", key: nil, timestampMs: 42, value: bytes($0.element))
        })
    }

    @Test func timestampsAreInherited() throws {
        let text = [
            #"{"a":1}"#,
            #"{"topic":"t","timestamp_ms":1000,"value":1}"#,
            #"{"b":2}"#,
            "garbage",
            #"{"topic":"t","value":2}"#,
            #"{"topic":"t","timestamp_ms":900,"value":3}"#,
            #"{"c":3}"#,
        ].joined(separator: "\n")
        #expect(try readAll(text, now: 7).map { try $0.get().timestampMs } == [7, 1000, 1000, 1000, 1000, 900, 900])
    }

    @Test func lineNumbersCountEmptyLinesAndCRLF() throws {
        let text = "\r\n" + #"{"a":1}"# + "\r\n\n   \n" + #"{"topic":"t","value":"x"}"# + "\r\n"
        let records = try readAll(text).map { try $0.get() }
        #expect(records.map(\.line) == [2, 5])
        #expect(records[0].value == bytes(#"{"a":1}"#))
        #expect(records[1].value == bytes(#""x""#))
    }

    @Test func errorsNameLineAndProblemAndReadingGoesOn() throws {
        let text = [
            #"{"topic":"t","value":1,"value_b64":"AA=="}"#,
            #"{"topic":"t","value_b64":"not base64!"}"#,
            #"{"topic":"t","value":1,"timestamp_ms":"soon"}"#,
            #"{"topic":"t","value":1,"timestamp":5}"#,
            #"{"topic":"t","value":1,"key":5}"#,
            #"{"topic":"","value":1}"#,
            #"{"topic":"t","value":1}"#,
        ].joined(separator: "\n")
        let results = try readAll(text)
        let errors = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(errors.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(errors[0].message.contains("both \"value\" and \"value_b64\""))
        #expect(errors[1].message.contains("base64"))
        #expect(errors[2].message.contains("timestamp_ms"))
        #expect(errors[3].message.contains("\"timestamp\""))
        #expect(errors[4].description.hasSuffix(":5: envelope \"key\" must be a string or null, not number"))
        #expect(try results.last?.get().line == 7)
    }

    @Test func veryLongLinesAndLargeFiles() throws {
        let long = #"{"workspace_id":"ws_9","p":""# + String(repeating: "x", count: 300_000) + #""}"#
        var text = long + "\n"
        for i in 0 ..< 2_000 { text += #"{"topic":"t","key":"k\#(i)","value":\#(i)}"# + "\n" }
        let records = try readAll(text).map { try $0.get() }
        #expect(records.count == 2_001)
        #expect(records[0].value?.count == long.utf8.count)
        #expect(records[0].key == "ws_9")
        #expect(records.last?.value == bytes("1999"))
    }

    @Test func byteOrderMarkAndInvalidUTF8() throws {
        var data = Data([0xef, 0xbb, 0xbf])
        data.append(Data(#"{"workspace_id":"ws_1"}"#.utf8))
        data.append(Data([0x0a, 0xff, 0xfe, 0x7b, 0x0a]))
        let records = try readAll(data).map { try $0.get() }
        #expect(records[0].key == "ws_1")
        #expect(records[1].value == [0xff, 0xfe, 0x7b])
    }

    @Test func missingFileIsAnError() {
        #expect(throws: RecordFileError.self) { try RecordFileReader(path: "/nonexistent/records.jsonl") }
    }
}

@Suite struct RecordFileReaderIOTests {
    /// A directory opens but cannot be read: a file-level error (line 0), so a
    /// caller that skips bad lines stops instead of retrying forever.
    @Test func unreadableFileIsAFileLevelError() throws {
        let reader = try RecordFileReader(path: "/tmp")
        do {
            _ = try reader.next()
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 0)
        }
    }
}
