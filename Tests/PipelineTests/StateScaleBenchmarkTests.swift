import Foundation
import Testing
@_spi(Benchmarks) @testable import Pipeline

/// `governor bench memory`'s machinery at a small scale: the state it builds goes
/// through the real drain / snapshot / replay / restore path and comes back equal
/// (the run throws otherwise), and the snapshot holds one entry per contact.
@Suite struct StateScaleBenchmarkTests {
    func run(_ scenario: StateScaleBenchmark.Scenario) throws -> StateScaleBenchmark.Figures {
        let path = NSTemporaryDirectory() + "state-scale-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try StateScaleBenchmark(scenario: scenario, contacts: 3_000, contactsPerCommit: 500)
            .run(changelogPath: path, progress: { _ in })
    }

    @Test func activeEventsStateSurvivesItsChangelog() throws {
        let figures = try run(.activeEvents)
        #expect(figures.contacts == 3_000 && figures.names == 0)
        // The workspace's scalars and one entry per contact.
        #expect(figures.snapshotEntries == 3_001)
        // Attempt record, (snapshot begin,) entries and commit of: the first snapshot (the
        // scalars alone), six commits of 500 contacts, the final snapshot.
        #expect(figures.changelogRecords == figures.restoreRecords)
        #expect(figures.changelogRecords == (3 + 1) + 6 * (2 + 500) + (3 + 3_001))
    }

    @Test func identifiedRollingStateSurvivesItsChangelog() throws {
        let figures = try run(.identifiedRolling30d)
        #expect(figures.contacts == 3_000 && figures.names == 200)
        // Scalars, contacts and names: the expiry queue is rebuilt from the contacts, not checkpointed.
        #expect(figures.snapshotEntries == 1 + 3_000 + 200)
        #expect(figures.changelogRecords == figures.restoreRecords)
    }

    @Test func contactKeysAreLongerThanInlineStrings() {
        #expect(StateScaleBenchmark.contactKey(0) == "contact-0000000000000000")
        #expect(StateScaleBenchmark.contactKey(1_234_567) == "contact-0000000001234567")
        #expect(StateScaleBenchmark.contactKey(0).utf8.count > 15)
    }
}
