import ArgumentParser
import Dispatch
import Foundation
import Kafka
import Topology
import Synchronization

extension Governor {
    /// `governor dev-broker`: a mock cluster for other processes.
    struct DevBroker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-broker",
            abstract: "Run librdkafka's mock cluster with the topics of topics.yaml until stopped.",
            discussion: """
                Prints the bootstrap servers on stdout (and writes them to --bootstrap-file, \
                which is removed on exit). Stops cleanly on SIGINT or SIGTERM. The cluster \
                keeps at most 5 MiB per partition and does not compact (docs/KAFKA.md).
                """
        )

        @Option(help: "Number of brokers.")
        var brokers = 3

        @Option(help: "A file to write the bootstrap servers to.")
        var bootstrapFile: String?

        @Option(help: "A topics file instead of the built-in topics (the repository's topics.yaml).")
        var file: String?

        func validate() throws {
            guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        }

        func run() throws {
            let topics = try loadTopics(file, option: "--file")
            let cluster = try MockCluster(brokers: brokers, logger: commandLogger("dev-broker"))
            try cluster.createTopics(topics)
            if let bootstrapFile {
                try (cluster.bootstrapServers + "\n").write(toFile: bootstrapFile, atomically: true, encoding: .utf8)
            }
            print(cluster.bootstrapServers)
            printError("dev-broker: \(brokers) broker(s) at \(cluster.bootstrapServers), \(topics.topics.count) topics; stop with Ctrl-C")
            let signal = waitForTermination()
            if let bootstrapFile { try? FileManager.default.removeItem(atPath: bootstrapFile) }
            cluster.close()
            printError("dev-broker: stopped (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
        }
    }
}

/// Blocks until SIGINT or SIGTERM; returns which.
func waitForTermination() -> Int32 {
    let received = DispatchSemaphore(value: 0)
    let which = SignalBox()
    let sources = [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            which.set(number)
            received.signal()
        }
        source.resume()
        return source
    }
    received.wait()
    sources.forEach { $0.cancel() }
    return which.value
}

/// The number of the signal that arrived.
private final class SignalBox: Sendable {
    private let number = Mutex<Int32>(0)
    var value: Int32 { number.withLock { $0 } }
    func set(_ value: Int32) { number.withLock { $0 = value } }
}
