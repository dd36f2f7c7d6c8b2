import ArgumentParser
import Foundation
import Governance
import JSON
import RecordFile
import Review

extension Governor.DLQ {
    /// `governor dlq list`: the records a filter selects, newest first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List dead-lettered records, newest first (stream time).",
            discussion: "The count of all matches goes to stderr; --limit bounds what is printed."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var filters: DLQFilterOptions
        @OptionGroup var index: DLQIndexOptions

        @Option(help: "Output format: table, json (one object a line) or csv.")
        var format: Format = .table

        @Option(help: "Print at most this many records.")
        var limit = 1_000

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let index = try index.openUpToDate(try kafka.config)
            let filter = filters.filter
            let total = try index.count(filter)
            var printed = 0
            var cursor: DLQCursor?
            let out = BufferedFile.standardOutput()
            if format == .table { try out.writeLine(Array(DLQListFormat.tableHeader.utf8)) }
            if format == .csv { try out.writeLine(Array(DLQListFormat.csvHeader.utf8)) }
            while printed < limit {
                let page = try index.list(filter, after: cursor, limit: min(1_000, limit - printed))
                guard let last = page.last else { break }
                for entry in page {
                    switch format {
                    case .table: try out.writeLine(Array(DLQListFormat.tableRow(entry).utf8))
                    case .json: try out.writeLine(DLQListFormat.json(entry).serializedBytes)
                    case .csv: try out.writeLine(Array(DLQListFormat.csvRow(entry).utf8))
                    }
                }
                printed += page.count
                cursor = last.cursor
            }
            try out.flush()
            printError("\(total) record(s) match (\(filter.summary))" + (printed < total ? "; printed \(printed) (raise --limit)" : ""))
        }
    }
}

/// The columns of `dlq list`.
enum DLQListFormat {
    static let tableHeader = pad("RECORD", 10) + pad("STREAM TIME", 25) + pad("SCOPE", 9) + pad("REASON", 20)
        + pad("WORKSPACE", 14) + pad("MESSAGE_ID", 20) + pad("ORIGIN", 24) + "DETAIL"
    static let csvHeader = "record,stream_time,scope,reason,field,workspace_id,message_id,origin,detail"

    static func tableRow(_ entry: DLQEntry) -> String {
        pad(entry.locator, 10) + pad(DLQTime.iso8601(entry.streamTimeMs), 25) + pad(scope(entry), 9)
            + pad(entry.reason, 20) + pad(entry.workspaceID ?? "-", 14) + pad(entry.messageID ?? "-", 20)
            + pad(origin(entry), 24) + String(entry.detail.prefix(80))
    }

    static func csvRow(_ entry: DLQEntry) -> String {
        [entry.locator, DLQTime.iso8601(entry.streamTimeMs), scope(entry), entry.reason, entry.field ?? "",
         entry.workspaceID ?? "", entry.messageID ?? "", origin(entry), entry.detail]
            .map(csvField).joined(separator: ",")
    }

    static func json(_ entry: DLQEntry) -> JSONValue {
        var object = JSONObject()
        object.appendUnchecked("partition", .int(Int64(entry.partition)))
        object.appendUnchecked("offset", .int(entry.offset))
        object.appendUnchecked("stream_time_ms", .int(entry.streamTimeMs))
        object.appendUnchecked("scope", .string(entry.scope))
        object.appendUnchecked("reason", .string(entry.reason))
        if let field = entry.field { object.appendUnchecked("field", .string(field)) }
        object.appendUnchecked("detail", .string(entry.detail))
        object.appendUnchecked("workspace_id", .string(entry.workspaceID))
        object.appendUnchecked("message_id", .string(entry.messageID))
        object.appendUnchecked("origin", entry.origin?.jsonValue ?? .null)
        if let dlqAt = entry.dlqAt { object.appendUnchecked("dlq_at", .int(dlqAt)) }
        return .object(object)
    }

    /// `event`, `trait`, `outbound` (event scope from outbound-messages) or `unreadable`.
    static func scope(_ entry: DLQEntry) -> String {
        entry.scope == "event" && entry.origin?.topic == Topic.outboundMessages ? "outbound" : entry.scope
    }

    static func origin(_ entry: DLQEntry) -> String {
        entry.origin.map { "\($0.topic)[\($0.partition)]@\($0.offset)" } ?? "-"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        let cut = text.count >= width ? String(text.prefix(width - 2)) + "…" : text
        return cut.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
