/// Headers a replay adds to the re-produced record, after the original headers:
/// where the record sat in the DLQ and why, when and by whom it was replayed. If
/// the replay fails again, the new DLQ record keeps them in `original_headers`.
public enum ReplayHeaders {
    public static let replayID = "governor.replay.id"
    public static let dlqPartition = "governor.replay.dlq.partition"
    public static let dlqOffset = "governor.replay.dlq.offset"
    public static let reason = "governor.replay.reason"
    /// Wall-clock ms of the replay.
    public static let replayedAt = "governor.replay.at"
    public static let reviewer = "governor.replay.reviewer"
}
