import Foundation
import Testing
@testable import Governance

@Suite struct ClickHouseMAUViewTests {
    static let committedFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/clickhouse/mau_view.sql")

    @Test func theCommittedSQLIsTheGeneratorsOutput() throws {
        let committed = try String(contentsOf: Self.committedFile, encoding: .utf8)
        #expect(committed == ClickHouseMAUView.sql(), "regenerate: swift run governor classifier sql > deploy/clickhouse/mau_view.sql")
    }

    @Test func theSQLExcludesEveryPassiveNameOnceAndEveryPrefixAndType() {
        let sql = ClickHouseMAUView.sql()
        let quotedLines = sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("'") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        #expect(quotedLines.count == 106)
        #expect(Set(quotedLines) == Set(PassiveEvents.allPassiveEventNames.map { "'\($0)'" }))
        for prefix in PassiveEvents.passivePrefixes {
            #expect(sql.contains("AND NOT startsWith(event, '\(prefix)')"))
        }
        #expect(sql.contains("WHERE type NOT IN ('connection', 'consent', 'delete')"))
        #expect(sql.contains("CREATE MATERIALIZED VIEW IF NOT EXISTS governor.mau_active_events"))
        #expect(sql.contains("uniqExactState(contact_key)"))
    }

    @Test func theSQLIsDeterministic() {
        #expect(ClickHouseMAUView.sql() == ClickHouseMAUView.sql())
    }
}
