import JSON
import Testing
@testable import Governance

@Suite struct ContactConsentTests {
    @Test func consentDefaultAppliesToAnalyticsAndMarketingOnly() {
        let unset = ContactConsent()
        #expect(!unset.isGranted(.analytics, defaultGranted: false))
        #expect(!unset.isGranted(.marketing, defaultGranted: false))
        #expect(unset.isGranted(.functional, defaultGranted: false))
        #expect(unset.grantedCategories(defaultGranted: true) == [.analytics, .marketing, .functional])
    }

    @Test func functionalIsGrantedUnlessSetFalse() {
        var consent = ContactConsent()
        consent.apply(props(["functional": false]))
        #expect(!consent.isGranted(.functional, defaultGranted: true))
    }

    @Test func consentEventSetsOnlyTheBooleansPresent() {
        var consent = ContactConsent()
        consent.apply(props(["analytics": true]))
        consent.apply(props(["marketing": true, "analytics": "yes", "other": false]))
        #expect(consent == ContactConsent(analytics: true, marketing: true))
        consent.apply(props(["analytics": false]))
        #expect(!consent.isGranted(.analytics, defaultGranted: true))
        #expect(consent.grantedCategories(defaultGranted: false) == [.marketing, .functional])
    }
}

/// A consent event's `properties` object.
private func props(_ value: JSONValue) -> JSONObject { value.objectValue ?? JSONObject() }
