import Foundation
import Testing
@testable import Kafka

/// Secrets never reach logs or messages; `-F FILE` properties files (issue 14 item 6).
@Suite struct KafkaConfigSecretsTests {
    @Test(arguments: [
        "sasl.password", "ssl.key.password", "ssl.keystore.password", "SASL.PASSWORD", "sasl.oauthbearer.config",
        "sasl.oauthbearer.client.secret", "my.api.token", "sasl.oauthbearer.token.endpoint.url",
    ])
    func secretKeysAreRecognised(_ key: String) {
        #expect(KafkaConfig.isSecret(key: key))
        #expect(KafkaConfig.printable(key: key, value: "hunter2") == "***")
    }

    @Test(arguments: ["sasl.username", "security.protocol", "sasl.mechanisms", "bootstrap.servers", "client.id"])
    func otherKeysArePrintable(_ key: String) {
        #expect(!KafkaConfig.isSecret(key: key))
        #expect(KafkaConfig.printable(key: key, value: "v") == "v")
    }

    static let config = KafkaConfig(bootstrapServers: "b:9092", properties: [
        "sasl.username": "alice", "sasl.password": "hunter2", "sasl.oauthbearer.config": "principal=bob secret=s3cr3t",
    ])

    @Test func aConfigPrintsWithoutItsSecrets() {
        for text in [Self.config.description, String(describing: Self.config), "\(Self.config)", String(reflecting: Self.config),
                     { var out = ""; dump(Self.config, to: &out); return out }()] {
            #expect(!text.contains("hunter2") && !text.contains("s3cr3t"), "\(text)")
            #expect(text.contains("alice"), "\(text)")
        }
    }

    @Test func librdkafkaMessagesQuotingASecretAreRedacted() {
        let message = "Invalid value \"principal=bob secret=s3cr3t\" for configuration property \"sasl.oauthbearer.config\""
        let redacted = KafkaConfig.redacting(message, secretsOf: Self.config.properties)
        #expect(!redacted.contains("s3cr3t") && redacted.contains("***") && redacted.contains("sasl.oauthbearer.config"))
    }

    @Test func aMistypedSecretAssignmentIsNotEchoed() {
        #expect(throws: KafkaError.self) { try KafkaConfig.parse(assignment: "sasl.password:hunter2") }
        do {
            _ = try KafkaConfig.parse(assignment: "sasl.password:hunter2")
        } catch {
            #expect(!error.message.contains("hunter2") && error.message.contains("key=value"))
        }
    }

    @Test func aPropertiesFileReadsLikeKcat() throws {
        let text = """
            # credentials for the prod cluster
            security.protocol = SASL_SSL
              sasl.mechanisms=PLAIN\r

            sasl.password=pa=ss word
            #sasl.username=ignored
            """
        let parsed = try KafkaConfig.parseProperties(text: text, source: "prod.properties")
        #expect(parsed.map(\.key) == ["security.protocol", "sasl.mechanisms", "sasl.password"])
        #expect(parsed.map(\.value) == ["SASL_SSL", "PLAIN", "pa=ss word"])
    }

    @Test func aBadPropertiesFileLineNamesTheFileAndLineButNotTheSecret() {
        do {
            _ = try KafkaConfig.parseProperties(text: "a=b\n\nsasl.password hunter2\n", source: "x.properties")
            Issue.record("accepted a line without =")
        } catch {
            #expect(error.message.contains("x.properties:3"), "\(error.message)")
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
    }
}
