import Testing
@testable import Kafka

@Test func linksLibrdkafka() {
    #expect(Librdkafka.version.hasPrefix("2."))
}
