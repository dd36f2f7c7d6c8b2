import Foundation
import Governance
import Kafka
import Review
import Testing

/// The index at scale: REVIEW_INDEX_SCALE=N fills a file index with N synthetic
/// DLQ records through `ingest` (batches of 5,000, as the follower does) and checks
/// that every query the console makes still answers correctly. It prints how long
/// each took (the figures in docs/DLQ.md); it asserts results, never times.
@Suite struct ReviewIndexScaleTests {
    static let size = Int(ProcessInfo.processInfo.environment["REVIEW_INDEX_SCALE"] ?? "") ?? 0

    @Test(.enabled(if: size > 0, "set REVIEW_INDEX_SCALE=N to run")) func queriesAnswerAtScale() throws {
        let n = Self.size
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("review-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try ReviewIndex(path: directory.appendingPathComponent("index.sqlite").path)
        let reasons = ["unknown_workspace", "malformed_json", "missing_field", "schema_mismatch", "invalid_field"]
        let t0: Int64 = 1_795_000_000_000
        func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
            let start = ContinuousClock.now
            let result = try body()
            print("review index scale \(n): \(label): \(ContinuousClock.now - start)")
            return result
        }
        var ingesting = Duration.zero
        do {
            for batchStart in stride(from: 0, to: n, by: 5_000) {
                let batch = (batchStart..<min(batchStart + 5_000, n)).map { i in
                    dlqMessage(partition: Int32(i % 12), offset: Int64(i / 12), reason: reasons[i % reasons.count],
                               workspace: "ws_\(i % 1_000)", messageID: i == n / 2 ? "needle-message" : "m\(i)",
                               originOffset: Int64(i / 12), time: t0 + Int64(i) * 1_000,
                               original: #"{"message_id":"m\#(i)","workspace_id":"ws_\#(i % 1_000)","event":"order_placed"}"#)
                }
                let start = ContinuousClock.now
                try index.ingest(batch)
                ingesting += ContinuousClock.now - start
            }
            print("review index scale \(n): ingest (index.ingest only, batches of 5,000): \(ingesting)")
        }
        let perReason = n / reasons.count
        let unknown = DLQFilter(reason: "unknown_workspace")
        #expect(try timed("count by reason") { try index.count(unknown) } == perReason + (n % reasons.count > 0 ? 1 : 0))
        let newest = try timed("first page by reason (50)") { try index.list(unknown, limit: 50) }
        #expect(newest.count == 50)
        #expect(zip(newest, newest.dropFirst()).allSatisfy { $0.streamTimeMs > $1.streamTimeMs })
        let deep = try #require(newest.last).cursor
        #expect(try timed("next page by reason (keyset)") { try index.list(unknown, after: deep, limit: 50) }.count == 50)
        let workspace = DLQFilter(workspaceID: "ws_7", since: t0, until: t0 + Int64(n / 2) * 1_000)
        #expect(try timed("workspace + time range page") { try index.list(workspace, limit: 50) }.allSatisfy { $0.workspaceID == "ws_7" })
        let histogram = try timed("histogram, all records") { try index.histogram(DLQFilter()) }
        #expect(histogram.series.reduce(0) { $0 + $1.counts.reduce(0, +) } == n)
        #expect(try timed("facets") { try index.facets() }.total == n)
        let unknownCount = try index.count(unknown)
        #expect(try timed("replay destinations by reason") { try index.destinations(unknown) }.byTopic["raw-events"] == unknownCount)
        let needle = try timed("free text over everything") { try index.list(DLQFilter(text: "NEEDLE-message"), limit: 50) }
        #expect(needle.map(\.messageID) == ["needle-message"])
        #expect(try timed("show by message id") { try index.entries(matching: "needle-message") }.count == 1)
    }
}
