import Testing
@testable import Governance

@Suite struct PassiveEventsTests {
    @Test func thePerSourceListsHaveExactlyTheSpecCounts() {
        #expect(PassiveEvents.sdk.names.count == 20)
        #expect(PassiveEvents.ecommerce.names.count == 12)
        #expect(PassiveEvents.crm.names.count == 10)
        #expect(PassiveEvents.analytics.names.count == 8)
        #expect(PassiveEvents.channelCallbacks.names.count == 32)
        #expect(PassiveEvents.platformNative.names.count == 12)
        #expect(PassiveEvents.fileUpload.names.count == 6)
        #expect(PassiveEvents.warehouseSync.names.count == 6)
        #expect(PassiveEvents.sources.count == 8)
    }

    @Test func allPassiveEventNamesIs106DistinctNames() {
        let listed = PassiveEvents.sources.flatMap(\.names)
        #expect(listed.count == 106)
        #expect(Set(listed).count == 106)
        #expect(PassiveEvents.allPassiveEventNames == Set(listed))
        for source in PassiveEvents.sources { #expect(source.set.count == source.names.count) }
    }

    @Test func namesAndPrefixesArePassive() {
        #expect(PassiveEvents.isPassive("session_start"))
        #expect(PassiveEvents.isPassive("audience_synced"))
        #expect(PassiveEvents.isPassive("email.whatever"))
        #expect(PassiveEvents.isPassive("push.x"))
        #expect(PassiveEvents.isPassive("aegis."))
        #expect(PassiveEvents.passivePrefixes == ["email.", "whatsapp.", "sms.", "rcs.", "push.", "aegis."])
        #expect(!PassiveEvents.isPassive("email"))
        #expect(!PassiveEvents.isPassive("emails.sent"))
        #expect(!PassiveEvents.isPassive("Session_Start"))
        #expect(!PassiveEvents.isPassive("order_placed"))
    }

    @Test func consentDeleteAndConnectionAreNeverActive() {
        #expect(!PassiveEvents.isActive(type: "consent", name: "consent"))
        #expect(!PassiveEvents.isActive(type: "delete", name: "delete"))
        #expect(!PassiveEvents.isActive(type: "connection", name: "connect"))
        #expect(!PassiveEvents.isActive(type: "connection", name: "video_watched"))
    }

    @Test func everyOtherEventIsActiveUnlessPassive() {
        #expect(PassiveEvents.isActive(type: "track", name: "video_watched"))
        #expect(PassiveEvents.isActive(type: "track", name: "order_placed"))
        #expect(PassiveEvents.isActive(type: "page", name: "page_view"))
        #expect(PassiveEvents.isActive(type: "screen", name: "screen_view"))
        #expect(!PassiveEvents.isActive(type: "track", name: "sdk_initialized"))
        #expect(!PassiveEvents.isActive(type: "identify", name: "identify"))
        #expect(!PassiveEvents.isActive(type: "alias", name: "alias"))
        #expect(!PassiveEvents.isActive(type: "group", name: "group"))
    }
}
