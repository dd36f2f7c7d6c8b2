/// The stream processor: governance stages inside Kafka consumers (partition actors,
/// changelog, committer, global config table).
public enum PipelineInfo {
    /// The consumer-group protocol type every instance uses.
    public static let assignor = "cooperative-sticky"
}
