import Testing
@testable import Governance

@Suite struct CountedNamesTests {
    @Test func thereAreExactlyThirtyStandardNames() {
        #expect(CountedNames.standardEventNames.count == 30)
        #expect(CountedNames.standardEventNames.isDisjoint(with: PassiveEvents.allPassiveEventNames))
    }

    @Test func onlyCustomTrackNamesAreCounted() {
        #expect(CountedNames.isCounted(type: "track", name: "video_rendered"))
        #expect(!CountedNames.isCounted(type: "track", name: "order_placed"))  // standard
        #expect(!CountedNames.isCounted(type: "track", name: "session_start"))  // passive
        #expect(!CountedNames.isCounted(type: "track", name: "email.custom_callback"))  // passive prefix
        #expect(!CountedNames.isCounted(type: "track", name: "aegis.anything"))
        #expect(!CountedNames.isCounted(type: "page", name: "page_view"))
        #expect(!CountedNames.isCounted(type: "connection", name: "connect"))
        #expect(!CountedNames.isCounted(type: "identify", name: "identify"))
    }

    @Test func countingIsCaseSensitive() {
        #expect(CountedNames.isCounted(type: "track", name: "Order_Placed"))
        #expect(CountedNames.isCounted(type: "track", name: "AEGIS.x"))
    }
}
