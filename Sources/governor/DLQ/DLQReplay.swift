import ArgumentParser
import Foundation
import Governance
import Kafka
import Review

extension Governor.DLQ {
    /// `governor dlq replay`: re-produce dead-lettered records once the cause is fixed.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay dead-lettered records byte for byte to the topic they came from.",
            discussion: """
                Selects records with the filters (as `dlq list`) or names them (PARTITION:OFFSET \
                or MESSAGE_ID). Each is re-produced with its original value bytes, key and \
                headers, plus governor.replay.* headers, to its origin topic (raw-events or \
                outbound-messages), or to --to TOPIC (which needs --yes). Trait-scope records are \
                never replayed: they are findings on events that were accepted. Every replay \
                writes an audit record to dlq-replays. A replayed event that is accepted enters \
                the dedup window, so replaying the same record again (within 24 h) gives the \
                verdict filtered/duplicate: that is by design (SPEC §6 step 11).
                """
        )

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var filters: DLQFilterOptions
        @OptionGroup var index: DLQIndexOptions

        @Argument(help: ArgumentHelp("Records to replay (PARTITION:OFFSET or MESSAGE_ID) instead of a filter.", valueName: "record"))
        var records: [String] = []

        @Option(help: "Send every record to this topic instead of its origin (needs --yes).")
        var to: String?

        @Flag(help: "Confirm a replay with --to.")
        var yes = false

        @Flag(help: "Show what would be replayed, replay nothing.")
        var dryRun = false

        @Option(help: "At most this many records per second.")
        var rate: Double?

        @Option(help: "Who replays, for the audit (default: $USER).")
        var reviewer: String?

        @Flag(help: "Leave out records that dlq-replays shows as replayed already.")
        var skipReplayed = false

        func validate() throws {
            if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a positive number of records per second") }
            if to != nil, !yes, !dryRun {
                throw ValidationError("--to sends records somewhere other than where they came from: add --yes to confirm (or --dry-run to look first)")
            }
            if !records.isEmpty, filters.filter != DLQFilter() {
                throw ValidationError("give either records or filters, not both")
            }
            if records.isEmpty, filters.filter == DLQFilter(), !dryRun {
                throw ValidationError("give a filter (e.g. --reason unknown_workspace) or records; to replay everything, say so with a filter such as --since 1970-01-01")
            }
            if !dryRun, resolvedReviewer == nil { throw ValidationError("--reviewer NAME is required when $USER is not set") }
        }

        private var resolvedReviewer: String? {
            reviewer ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        }

        func run() async throws {
            let config = try kafka.config
            let index = try index.openUpToDate(config)
            let selection: ReplaySelection = records.isEmpty
                ? .filter(filters.filter) : .records(try resolveRecords(records, in: index))
            let options = ReplayOptions(reviewer: resolvedReviewer ?? "unknown", via: "cli", toTopic: to, rate: rate,
                                        skipReplayed: skipReplayed)
            let producer = try KafkaProducer(config: config, logger: commandLogger("dlq"))
            let replayer = Replayer(index: index, producer: producer)
            let plan = try replayer.preview(selection, options: options)
            if let to, try producer.partitionCounts()[to] == nil {
                throw ValidationError("topic \(to) does not exist on the cluster; check the name or create it with governor topics apply")
            }
            let total = plan.byTopic.values.reduce(0, +)
            for (topic, count) in plan.byTopic.sorted(by: { $0.key < $1.key }) {
                printError("\(dryRun ? "would replay" : "replaying") \(count) record(s) to \(topic)")
            }
            if plan.refused > 0 {
                printError("not replaying \(plan.refused) trait-scope record(s): they are findings on events that were accepted")
            }
            if plan.alreadyReplayed > 0 {
                printError(skipReplayed
                    ? "leaving out \(plan.alreadyReplayed) record(s) replayed before (--skip-replayed)"
                    : "\(plan.alreadyReplayed) of these record(s) were replayed before: an accepted replay makes this one a duplicate verdict")
            }
            if dryRun {
                printError("dry run: nothing replayed (\(total) record(s) selected)")
                return
            }
            guard total > 0 else {
                printError("nothing to replay: the selection holds no replayable record")
                return
            }
            let bar = ProgressLine()
            let result = try await replayer.replay(selection, options: options) { done, total in
                bar.update("replaying " + ProgressLine.bar(done, of: total), force: done == total)
            }
            bar.finish(nil)
            for (topic, count) in result.replayed.sorted(by: { $0.key < $1.key }) {
                print("replayed \(count) record(s) to \(topic)")
            }
            print("replay \(result.replayID) by \(options.reviewer): \(result.replayedCount) record(s); audit on dlq-replays "
                + result.auditRecords.map { "[\($0.partition)]@\($0.offset)" }.joined(separator: ", "))
            print("note: a second replay of the same record is a filtered/duplicate verdict by design (SPEC §6 step 11)")
        }
    }
}
