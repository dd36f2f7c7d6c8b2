import ArgumentParser
import Governance
import JSON
import RecordFile

extension Governor {
    /// `governor check FILE [--outputs DIR]`: the governance stages on a record file,
    /// offline (SPEC §12.1).
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dry-run the governance stages on a JSON-lines record file, without Kafka.",
            discussion: """
                Prints one JSON verdict per raw-event or outbound-message line to stdout, in input order, \
                and a summary to stderr. Config lines take effect in file order; the file is one stream, \
                as if every line were on one partition. Exits 0 when the whole file was read, 2 on a usage \
                error or an unreadable file.
                """
        )

        @Argument(help: "The record file (JSON lines, SPEC §12.1), or - for standard input.")
        var file: String

        @Option(help: "Also write every output record, one DIR/<topic>.jsonl per output topic.")
        var outputs: String?

        @Flag(help: "Do not print the per-line verdicts (summary only).")
        var quiet = false

        func validate() throws {
            try validateRecordFile(file)
            if let outputs { try prepareOutputsDirectory(outputs) }
        }

        func run() throws {
            let reader: RecordFileReader
            do {
                reader = try RecordFileReader(path: file, valueFields: EventValidator.fieldNames)
            } catch {
                printError("error: \(error). Give a readable record file, or - for standard input.")
                throw ExitCode(2)
            }
            let writer: OutputDirectoryWriter?
            do {
                writer = try outputs.map { try OutputDirectoryWriter(directory: $0, topics: Topic.outputs) }
            } catch {
                printError("error: \(error). Give --outputs a directory you can write to.")
                throw ExitCode(2)
            }
            var run = OfflineRun(settings: EngineSettings(wallClock: RecordFileReader.systemNow))
            var summary = CheckSummary()
            let stdout = BufferedFile.standardOutput()
            var out: [OutputRecord] = []
            while true {
                var line: RecordLine
                do {
                    guard let next = try reader.next() else { break }
                    line = next
                } catch {
                    if error.line == 0 {
                        printError("error: \(error). Give a readable record file, or - for standard input.")
                        throw ExitCode(2)
                    }
                    printError("warning: \(error); the line is skipped")
                    summary.skippedLines += 1
                    continue
                }
                out.removeAll(keepingCapacity: true)
                // The key, value and scan are handed over (moved into the engine's record, not copied).
                let result = run.feed(line: line.line, topic: line.topic, key: line.key.take(), value: line.value.take(),
                                      timestamp: line.timestampMs, valueFields: line.valueFields.take(), into: &out)
                summary.count(result, line: line)
                if case .verdict(let verdict) = result, !quiet {
                    try stdout.writeLine(verdict.checkLine(line: line.line).serializedBytes)
                }
                if let writer {
                    for record in out {
                        try writer.write(topic: record.topic, key: record.key, timestampMs: record.timestamp, value: record.value)
                    }
                }
                summary.countOutputs(out)
                summary.reportProgress()
            }
            try stdout.flush()
            try writer?.close()
            printError(summary.render())
        }
    }
}
