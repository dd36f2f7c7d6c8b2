import Governance
import JSON
import Testing

/// What feeding a stream to a fresh `OfflineRun` produced, line by line.
struct StreamRun {
    struct Line {
        let index: Int
        let record: StreamRecord
        let result: OfflineRun.LineResult
        /// The indices in `outputs` of the records this line wrote.
        let outputs: Range<Int>
        /// The record's offset: its 0-based index among the stream's records of its topic.
        let offset: Int64
        /// Each workspace's name-registry size after the line.
        let registrySizes: [String: Int]

        var verdict: Verdict? {
            if case .verdict(let verdict) = result { return verdict }
            return nil
        }
    }

    static let wallClock: Int64 = 1_700_000_000_000

    private(set) var lines: [Line] = []
    private(set) var outputs: [OutputRecord] = []
    private(set) var run: OfflineRun

    init(_ records: [StreamRecord]) {
        run = OfflineRun(settings: EngineSettings(wallClock: { StreamRun.wallClock }))
        var offsets: [String: Int64] = [:]
        for (index, record) in records.enumerated() {
            let start = outputs.count
            let result = run.feed(line: index + 1, topic: record.topic, key: record.key, value: record.value,
                                  timestamp: record.timestamp, headers: record.headers, into: &outputs)
            let offset = offsets[record.topic, default: 0]
            offsets[record.topic] = offset + 1
            lines.append(Line(index: index, record: record, result: result, outputs: start..<outputs.count,
                              offset: offset, registrySizes: run.engine.workspaces.states.mapValues(\.registry.size)))
        }
    }

    init(_ stream: GeneratedStream) { self.init(stream.records) }

    /// The outputs of one line, with their parsed values.
    func outputs(of line: Line) -> [(record: OutputRecord, value: JSONValue)] {
        line.outputs.map { (outputs[$0], Self.parse(outputs[$0].value)) }
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue {
        do {
            return try JSONParser.parse(bytes).value
        } catch {
            Issue.record("an output record is not JSON: \(String(decoding: bytes, as: UTF8.self))")
            return .null
        }
    }
}

/// The six topics of the SPEC §6 conservation law.
let eventVerdictTopics: Set<String> = [
    Topic.eventsAccepted, Topic.eventsOverCap, Topic.eventsRateLimited, Topic.eventsFiltered, Topic.eventsDeferred,
    Topic.eventsDLQ,
]

extension JSONValue {
    var int64: Int64? { numberValue?.int64Value }

    /// The `origin` member as (topic, offset).
    var origin: (topic: String, offset: Int64)? {
        guard let topic = self["origin"]?["topic"]?.stringValue, let offset = self["origin"]?["offset"]?.int64 else {
            return nil
        }
        return (topic, offset)
    }

    /// True for a record that settles a held event (SPEC §6.3), by the markers that
    /// the conservation law names.
    var isSettlementRecord: Bool {
        self["governance"]?["released_from_deferral"] == true || self["released_from_deferral"] == true
            || self["expired_from_deferral"] == true
    }
}

/// Checks SPEC §6's conservation law (and its outbound twin, §9) over a run:
/// every raw-events record consumed has exactly one event-scope, non-settlement
/// record on exactly one of the six verdict topics, written while it was consumed,
/// on its verdict's topic, carrying its origin; a DLQ record keeps the exact bytes.
func expectConservation(_ run: StreamRun, sourceLocation: SourceLocation = #_sourceLocation) {
    var answers: [String: [(line: Int, topic: String, value: JSONValue)]] = [:]
    for line in run.lines {
        for (record, value) in run.outputs(of: line)
        where eventVerdictTopics.contains(record.topic) || record.topic == Topic.outboundVerdicts {
            if record.topic == Topic.eventsDLQ, value["scope"] == "trait" { continue }
            if value.isSettlementRecord { continue }
            guard let origin = value.origin else {
                Issue.record("no origin on \(record.topic) record \(value.serialized)", sourceLocation: sourceLocation)
                continue
            }
            answers["\(origin.topic)#\(origin.offset)", default: []].append((line.index, record.topic, value))
        }
    }
    var consumed: Set<String> = []
    for line in run.lines {
        guard let verdict = line.verdict else { continue }
        let key = "\(line.record.topic)#\(line.offset)"
        consumed.insert(key)
        let found = answers[key] ?? []
        guard found.count == 1, let answer = found.first else {
            let listed = found.map { "\($0.topic) \($0.value.serialized)" }.joined(separator: " | ")
            Issue.record("line \(line.index + 1) (\(key), verdict \(verdict.summaryKey)) has \(found.count) answering records: \(listed)",
                         sourceLocation: sourceLocation)
            continue
        }
        #expect(answer.line == line.index, "line \(line.index + 1): answered on line \(answer.line + 1)",
                sourceLocation: sourceLocation)
        #expect(answer.topic == verdict.kind.topic, "line \(line.index + 1): verdict \(verdict.summaryKey) on \(answer.topic)",
                sourceLocation: sourceLocation)
        if line.record.topic == Topic.rawEvents {
            #expect(answer.topic != Topic.outboundVerdicts, sourceLocation: sourceLocation)
        }
        if verdict.kind == .dlq {
            #expect(answer.value["scope"] == "event", sourceLocation: sourceLocation)
            #expect(answer.value["reason"]?.stringValue == verdict.reason, sourceLocation: sourceLocation)
            let original = answer.value["original_value_b64"]
            let omitted = answer.value["echo_omitted"]
            if let size = omitted?["value"]?.int64 {
                // Over DLQEchoBounds: left out, and the record says how big it was.
                #expect(original == .null && size == Int64(line.record.value?.count ?? -1), sourceLocation: sourceLocation)
            } else if let bytes = line.record.value {
                #expect(original?.stringValue.flatMap(Base64.decode) == bytes,
                        "line \(line.index + 1): DLQ original bytes differ", sourceLocation: sourceLocation)
            } else {
                #expect(original == .null, sourceLocation: sourceLocation)
            }
            if let size = omitted?["key"]?.int64 {
                #expect(answer.value["original_key"] == .null && size == Int64(line.record.key?.utf8.count ?? -1),
                        sourceLocation: sourceLocation)
            } else {
                #expect(answer.value["original_key"] == .string(line.record.key), sourceLocation: sourceLocation)
            }
        }
    }
    let stray = Set(answers.keys).subtracting(consumed)
    #expect(stray.isEmpty, "records answer inputs that got no verdict: \(stray.sorted())", sourceLocation: sourceLocation)
}
