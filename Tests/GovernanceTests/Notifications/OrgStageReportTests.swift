import Testing
@testable import Governance

/// A workspace peak report handed to the org stage as it is (`process(report:)`, what
/// `OfflineRun` does with the engine's own reports) has the outputs and the stage state
/// of the same report's bytes parsed (`process(value:)`): orgs, workspaces and months
/// in and out of order, open counts absent, zero and positive, ids that need escapes.
@Suite struct OrgStageReportTests {
    @Test func aReportTakenAsItIsEqualsItsBytesParsed() throws {
        let orgs = ["o1", "o\"2", "\u{E9}org"]
        let workspaces = ["w1", "w2", "w\n3", "w4"]
        let months = ["2026-10", "2026-11", "2026-12", "2027-01"]
        let opens: [Int64?] = [nil, 0, 1, 3]
        var seed: UInt64 = 12_345
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var parsed = OrgStage(), typed = OrgStage()
        var parsedOut: [OutputRecord] = [], typedOut: [OutputRecord] = []
        var t: StreamTime = 1_795_000_000_000
        for _ in 0..<3_000 {
            t += Int64(next(100_000))
            let report = WorkspacePeakReport(orgID: orgs[next(orgs.count)], workspaceID: workspaces[next(workspaces.count)],
                                             month: months[next(months.count)], peak: Int64(next(8)),
                                             open: opens[next(opens.count)], streamTimeMs: t)
            try parsed.process(value: report.jsonBytes, timestamp: t, into: &parsedOut)
            try typed.process(report: report, timestamp: t, into: &typedOut)
            #expect(parsedOut == typedOut)
            #expect(parsed == typed)
        }
        #expect(parsedOut.count > 50)
        let report = WorkspacePeakReport(orgID: "o1", workspaceID: "w1", month: "2026-11", peak: 1, streamTimeMs: -5)
        #expect(throws: NotificationRequestError.invalidTimestamp(-5)) {
            try parsed.process(value: report.jsonBytes, timestamp: -5, into: &parsedOut)
        }
        #expect(throws: NotificationRequestError.invalidTimestamp(-5)) {
            try typed.process(report: report, timestamp: -5, into: &typedOut)
        }
    }
}
