import Testing
@testable import Governance

@Suite struct ConsentCategoryTests {
    @Test func declaredCategoryWins() {
        #expect(ConsentCategory.of(type: "track", event: "article_read", declared: "functional") == .functional)
        #expect(ConsentCategory.of(type: "identify", event: "identify", declared: "marketing") == .marketing)
    }

    @Test func declaredValueNamingNoCategoryIsIgnored() {
        #expect(ConsentCategory.of(type: "track", event: "campaign_open", declared: "Marketing") == .marketing)
        #expect(ConsentCategory.of(type: "track", event: "x", declared: "necessary") == .analytics)
    }

    @Test(arguments: ["identify", "group", "alias", "consent", "delete", "connection"])
    func functionalTypes(type: String) {
        #expect(ConsentCategory.of(type: type, event: "campaign_x", declared: nil) == .functional)
    }

    @Test func marketingNamesStartWithCampaignOrAdCaseSensitively() {
        #expect(ConsentCategory.of(type: "track", event: "campaign_click", declared: nil) == .marketing)
        #expect(ConsentCategory.of(type: "track", event: "ad_view", declared: nil) == .marketing)
        #expect(ConsentCategory.of(type: "track", event: "Campaign_click", declared: nil) == .analytics)
        #expect(ConsentCategory.of(type: "track", event: "campaign", declared: nil) == .analytics)
        #expect(ConsentCategory.of(type: "track", event: "add_to_cart", declared: nil) == .analytics)
    }

    @Test func everythingElseIsAnalytics() {
        #expect(ConsentCategory.of(type: "page", event: "page_view", declared: nil) == .analytics)
        #expect(ConsentCategory.of(type: "track", event: "ping", declared: nil) == .analytics)
    }
}
