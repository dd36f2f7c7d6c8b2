import ArgumentParser
import Foundation
import Governance
import Kafka
import Review

/// The filters of `dlq list` and `dlq replay`.
struct DLQFilterOptions: ParsableArguments {
    @Option(help: "Only this reason (e.g. unknown_workspace, malformed_json, value_too_long).")
    var reason: String?

    @Option(help: "Only this workspace_id.")
    var workspace: String?

    @Option(help: "Only this scope: event, trait, or outbound (event scope from outbound-messages).")
    var scope: DLQScopeFilter?

    @Option(help: ArgumentHelp("From this stream time on: ISO-8601 (UTC unless an offset is given) or epoch ms.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Before this stream time: ISO-8601 or epoch ms.", valueName: "time"))
    var until: String?

    @Option(help: "Only records whose detail, field, ids or original value contain this text (case-insensitive).")
    var grep: String?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, DLQTime.parse(value) == nil {
                throw ValidationError("\(name) \(value): give an ISO-8601 time (2026-11-18, 2026-11-18T10:00:00Z) or epoch milliseconds")
            }
        }
    }

    var filter: DLQFilter {
        DLQFilter(reason: reason, workspaceID: workspace, scope: scope, since: since.flatMap(DLQTime.parse),
                  until: until.flatMap(DLQTime.parse), text: grep)
    }
}

extension DLQScopeFilter: ExpressibleByArgument {}

/// Where the review index lives, shared by the dlq subcommands.
struct DLQIndexOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A SQLite review index to use and update (default: a private in-memory one).", valueName: "path"))
    var db: String?

    /// Opens the index and brings it up to date with the cluster, with progress on stderr.
    func openUpToDate(_ config: KafkaConfig, topics: [String] = [Topic.eventsDLQ, Topic.dlqReplays]) throws -> ReviewIndex {
        let index = try ReviewIndex(path: db)
        let follower = IndexFollower(index: index, config: config, topics: topics, logger: commandLogger("dlq"))
        let progress = ProgressLine()
        let read = try follower.catchUp { progress.update("indexing events-dlq: \($0) records read") }
        progress.finish(read > 0 ? "indexed \(read) new record(s)" : nil)
        return index
    }
}

/// Finds records by `partition:offset`, a plain offset (when one partition has it) or a message_id.
func resolveRecords(_ references: [String], in index: ReviewIndex) throws -> [DLQEntry] {
    var found: [DLQEntry] = []
    for reference in references {
        let parts = reference.split(separator: ":")
        if parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]) {
            guard let entry = try index.entry(partition: partition, offset: offset) else {
                throw DLQLookupError("no events-dlq record at partition \(partition) offset \(offset); list them with `governor dlq list`")
            }
            found.append(entry)
            continue
        }
        let matches = try index.entries(matching: reference)
        switch matches.count {
        case 0:
            throw DLQLookupError("no events-dlq record has message_id or offset \(reference); list them with `governor dlq list`")
        case 1:
            found.append(matches[0])
        default:
            if matches.allSatisfy({ $0.messageID == reference }) {
                found += matches  // every DLQ record of that message
            } else {
                throw DLQLookupError("""
                    offset \(reference) exists in \(matches.count) partitions; name one as PARTITION:OFFSET \
                    (\(matches.prefix(5).map(\.locator).joined(separator: ", ")))
                    """)
            }
        }
    }
    return found
}

/// A record a reviewer named is not in the DLQ (reported without the usage text).
struct DLQLookupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
