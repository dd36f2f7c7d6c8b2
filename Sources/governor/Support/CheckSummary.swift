import Governance
import Pipeline
import RecordFile

/// The counts `governor check` reports on stderr.
struct CheckSummary {
    var lines = 0
    var skippedLines = 0
    var verdicts: [String: Int] = [:]
    var recordsByTopic: [String: Int] = [:]
    var outputsByTopic: [String: Int] = [:]
    var configsApplied = 0
    var configsRejected = 0
    let started = ContinuousClock.now
    private var lastProgress = ContinuousClock.now

    mutating func count(_ result: OfflineRun.LineResult, line: RecordLine) {
        lines += 1
        recordsByTopic[line.topic, default: 0] += 1
        switch result {
        case .verdict(let verdict):
            verdicts[verdict.summaryKey, default: 0] += 1
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
        for record in records { outputsByTopic[record.topic, default: 0] += 1 }
    }

    /// A progress line every 2 seconds on long runs.
    mutating func reportProgress() {
        let now = ContinuousClock.now
        guard now - lastProgress >= .seconds(2) else { return }
        lastProgress = now
        let rate = Double(lines) / (now - started).seconds
        printError("… \(lines) lines, \(Int(rate)) lines/s")
    }

    func render() -> String {
        let elapsed = (ContinuousClock.now - started).seconds
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
