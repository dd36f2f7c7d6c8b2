import Foundation
import PropertyBased
import Testing
@testable import Governance

@Suite struct NameRegistryTests {
    let t0: StreamTime = 1_795_000_000_000
    let sevenDays = 7 * Millis.day

    /// A registry holding `count` names, registered at t0.
    func full(_ count: Int, cap: Int) -> NameRegistry {
        var registry = NameRegistry()
        for i in 0..<count { _ = registry.admit("custom_\(i)", cap: cap, at: t0) }
        return registry
    }

    @Test func aNovelNameBelowTheCapIsRegistered() {
        var registry = NameRegistry()
        #expect(registry.admit("a", cap: 2, at: t0) == .registered(new: true))
        #expect(registry.admit("b", cap: 2, at: t0) == .registered(new: true))
        #expect(registry.size == 2)
        #expect(registry.names["a"] == t0)
    }

    @Test func aRegisteredNameAlwaysPasses() {
        var registry = full(2, cap: 2)
        #expect(registry.admit("custom_0", cap: 2, at: t0) == .registered(new: false))
        _ = registry.admit("novel", cap: 2, at: t0)
        #expect(registry.admit("custom_1", cap: 2, at: t0 + 30 * Millis.day) == .registered(new: false))
    }

    @Test func theFirstEverBreachOpensGraceAndPassesUnregistered() {
        var registry = full(2, cap: 2)
        let admission = registry.admit("novel", cap: 2, at: t0 + 5)
        #expect(admission == .graceOpened)
        #expect(admission.passes && admission.capHitPhase == .grace)
        #expect(!registry.contains("novel"))
        #expect(registry.grace == .open(since: t0 + 5, lastReminder: nil))
        #expect(registry.graceActive(at: t0 + 5))
    }

    @Test func graceAdmitsNovelNamesUntilExactlySevenDays() {
        var registry = full(1, cap: 1)
        #expect(registry.admit("n1", cap: 1, at: t0) == .graceOpened)
        #expect(registry.admit("n2", cap: 1, at: t0 + sevenDays - 1) == .passedInGrace)
        #expect(registry.admit("n2", cap: 1, at: t0 + sevenDays - 1) == .passedInGrace)
        #expect(registry.size == 1)
        #expect(registry.graceActive(at: t0 + sevenDays - 1))
        #expect(!registry.graceActive(at: t0 + sevenDays))
        let expired = registry.admit("n3", cap: 1, at: t0 + sevenDays)
        #expect(expired == .overCap(graceExpiredNow: true))
        #expect(!expired.passes && expired.capHitPhase == .hard)
        #expect(registry.admit("n4", cap: 1, at: t0 + sevenDays) == .overCap(graceExpiredNow: false))
        #expect(registry.grace == .expired(at: t0 + sevenDays))
        // An out-of-order record from inside the window is refused too: grace is over.
        #expect(registry.admit("n5", cap: 1, at: t0 + 1) == .overCap(graceExpiredNow: false))
    }

    @Test func graceExpiredIsWrittenByTheFirstRefusalHoweverLate() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.admit("custom_0", cap: 1, at: t0 + 30 * Millis.day) == .registered(new: false))
        #expect(registry.admit("n2", cap: 1, at: t0 + 30 * Millis.day) == .overCap(graceExpiredNow: true))
    }

    @Test func graceNeverReopensAfterExpiry() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        _ = registry.admit("n2", cap: 1, at: t0 + sevenDays)
        // A later raise registers names again, but the next breach is hard at once.
        #expect(registry.capChanged(from: 1, to: 2, at: t0 + sevenDays + 1) == false)
        #expect(registry.admit("n3", cap: 2, at: t0 + 10 * Millis.day) == .registered(new: true))
        #expect(registry.admit("n4", cap: 2, at: t0 + 10 * Millis.day) == .overCap(graceExpiredNow: false))
    }

    @Test func raisingTheCapDuringGraceClearsItForGood() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.capChanged(from: 1, to: 3, at: t0 + Millis.day) == true)
        #expect(registry.grace == .cleared(at: t0 + Millis.day))
        #expect(registry.admit("n1", cap: 3, at: t0 + Millis.day) == .registered(new: true))
        #expect(registry.admit("n2", cap: 3, at: t0 + Millis.day) == .registered(new: true))
        #expect(registry.admit("n3", cap: 3, at: t0 + Millis.day) == .overCap(graceExpiredNow: false))
        #expect(registry.capChanged(from: 3, to: 5, at: t0 + Millis.day) == false)
    }

    @Test func raisingTheCapToUnlimitedDuringGraceClearsIt() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.capChanged(from: 1, to: nil, at: t0 + 1) == true)
        #expect(registry.admit("n1", cap: nil, at: t0 + 2) == .registered(new: true))
    }

    @Test func onlyARaiseWhileGraceIsActiveClearsIt() {
        var registry = full(2, cap: 2)
        #expect(registry.capChanged(from: 2, to: 5, at: t0) == false)  // never opened
        _ = registry.admit("n1", cap: 2, at: t0)
        #expect(registry.capChanged(from: 2, to: 2, at: t0 + 1) == false)
        #expect(registry.capChanged(from: 2, to: 1, at: t0 + 1) == false)
        #expect(registry.capChanged(from: nil, to: 5, at: t0 + 1) == false)
        #expect(registry.capChanged(from: 2, to: 5, at: t0 + sevenDays) == false)  // already over
        #expect(registry.grace == .open(since: t0, lastReminder: nil))
        #expect(registry.capChanged(from: 2, to: 5, at: t0 + sevenDays - 1) == true)
    }

    @Test func aDowngradeKeepsRegisteredNamesPassing() {
        var registry = full(5, cap: 5)
        for i in 0..<5 { #expect(registry.admit("custom_\(i)", cap: 2, at: t0 + 1) == .registered(new: false)) }
        #expect(registry.admit("novel", cap: 2, at: t0 + 1) == .graceOpened)
        #expect(registry.remainingNewNames(cap: 2) == 0)
    }

    @Test func aReminderIsDueEveryTwentyFourHoursWhileGraceIsActive() {
        var registry = full(1, cap: 1)
        #expect(registry.reminderDue(at: t0 + Millis.day) == false)  // no grace yet
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.reminderDue(at: t0 + Millis.day - 1) == false)
        // The first record at least 24 h after the opening, here 5 ms past it.
        #expect(registry.reminderDue(at: t0 + Millis.day + 5) == true)
        #expect(registry.reminderDue(at: t0 + Millis.day + 5) == false)  // marked sent
        // The next one counts from the previous reminder's time, not from the opening.
        #expect(registry.reminderDue(at: t0 + 2 * Millis.day + 4) == false)
        #expect(registry.reminderDue(at: t0 + 2 * Millis.day + 5) == true)
        #expect(registry.grace == .open(since: t0, lastReminder: t0 + 2 * Millis.day + 5))
    }

    @Test func aReminderIsDueAtExactlyTwentyFourHoursAfterTheOpening() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.reminderDue(at: t0 + Millis.day) == true)
    }

    @Test func noReminderOnceGraceHasRunOutOrWasCleared() {
        var registry = full(1, cap: 1)
        _ = registry.admit("n1", cap: 1, at: t0)
        #expect(registry.reminderDue(at: t0 + sevenDays) == false)
        #expect(registry.reminderDue(at: t0 + sevenDays - 1) == true)
        var cleared = full(1, cap: 1)
        _ = cleared.admit("n1", cap: 1, at: t0)
        _ = cleared.capChanged(from: 1, to: 2, at: t0 + 1)
        #expect(cleared.reminderDue(at: t0 + 2 * Millis.day) == false)
    }

    @Test func unlimitedPassesEveryNameWithoutGraceAndKeepsTheFirstTenThousand() {
        var registry = NameRegistry()
        for i in 0..<NameRegistry.unlimitedSafetyLimit {
            #expect(registry.admit("n\(i)", cap: nil, at: t0) == .registered(new: true))
        }
        #expect(registry.admit("n10000", cap: nil, at: t0) == .passedOverSafetyLimit)
        #expect(registry.admit("n0", cap: nil, at: t0) == .registered(new: false))
        #expect(registry.size == 10_000)
        #expect(registry.grace == .neverOpened)
        #expect(registry.remainingNewNames(cap: nil) == -1)
    }

    @Test func aNegativeCapMeansUnlimited() {
        var registry = full(1, cap: 1)
        #expect(registry.admit("a", cap: -1, at: t0) == .registered(new: true))
        #expect(registry.remainingNewNames(cap: -1) == -1)
        _ = registry.admit("b", cap: 2, at: t0)
        #expect(registry.capChanged(from: 2, to: -1, at: t0 + 1) == true)
    }

    @Test func remainingNewNamesIsTheRoomLeftNeverNegative() {
        let registry = full(3, cap: 10)
        #expect(registry.remainingNewNames(cap: 10) == 7)
        #expect(registry.remainingNewNames(cap: 3) == 0)
        #expect(registry.remainingNewNames(cap: 1) == 0)
    }

    @Test func aCapOfZeroOpensGraceOnTheFirstName() {
        var registry = NameRegistry()
        #expect(registry.admit("a", cap: 0, at: t0) == .graceOpened)
    }

    @Test func theRegistryNeverExceedsTheLargestCapItWasGiven() async {
        let steps = zip(Gen.int(in: 0...40), Gen.int(in: 0...12), Gen.int64(in: 0...Millis.day)).array(of: 1...200)
        await propertyCheck(input: steps) { steps in
            var registry = NameRegistry()
            var t = t0
            var largestCap = 0
            for (name, cap, advance) in steps {
                t += advance
                largestCap = max(largestCap, cap)
                let before = registry.size
                let admission = registry.admit("n\(name)", cap: cap, at: t)
                #expect(registry.size <= largestCap)
                #expect(registry.size == before + (admission == .registered(new: true) ? 1 : 0))
                if registry.size > before { #expect(before < cap) }
            }
        }
    }

    @Test func survivesACodableRoundTripAndARestore() throws {
        var registry = full(2, cap: 2)
        _ = registry.admit("novel", cap: 2, at: t0)
        _ = registry.reminderDue(at: t0 + Millis.day)
        let decoded = try JSONDecoder().decode(NameRegistry.self, from: JSONEncoder().encode(registry))
        #expect(decoded == registry)
        var restored = NameRegistry()
        for (name, t) in registry.drainChanges() { restored.restore(name, t) }
        restored.restore(grace: registry.grace)
        #expect(restored == registry)
    }
}
