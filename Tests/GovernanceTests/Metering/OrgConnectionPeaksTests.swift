import JSON
import Testing
@testable import Governance

@Suite struct OrgConnectionPeaksTests {
    @Test func aRaiseWritesTheOrgsPeakSumWithPeaksSortedByWorkspace() {
        var peaks = OrgConnectionPeaks()
        #expect(peaks.raise(orgID: "org_x", workspaceID: "ws_x2", month: "2026-11", peak: 1)?.serialized
            == #"{"kind":"org_connections_peak","org_id":"org_x","month":"2026-11","peak_sum":1,"peaks":{"ws_x2":1}}"#)
        #expect(peaks.raise(orgID: "org_x", workspaceID: "ws_x", month: "2026-11", peak: 4)?.serialized
            == #"{"kind":"org_connections_peak","org_id":"org_x","month":"2026-11","peak_sum":5,"peaks":{"ws_x":4,"ws_x2":1}}"#)
    }

    @Test func aPeakThatIsNotHigherWritesNothing() {
        var peaks = OrgConnectionPeaks()
        _ = peaks.raise(orgID: "o", workspaceID: "w", month: "2026-11", peak: 4)
        #expect(peaks.raise(orgID: "o", workspaceID: "w", month: "2026-11", peak: 4) == nil)
        #expect(peaks.raise(orgID: "o", workspaceID: "w", month: "2026-11", peak: 3) == nil)
        #expect(peaks.raise(orgID: "o", workspaceID: "w", month: "2026-12", peak: 0) == nil)
    }

    @Test func monthsAreSeparateAndOnlyTheLatestTwoAreKept() {
        var peaks = OrgConnectionPeaks()
        _ = peaks.raise(orgID: "o", workspaceID: "a", month: "2026-10", peak: 9)
        _ = peaks.raise(orgID: "o", workspaceID: "a", month: "2026-11", peak: 2)
        #expect(peaks.raise(orgID: "o", workspaceID: "b", month: "2026-12", peak: 1)?["peak_sum"] == 1)
        #expect(peaks.orgs["o"]?.peaks.keys.sorted() == ["2026-11", "2026-12"])
        #expect(peaks.raise(orgID: "o", workspaceID: "b", month: "2026-10", peak: 5) == nil)
        #expect(peaks.raise(orgID: "o", workspaceID: "b", month: "2026-11", peak: 5)?["peak_sum"] == 7)
    }
}
