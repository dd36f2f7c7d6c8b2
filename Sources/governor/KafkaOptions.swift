import ArgumentParser
import Foundation
import Kafka
import Logging

/// `--brokers` and `-X key=value`, shared by the commands that talk to a cluster.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Bootstrap servers, host:port[,host:port...].")
    var brokers: String

    @Option(
        name: .customShort("X"),
        help: ArgumentHelp(
            "A librdkafka property, key=value (repeatable), e.g. -X security.protocol=SASL_SSL.",
            valueName: "key=value"))
    var properties: [String] = []

    @Option(
        name: .customShort("F"),
        help: ArgumentHelp(
            "A file of librdkafka properties, key=value per line, # for comments (as kcat -F), so that secrets stay "
                + "out of the process list. -X options override it.",
            valueName: "file"))
    var propertiesFile: String?

    func validate() throws {
        let servers = brokers.split(separator: ",", omittingEmptySubsequences: false)
        if servers.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--brokers \"\(brokers)\" has an empty server: give host:port[,host:port...], e.g. --brokers 127.0.0.1:9092")
        }
        for property in properties {
            do { _ = try KafkaConfig.parse(assignment: property) } catch { throw ValidationError(error.message) }
        }
        do { _ = try fileProperties() } catch { throw ValidationError(error.message) }
    }

    var config: KafkaConfig {
        get throws {
            var config = KafkaConfig(bootstrapServers: brokers, clientID: "governor")
            for (key, value) in try fileProperties() { config.properties[key] = value }
            try config.apply(assignments: properties)
            return config
        }
    }

    /// The properties of `-F FILE`, in file order (none without `-F`).
    private func fileProperties() throws(KafkaError) -> [(key: String, value: String)] {
        guard let propertiesFile else { return [] }
        guard let data = FileManager.default.contents(atPath: propertiesFile) else {
            throw .invalidConfig("cannot read the properties file \(propertiesFile)",
                                 fix: "pass -F a readable file of key=value lines")
        }
        return try KafkaConfig.parseProperties(text: String(decoding: data, as: UTF8.self), source: propertiesFile)
    }
}

/// Loggers of the command line write to stderr, so stdout stays for results.
func commandLogger(_ label: String) -> Logger {
    var logger = Logger(label: label) { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = .warning
    return logger
}

/// Writes a line to stderr.
func printError(_ text: String) {
    var stream = StandardError()
    print(text, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// A cluster that could not be reached, said with the fix (the librdkafka error alone,
/// "Local: Broker transport failure", does not say what to check).
struct ClusterUnreachable: Error, CustomStringConvertible {
    let brokers: String
    let underlying: KafkaError

    var description: String {
        "cannot reach the cluster at \(brokers): \(underlying). Check --brokers, the -X/-F security settings "
            + "(security.protocol, sasl.*), and that the brokers are up (governor dev-broker runs a local one)."
    }

    /// librdkafka's codes for "no broker answered".
    static let codes: Set<Int32> = [-195, -187, -193, -185]  // _TRANSPORT, _ALL_BROKERS_DOWN, _RESOLVE, _TIMED_OUT

    /// Runs `body`, turning an unreachable-cluster error into this one.
    static func naming<T>(_ brokers: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as KafkaError where codes.contains(error.code.rawValue) {
            throw ClusterUnreachable(brokers: brokers, underlying: error)
        }
    }
}
