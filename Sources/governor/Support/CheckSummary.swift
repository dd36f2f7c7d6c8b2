import Governance
import Pipeline
import RecordFile

/// The counts `governor check` reports on stderr.
///
/// Per line, verdicts and output topics are counted in short lists found by `==` (a few
/// kinds, reasons and topics, the same strings line after line): a dictionary keyed by
/// `summaryKey` made that string and hashed it, and one by topic hashed each output's.
struct CheckSummary {
    var lines = 0
    var skippedLines = 0
    /// Per verdict kind and reason, how many lines got it.
    private var verdictCounts: [(kind: VerdictKind, reason: String?, count: Int)] = []
    /// Per topic, how many output records went to it.
    private var outputCounts: [(topic: String, count: Int)] = []
    var configsApplied = 0
    var configsRejected = 0
    let started = ContinuousClock.now
    private var lastProgress = ContinuousClock.now
    /// The clock is read every `progressStride` lines (a read per line cost ~100 instructions).
    private static let progressStride = 64

    /// Lines per `verdict/reason` (`Verdict.summaryKey`).
    var verdicts: [String: Int] {
        var counts: [String: Int] = [:]
        for entry in verdictCounts {
            counts[Verdict(entry.kind, reason: entry.reason).summaryKey, default: 0] += entry.count
        }
        return counts
    }

    /// Output records per topic.
    var outputsByTopic: [String: Int] {
        var counts: [String: Int] = [:]
        for entry in outputCounts { counts[entry.topic, default: 0] += entry.count }
        return counts
    }

    mutating func count(_ result: OfflineRun.LineResult, line: RecordLine) {
        lines += 1
        switch result {
        case .verdict(let verdict):
            if let index = verdictCounts.firstIndex(where: { $0.kind == verdict.kind && $0.reason == verdict.reason }) {
                verdictCounts[index].count += 1
            } else {
                verdictCounts.append((verdict.kind, verdict.reason, 1))
            }
        case .configApplied:
            configsApplied += 1
        case .configRejected(let error):
            configsRejected += 1
            printError("warning: line \(line.line): workspace config ignored: \(error)")
        case .ignored(let topic):
            printError("warning: line \(line.line): topic \(topic) is not an input of the governance stages; ignored")
        }
    }

    mutating func countOutputs(_ records: [OutputRecord]) {
        for record in records {
            // Topics of the same UTF-8 length first (an unequal `==` cost ~130
            // instructions), then any equal one (a canonically equivalent spelling).
            let length = record.topic.utf8.count
            if let index = outputCounts.firstIndex(where: { $0.topic.utf8.count == length && $0.topic == record.topic })
                ?? outputCounts.firstIndex(where: { $0.topic == record.topic })
            {
                outputCounts[index].count += 1
            } else {
                outputCounts.append((record.topic, 1))
            }
        }
    }

    /// A progress line every 2 seconds on long runs.
    mutating func reportProgress() {
        guard lines % Self.progressStride == 0 else { return }
        let now = ContinuousClock.now
        guard now - lastProgress >= .seconds(2) else { return }
        lastProgress = now
        let rate = Double(lines) / (now - started).seconds
        printError("… \(lines) lines, \(Int(rate)) lines/s")
    }

    func render() -> String {
        let elapsed = (ContinuousClock.now - started).seconds
        let verdicts = verdicts, outputsByTopic = outputsByTopic
        let governed = verdicts.values.reduce(0, +)
        var text = "governor check: \(lines) records, \(governed) verdicts"
        text += ", \(configsApplied) configs applied, \(configsRejected) ignored"
        if skippedLines > 0 { text += ", \(skippedLines) unreadable lines skipped" }
        text += "; \(Int(elapsed * 1000)) ms, \(elapsed > 0 ? Int(Double(lines) / elapsed) : 0) records/s\n"
        text += "verdicts:\n"
        for (key, n) in verdicts.sorted(by: { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }) {
            text += "  \(pad(key, 34)) \(n)\n"
        }
        if !outputsByTopic.isEmpty {
            text += "output records:\n"
            for topic in Topic.outputs where outputsByTopic[topic] != nil {
                text += "  \(pad(topic, 34)) \(outputsByTopic[topic]!)\n"
            }
        }
        return String(text.dropLast())  // the last line's newline: printError adds one
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
