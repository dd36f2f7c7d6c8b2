/// When the `workspace-config` reader stops fetching a partition and when it starts
/// again: a partition read to its end is paused, and every `probeInterval` of quiet
/// the reader asks for the end offsets (one ListOffsets round trip) and resumes the
/// partitions that grew. (Where that end lies beyond what read_committed can hand out
/// — a transaction still open at the tail — the partition may fetch until it ends.)
///
/// Why: the reader's topic is quiet for hours, and a broker that answers an empty
/// fetch at once instead of holding it for `fetch.wait.max.ms` (noida-db does;
/// docs/KAFKA.md) turns an always-fetching reader into a busy loop on both sides —
/// it cost the pipeline about a third of its throughput there. On Kafka the paused
/// reader sends a small request every `probeInterval` instead of a held fetch, and a
/// new config is read within about `probeInterval` (docs/OPERATIONS.md).
///
/// The comparison is with the consumer's position, not the last record read:
/// transaction markers take offsets and are never delivered, and librdkafka moves
/// the position past them.
struct ConfigFetchPacing {
    let probeInterval: Duration
    /// The next offset to read per partition as far as known without a record:
    /// the end of partitions that were empty when the reader started.
    private let knownEmpty: [Int32: Int64]
    private(set) var paused: Set<Int32> = []
    private var lastProbe: ContinuousClock.Instant?

    init(probeInterval: Duration, emptyAtStart: [Int32: Int64]) {
        self.probeInterval = probeInterval
        knownEmpty = emptyAtStart
    }

    /// Whether to probe now: after a poll that brought nothing, at most once per
    /// `probeInterval`.
    mutating func probeDue(afterEmptyPoll empty: Bool, now: ContinuousClock.Instant) -> Bool {
        guard empty else { return false }
        if let lastProbe, now - lastProbe < probeInterval { return false }
        lastProbe = now
        return true
    }

    /// What to pause and resume given the consumer's positions (`KafkaOffset.invalid`
    /// or absent before anything was read), the next offsets the reader saw in
    /// records, and the end offsets just asked for. A partition without a known end
    /// keeps fetching.
    mutating func decide(positions: [Int32: Int64], reached: [Int32: Int64],
                         ends: [Int32: Int64]) -> (pause: [Int32], resume: [Int32]) {
        var pause: [Int32] = []
        var resume: [Int32] = []
        for (partition, end) in ends.sorted(by: { $0.key < $1.key }) {
            let next = max(positions[partition] ?? -1, reached[partition] ?? -1, knownEmpty[partition] ?? -1)
            let readToEnd = end >= 0 && next >= end
            if readToEnd, !paused.contains(partition) {
                pause.append(partition)
            } else if !readToEnd, paused.contains(partition) {
                resume.append(partition)
            }
        }
        paused.formUnion(pause)
        paused.subtract(resume)
        return (pause, resume)
    }

    /// After a failed probe everything fetches again (the safe side).
    mutating func resumeAll() -> [Int32] {
        defer { paused = [] }
        return paused.sorted()
    }
}
