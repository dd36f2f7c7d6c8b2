import ArgumentParser
import Console
import Dispatch
import Foundation
import HTTPServing
import Kafka
import Logging
import Review
import Synchronization

extension Governor {
    /// `governor console`: the operators' web app (DLQ review at `/`, usage at `/usage`).
    struct ConsoleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Serve the DLQ review (/) and the usage dashboard (/usage) over a SQLite index of the cluster.",
            discussion: """
                A follower reads events-dlq, dlq-replays, usage, org-usage, \
                governance-notifications and workspace-config (read_committed) into the index \
                at --db and resumes where it stopped; the pages query the index, never the topics. \
                Replaying from the page needs the token given with --replay-token or \
                --replay-token-file (without one, replays are disabled). See docs/DLQ.md.
                """
        )

        @OptionGroup var kafka: KafkaOptions

        @Option(help: ArgumentHelp("Address to serve on, host:port (port 0 picks a free one).", valueName: "host:port"))
        var http = "127.0.0.1:8080"

        @Option(help: ArgumentHelp("The SQLite review index (created when missing).", valueName: "path"))
        var db = "governor-console.sqlite"

        @Option(help: "The token a reviewer must give to replay from the page (visible in `ps`: prefer --replay-token-file).")
        var replayToken: String?

        @Option(help: ArgumentHelp("A file holding the replay token.", valueName: "path"))
        var replayTokenFile: String?

        func validate() throws {
            _ = try parseHTTPAddress(http)
            if replayToken != nil, replayTokenFile != nil {
                throw ValidationError("give --replay-token or --replay-token-file, not both")
            }
            if let replayToken, replayToken.trimmingCharacters(in: .whitespacesAndNewlines).count < 8 {
                throw ValidationError("--replay-token must be at least 8 characters")
            }
        }

        func run() async throws {
            let address = try parseHTTPAddress(http)
            let token = try loadToken()
            let config = try kafka.config
            let logger = commandLogger("console")
            let index: ReviewIndex
            do { index = try ReviewIndex(path: db) } catch {
                throw ValidationError("cannot open the index \(db): \(error); give a writable path with --db")
            }
            let status = FollowerStatus()
            let follower = IndexFollower(index: index, config: config, logger: logger)
            let stop = FollowerStop()
            NamedThread.start("console-follow") {
                while !stop.isSet {
                    do {
                        try follower.follow(stop: { stop.isSet }, onBatch: { status.recordBatch($0) })
                    } catch {
                        status.recordError("\(error)")
                        logger.warning("console: following the topics failed (\(error)); retrying")
                        stop.wait(seconds: 2)
                    }
                }
                stop.markFinished()
            }
            let producer = try KafkaProducer(config: config, logger: logger)
            let server = ConsoleServer(
                index: index, replayer: Replayer(index: index, producer: producer),
                outcomes: ReplayOutcomeFinder(config: config, logger: logger), replayToken: token,
                address: address, status: status, logger: logger)
            let tokenNote = token == nil ? "replays disabled (no --replay-token)" : "replays need the token"
            defer {
                stop.set()
                stop.waitFinished()
            }
            do {
                try await server.run { port in
                    // Unbuffered: scripts read the URL (and the port picked for port 0) at once.
                    FileHandle.standardOutput.write(Data(
                        "console: http://\(HTTPAddress(host: address.host, port: port))/ (DLQ review) and /usage; index \(db); \(tokenNote)\n".utf8))
                }
            } catch {
                guard let problem = httpListenProblem(error, address: http) else { throw error }
                printError("error: \(problem)")
                throw ExitCode.failure
            }
        }

        private func loadToken() throws -> String? {
            if let replayToken { return replayToken.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let replayTokenFile else { return nil }
            guard let data = FileManager.default.contents(atPath: replayTokenFile) else {
                throw ValidationError("cannot read --replay-token-file \(replayTokenFile); check the path and its permissions")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= 8 else { throw ValidationError("the token in \(replayTokenFile) must be at least 8 characters") }
            return token
        }
    }
}

/// Tells the follower thread to stop, and waits for it.
final class FollowerStop: Sendable {
    private let flag = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() {
        flag.store(true, ordering: .releasing)
        stopped.signal()
    }
    /// Waits up to `seconds`, less when stopped meanwhile.
    func wait(seconds: Int) {
        if stopped.wait(timeout: .now() + .seconds(seconds)) == .success { stopped.signal() }
    }
    func markFinished() { finished.signal() }
    func waitFinished() { _ = finished.wait(timeout: .now() + .seconds(10)) }
}
