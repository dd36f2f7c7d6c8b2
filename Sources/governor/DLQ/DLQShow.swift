import ArgumentParser
import Governance
import Review

extension Governor.DLQ {
    /// `governor dlq show`: one record in full.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a dead-lettered record: reason, detail, origin, headers and the original value.",
            discussion: "The original is pretty-printed when it is JSON and shown as hex otherwise."
        )

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var index: DLQIndexOptions

        @Argument(help: ArgumentHelp("PARTITION:OFFSET of events-dlq, a plain OFFSET when one partition has it, or a MESSAGE_ID.",
                                     valueName: "record"))
        var record: String

        func run() throws {
            let index = try index.openUpToDate(try kafka.config)
            let entries = try resolveRecords([record], in: index)
            for (number, entry) in entries.enumerated() {
                if number > 0 { print("") }
                print(DLQShowFormat.describe(entry, replays: try index.replays(of: entry)))
            }
        }
    }
}

/// The text of `dlq show`.
enum DLQShowFormat {
    static func describe(
        _ entry: DLQEntry,
        replays: [(replayID: String, atMs: Int64, toTopic: String, toPartition: Int32?, toOffset: Int64?)]
    ) -> String {
        var lines = [
            "record:       events-dlq partition \(entry.partition) offset \(entry.offset)",
            "scope:        \(DLQListFormat.scope(entry))",
            "reason:       \(entry.reason)" + (entry.field.map { " (field \($0))" } ?? ""),
            "detail:       \(entry.detail)",
            "workspace_id: \(entry.workspaceID ?? "(unknown)")",
            "message_id:   \(entry.messageID ?? "(unknown)")",
            "origin:       \(DLQListFormat.origin(entry))",
            "stream time:  \(DLQTime.iso8601(entry.streamTimeMs)) (\(entry.streamTimeMs))",
        ]
        if let dlqAt = entry.dlqAt { lines.append("dlq_at:       \(DLQTime.iso8601(dlqAt))") }
        if entry.scope == "trait" {
            lines.append("trait:        \(entry.traitKey ?? "") → \(entry.normalizedKey ?? "") (\(entry.action ?? ""))")
            lines.append("              trait-scope records are findings on an accepted event: they are not replayed")
        }
        if entry.scope == "event" {
            lines.append("original key: \(entry.originalKey ?? "(null)")")
            lines.append("original headers:" + (entry.originalHeaders.isEmpty ? " (none)" : ""))
            for header in entry.originalHeaders { lines.append("  \(header.name): \(RecordText.headerValue(header.value))") }
        }
        lines.append("DLQ record headers:")
        for header in entry.headers { lines.append("  \(header.name): \(RecordText.headerValue(header.value))") }
        for replay in replays {
            let target = replay.toPartition.map { "\(replay.toTopic)[\($0)]@\(replay.toOffset.map(String.init) ?? "?")" } ?? replay.toTopic
            lines.append("replayed:     \(DLQTime.iso8601(replay.atMs)) to \(target) (\(replay.replayID))")
        }
        if entry.scope == "event" {
            if let value = entry.originalValue {
                if let pretty = RecordText.prettyJSON(value) {
                    lines.append("original value (JSON, \(value.count) bytes):")
                    lines.append(pretty)
                } else {
                    lines.append("original value (not JSON, \(value.count) bytes, hex):")
                    lines.append(RecordText.hexDump(value))
                }
            } else {
                lines.append("original value: (null)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
