/// Stream time: the Kafka message timestamp of the record being processed,
/// in milliseconds since the Unix epoch, UTC (SPEC §2). Never the wall clock.
public typealias StreamTime = Int64

/// Stream-time durations in milliseconds.
public enum Millis {
    public static let second: Int64 = 1_000
    public static let minute: Int64 = 60_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000
}
