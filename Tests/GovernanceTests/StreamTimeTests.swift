import Testing
@testable import Governance

@Test func dayIsTwentyFourHours() {
    #expect(Duration_ms.day == 24 * Duration_ms.hour)
}
