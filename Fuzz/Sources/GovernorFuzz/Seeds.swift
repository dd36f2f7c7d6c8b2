import Governance
import JSON
import RecordFile

#if canImport(Glibc)
import Glibc
#endif

/// The seed corpus (`Fuzz/corpus`), written by the fuzz binary itself so that the
/// changelog and state seeds are real encoder output:
/// `GOVERNOR_FUZZ_WRITE_SEEDS=Fuzz/corpus .build/…/GovernorFuzz`.
enum Seeds {
    static let lines = [
        #"{"topic":"workspace-config","key":"ws_1","timestamp_ms":1795000000000,"value":{"workspace_id":"ws_1","org_id":"org_1","plan":"trial"}}"#,
        #"{"topic":"raw-events","key":"ws_1","timestamp_ms":1795000000100,"value":{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"track","event":"order_placed","customer_id":"c1"}}"#,
        #"{"topic":"raw-events","key":"ws_1","timestamp_ms":1795000000200,"value_b64":"bm90IGpzb24="}"#,
        #"{"topic":"outbound-messages","key":"ws_1","timestamp_ms":9223372036854775807,"value":{"message_id":"o1","workspace_id":"ws_1","contact_key":"c1","channel":"email"}}"#,
        #"{"message_id":"m2","workspace_id":"ws_1","source_id":"web","type":"page","anonymous_id":"a1"}"#,
        #"{"topic":"raw-events","key":null,"timestamp_ms":-1,"value":null}"#,
        "not json at all",
    ]

    static let events = [
        #"{"message_id":"m1","workspace_id":"ws_1","source_id":"web","type":"track","event":"order_placed","customer_id":"c1","properties":{"amount":12.5}}"#,
        #"{"message_id":"m2","workspace_id":"ws_1","source_id":"web","type":"identify","customer_id":"c1","traits":{"firstName":"A","created_at":"2026-01-02","$x":1,"HTTPServerURL":"u"}}"#,
        #"{"message_id":"m3","workspace_id":"ws_1","source_id":"app","type":"connection","event":"connect","customer_id":"c1","context":{"connection_id":"k1"}}"#,
        #"{"message_id":"m4","workspace_id":"ws_1","source_id":"web","type":"consent","customer_id":"c1","properties":{"analytics":true}}"#,
        #"{"message_id":"m5","workspace_id":"ws_1","contact_key":"c1","channel":"sms","campaign_id":"x"}"#,
        #"{"a":[[[[[[[[[[[1]]]]]]]]]]]}"#,
        #"{"message_id":"\ud800","workspace_id":"ws_1","source_id":"web","type":"track","event":"\u00e9\u0301","customer_id":"c1","x":1e999}"#,
    ]

    static func write(to directory: String) {
        var seeds: [[UInt8]] = []
        seeds += lines.map { [0] + Array($0.utf8) }
        seeds += events.map { [1] + Array($0.utf8) }
        // Real state: a run over the event seeds, encoded as changelog entries.
        var run = FuzzTargets.freshRun()
        var out: [OutputRecord] = []
        for (index, event) in events.enumerated() {
            _ = run.feed(line: index + 2, topic: Topic.rawEvents, key: "ws_1", value: Array(event.utf8),
                         timestamp: 1_795_000_000_000 + Int64(index), into: &out)
        }
        let encoder = BinaryStateEncoder()
        if let state = run.engine.workspaces.states["ws_1"], let bytes = try? encoder.encode(state) {
            seeds.append([3] + bytes)
            for record in [ChangelogRecord.entry(attempt: 7, key: Array("ws_1".utf8), value: bytes),
                           .entry(attempt: 7, key: Array("gone".utf8), value: nil), .snapshotBegin(attempt: 3)] {
                let plain = ChangelogCodec.encode(record)
                seeds.append([2] + FuzzTargets.join(key: plain.key, header: plain.headers.first?.value ?? [], value: plain.value))
                let named = ChangelogCodec.encode(record, namespace: "fuzz")
                seeds.append([2] + FuzzTargets.join(key: named.key, header: named.headers.first?.value ?? [], value: named.value))
            }
        }
        if let bytes = try? encoder.encode(run.org) { seeds.append([3] + bytes) }
        if let bytes = try? encoder.encode(TokenBucket(ratePerSecond: 10, at: 5)) { seeds.append([3] + bytes) }
        for (index, seed) in seeds.enumerated() {
            let path = directory + "/seed-" + String(index)
            guard let file = fopen(path, "wb") else { continue }
            _ = seed.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
        print("wrote \(seeds.count) seeds to \(directory)")
    }
}
