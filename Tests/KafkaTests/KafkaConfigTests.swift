import Testing
@testable import Kafka

@Suite struct KafkaConfigTests {
    @Test func passThroughOverridesDefaults() throws {
        var config = KafkaConfig(bootstrapServers: "b:9092")
        try config.apply(assignments: ["security.protocol=SASL_SSL", "sasl.password=a=b", "linger.ms = 7"])
        let properties = config.librdkafkaProperties(["linger.ms": "5", "acks": "all"])
        #expect(properties["security.protocol"] == "SASL_SSL")
        #expect(properties["sasl.password"] == "a=b")
        #expect(properties["linger.ms"] == " 7")
        #expect(properties["acks"] == "all")
        #expect(properties["bootstrap.servers"] == "b:9092")
    }

    /// The client id is the application's choice; without one librdkafka's default stays.
    @Test func clientIDIsAParameter() {
        #expect(KafkaConfig(bootstrapServers: "b:9092").librdkafkaProperties([:])["client.id"] == nil)
        #expect(KafkaConfig(bootstrapServers: "b:9092", clientID: "app").librdkafkaProperties([:])["client.id"] == "app")
    }

    /// An assign-only consumer's private group id carries the application's prefix.
    @Test func privateGroupIDHasThePrefix() {
        #expect(ConsumerSettings(groupID: nil, privateGroupPrefix: "app-reader").properties["group.id"]?.hasPrefix("app-reader-") == true)
        #expect(ConsumerSettings(groupID: "g").properties["group.id"] == "g")
    }

    @Test func badAssignmentsNameTheFix() {
        for bad in ["novalue", "=x"] {
            let error = #expect(throws: KafkaError.self) { try KafkaConfig.parse(assignment: bad) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("key=value") == true)
        }
    }

    @Test func librdkafkaRejectsUnknownProperty() {
        let config = KafkaConfig(bootstrapServers: "127.0.0.1:1", properties: ["no.such.property": "1"])
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(config: config, logger: testLogger) }
        #expect(error?.message.contains("no.such.property") == true)
        #expect(error?.message.contains("CONFIGURATION.md") == true)
    }
}
