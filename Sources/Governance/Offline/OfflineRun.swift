import JSON

/// Drives the governance stages over records of one stream without Kafka, as if
/// every record were on one partition (SPEC §12.1): `governor check` and the
/// parity tests. Config records take effect in stream order; notification
/// requests go through the org stage at once.
public struct OfflineRun: Sendable {
    public private(set) var engine: GovernanceEngine
    public private(set) var org = OrgStage()
    public private(set) var configs = InOrderConfigTable()
    /// Per topic read, its next offset: the first few topics found by comparing names
    /// (equal names compare at once, where a dictionary hashed the topic per line), any
    /// further ones in a dictionary, so a file of many topics stays linear.
    private var nextOffsets: [(topic: String, next: Int64)] = []
    private var moreOffsets: [String: Int64] = [:]
    /// The index in `nextOffsets` of the topic found last.
    private var lastTopic = 0
    private static let listedTopics = 8

    /// What became of one input line.
    public enum LineResult: Sendable, Equatable {
        /// A raw event or outbound message and its verdict.
        case verdict(Verdict)
        /// A workspace config that now applies.
        case configApplied(workspaceID: String)
        /// A workspace config that was ignored as a whole (SPEC §5), and why.
        case configRejected(ConfigError)
        /// A record for a topic the stages do not read.
        case ignored(topic: String)
    }

    public init(settings: EngineSettings) {
        engine = GovernanceEngine(settings: settings)
        engine.peakReportsWritten = []
    }

    /// `keyBytes`: the exact key when it is not UTF-8 (`InputRecord.keyBytes`; a record
    /// file cannot hold one, a test comparing with Kafka can).
    /// The record's parts are `consuming`: a caller that hands them over (`governor check`)
    /// has them moved into the `InputRecord`, not copied and released per line.
    public mutating func feed(line: Int, topic: String, key: consuming String?, keyBytes: consuming [UInt8]? = nil,
                              value: consuming [UInt8]?, timestamp: StreamTime, headers: consuming [Header] = [],
                              valueFields: consuming JSONFieldScan? = nil, into out: inout [OutputRecord]) -> LineResult {
        let offset = takeNextOffset(of: topic)
        let origin = Origin(topic: topic, partition: 0, offset: offset)
        let start = out.count
        defer { routeOrgRequests(&out, from: start) }
        if Topic.isTopic(topic, Topic.rawEvents) || Topic.isTopic(topic, Topic.outboundMessages) {
            let record = InputRecord(origin: origin, timestamp: timestamp, key: key, keyBytes: keyBytes, value: value,
                                     headers: headers, valueFields: valueFields)
            return .verdict(engine.process(record, configs: configs, into: &out))
        }
        switch topic {
        case Topic.workspaceConfig:
            guard let value else {
                return .configRejected(ConfigError("a tombstone (no value) removes nothing: the previous config stays"))
            }
            switch WorkspaceConfig.parse(value, key: key) {
            case .failure(let error):
                return .configRejected(error)
            case .success(let config):
                configs.add(ConfigVersion(sequence: Int64(line), timestamp: timestamp, config: config))
                engine.applyConfigs(of: config.workspaceID, at: timestamp, configs: configs, into: &out)
                return .configApplied(workspaceID: config.workspaceID)
            }
        default:
            return .ignored(topic: topic)
        }
    }

    /// The topic's next offset, then the counter advanced.
    private mutating func takeNextOffset(of topic: String) -> Int64 {
        // The previous line's topic first: lines of one topic come in runs, and an equal
        // `==` is quick where an unequal one cost ~130 instructions.
        if lastTopic < nextOffsets.count, nextOffsets[lastTopic].topic == topic {
            defer { nextOffsets[lastTopic].next += 1 }
            return nextOffsets[lastTopic].next
        }
        for index in nextOffsets.indices where nextOffsets[index].topic == topic {
            lastTopic = index
            defer { nextOffsets[index].next += 1 }
            return nextOffsets[index].next
        }
        guard nextOffsets.count >= Self.listedTopics else {
            nextOffsets.append((topic, 1))
            return 0
        }
        return Self.takeNext(&moreOffsets[topic, default: 0])
    }

    /// The counter's value, then the counter advanced.
    private static func takeNext(_ counter: inout Int64) -> Int64 {
        defer { counter += 1 }
        return counter
    }

    /// Requests written by this line go through the org stage, as the pipeline's
    /// org task would consume them from `notification-requests`.
    /// A workspace peak report the engine wrote goes over as it is (`process(report:)`,
    /// which is `process(value:)` of its bytes); any other request is parsed.
    private mutating func routeOrgRequests(_ out: inout [OutputRecord], from start: Int) {
        let reports = engine.takePeakReportsWritten()
        var nextReport = 0
        var index = start
        while index < out.count {
            if Topic.isTopic(out[index].topic, Topic.notificationRequests) {
                let timestamp = out[index].timestamp
                while nextReport < reports.count, reports[nextReport].index < index { nextReport += 1 }
                if nextReport < reports.count, reports[nextReport].index == index {
                    try? org.process(report: reports[nextReport].report, timestamp: timestamp, into: &out)
                } else {
                    let value = out[index].value
                    try? org.process(value: value, timestamp: timestamp, into: &out)
                }
            }
            index += 1
        }
    }
}
