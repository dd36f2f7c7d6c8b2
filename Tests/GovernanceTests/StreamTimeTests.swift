import Testing
@testable import Governance

@Test func dayIsTwentyFourHours() {
    #expect(Millis.day == 24 * Millis.hour)
}
