import Foundation
import JSON
import Testing
@testable import Governance

@Suite struct NotificationDebouncerTests {
    let t: StreamTime = 1_795_000_001_000

    func request(_ capType: NotificationCapType, org: String = "org_shared", ws: String = "ws_a", level: Int? = nil,
                 at time: StreamTime) -> NotificationRequest
    {
        NotificationRequest(orgID: org, workspaceID: ws, capType: capType, level: level, streamTimeMs: time)
    }

    /// Whether each request passes, in order.
    func admits(_ requests: [NotificationRequest]) -> [Bool] {
        var debouncer = NotificationDebouncer()
        return requests.map { debouncer.admit($0) }
    }

    @Test func aRequestWithin24HoursOfTheLastPassIsSwallowedAndExactly24HoursPasses() {
        #expect(admits([
            request(.eventNameCap, at: t),
            request(.eventNameCap, ws: "ws_b", at: t + Millis.hour),
            request(.eventNameCap, at: t + 24 * Millis.hour - 1),
            request(.eventNameCap, at: t + 24 * Millis.hour),
            request(.eventNameCap, at: t + 48 * Millis.hour - 1),
        ]) == [true, false, false, true, false])
    }

    @Test func aSwallowedRequestDoesNotRestartTheWindow() {
        #expect(admits([
            request(.graceReminder, at: t),
            request(.graceReminder, at: t + 23 * Millis.hour),
            request(.graceReminder, at: t + 24 * Millis.hour),
        ]) == [true, false, true])
    }

    @Test func aRequestOlderThanTheLastPassIsSwallowed() {
        #expect(admits([request(.eventNameCap, at: t), request(.eventNameCap, at: t - 30 * Millis.hour)])
            == [true, false])
    }

    @Test func levels80And100AreDebouncedSeparately() {
        #expect(admits([
            request(.mauThreshold, level: 80, at: t),
            request(.mauThreshold, level: 100, at: t + 1),
            request(.mauThreshold, level: 100, at: t + 2),
            request(.pccThreshold, level: 80, at: t + 2),
        ]) == [true, true, false, true])
    }

    @Test func orgsAndCapTypesAreDebouncedSeparately() {
        #expect(admits([
            request(.eventNameCap, at: t),
            request(.eventNameCap, org: "org_other", at: t),
            request(.graceReminder, at: t),
            request(.eventsQuotaExceeded, at: t),
        ]) == [true, true, true, true])
    }

    @Test func processFansOutOnlyWhatPasses() {
        var debouncer = NotificationDebouncer()
        #expect(debouncer.process(request(.eventNameCap, at: t)).count == 4)
        #expect(debouncer.process(request(.eventNameCap, at: t + 1)).isEmpty)
    }

    @Test func stateRoundTripsThroughCodable() throws {
        var debouncer = NotificationDebouncer()
        _ = debouncer.admit(request(.mauThreshold, level: 80, at: t))
        _ = debouncer.admit(request(.eventNameCap, at: t))
        let data = try JSONEncoder().encode(debouncer)
        #expect(try JSONDecoder().decode(NotificationDebouncer.self, from: data) == debouncer)
    }
}
