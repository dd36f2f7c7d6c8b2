import Foundation
import Governance
import JSON
import Kafka
import RecordFile
import Testing

/// `governor mau report` on a run's outputs: the `usage` and `org-usage` records the
/// engine writes for the mau_active and connections fixtures, on a mock cluster.
@Suite(.serialized) struct MAUReportTests {
    @Test(.timeLimit(.minutes(3))) func listsCountedContactsBreakdownAndOrgPeaks() async throws {
        let fixtures = ["mau_active.jsonl", "connections.jsonl"]
        let outputs = try fixtures.flatMap { offlineOutputs(try readRecordFile(repositoryRoot.appendingPathComponent("Tests/Fixtures/\($0)").path)) }
        let usage = outputs.filter { $0.topic == Topic.usage || $0.topic == Topic.orgUsage }
        let cluster = try clusterWithTopics()
        defer { cluster.close() }
        try produce(usage.map { RecordLine(line: 0, topic: $0.topic, key: $0.key, timestampMs: $0.timestamp, value: $0.value) }, to: cluster)

        // What the report must say, from the records themselves.
        let values = usage.compactMap { (try? JSONParser.parse($0.value))?.value.objectValue }
        let firstActive = values.filter { $0["kind"]?.stringValue == "mau_first_active" }
        let workspace = try #require(firstActive.first?["workspace_id"]?.stringValue)
        let month = try #require(firstActive.first?["month"]?.stringValue)
        let expectedContacts = firstActive.filter { $0["workspace_id"]?.stringValue == workspace && $0["month"]?.stringValue == month }
            .map { "\($0["contact_key"]!.stringValue!) \($0["event"]!.stringValue!) \($0["message_id"]!.stringValue!)" }
        #expect(expectedContacts.count >= 2)
        let snapshot = try #require(values.last { $0["kind"]?.stringValue == "usage_snapshot" && $0["workspace_id"]?.stringValue == workspace
            && $0["month"]?.stringValue == month })
        let orgRecord = try #require(values.last { $0["kind"]?.stringValue == "org_connections_peak" })
        let org = try #require(orgRecord["org_id"]?.stringValue)
        let orgMonth = try #require(orgRecord["month"]?.stringValue)

        let json = try governor(["mau", "report", "--brokers", cluster.bootstrapServers, "--workspace", workspace, "--month", month, "--format", "json"])
        let report = try #require(try JSONParser.parse(json.output).value.objectValue, "\(json)")
        let contacts = (report["counted_contacts"]?.arrayValue ?? []).compactMap(\.objectValue)
            .map { "\($0["contact_key"]!.stringValue!) \($0["event"]!.stringValue!) \($0["message_id"]!.stringValue!)" }
        #expect(contacts == expectedContacts)
        #expect(report["mau"] == snapshot["mau"])
        #expect(report["mau_mode"] == snapshot["mau_mode"])
        #expect(report["overage_packs"] == snapshot["overage_packs"])
        #expect(report["breakdown"] == snapshot["breakdown"])

        let table = try governor(["mau", "report", "--brokers", cluster.bootstrapServers, "--workspace", workspace, "--month", month])
        for contact in expectedContacts {
            let parts = contact.split(separator: " ")
            #expect(table.output.split(separator: "\n").contains { line in
                parts.allSatisfy { line.contains($0) } }, "\(contact) not listed:\n\(table.output)")
        }
        #expect(table.output.contains("counted contacts: \(expectedContacts.count)"))

        let orgCSV = try governor(["mau", "report", "--brokers", cluster.bootstrapServers, "--workspace", workspace, "--month", orgMonth,
                                   "--org", org, "--format", "csv"])
        let peaks = orgRecord["peaks"]?.objectValue ?? JSONObject()
        #expect(!peaks.isEmpty)
        for member in peaks {
            #expect(orgCSV.output.contains("org_peak,\(member.key),\(member.value.numberValue?.int64Value ?? -1),,\n"), "\(orgCSV.output)")
        }
        #expect(orgCSV.output.contains("org_peak,sum,\(orgRecord["peak_sum"]?.numberValue?.int64Value ?? -1),,"), "\(orgCSV.output)")

        let bad = try governor(["mau", "report", "--brokers", cluster.bootstrapServers, "--workspace", workspace, "--month", "2026-13"])
        #expect(bad.status != 0)
        #expect(bad.error.contains("YYYY-MM"))
    }

    /// Runs the governor binary to completion.
    private func governor(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
