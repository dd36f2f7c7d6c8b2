import Foundation
import Governance
import JSON
import Testing

/// A quick measurement, not a timed assertion: how many typical events per second
/// `EventValidator` validates, against parsing alone. Printed for docs/notes-validation.md.
@Suite struct ValidationSpeedTests {
    static let typical = Array(
        #"{"message_id":"0b5e6f1c-8d2a-4c1e-9f3b-7a6d5c4b3a21","workspace_id":"ws_1","source_id":"web","type":"track","event":"order_placed","customer_id":"c_123","properties":{"amount":42.5,"currency":"EUR"},"context":{"user_agent":"Mozilla/5.0"}}"#
            .utf8
    )

    @Test func validationCostsLittleBeyondTheParse() throws {
        let rounds = 50_000
        var sink = 0
        let parseStart = ContinuousClock.now
        for _ in 0..<rounds { sink &+= try JSONParser.parse(Self.typical).depth }
        let parse = ContinuousClock.now - parseStart
        let validateStart = ContinuousClock.now
        for _ in 0..<rounds {
            if case .success(let event) = EventValidator.validate(value: Self.typical, key: "ws_1") { sink &+= event.name.utf8.count }
        }
        let validate = ContinuousClock.now - validateStart
        func perSecond(_ d: Duration) -> Int { Int(Double(rounds) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)) }
        print("validation speed: \(Self.typical.count)-byte event, parse only \(perSecond(parse))/s, parse + validate \(perSecond(validate))/s")
        #expect(sink > 0)
    }
}
