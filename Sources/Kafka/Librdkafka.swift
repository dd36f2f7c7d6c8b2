import CRdKafka

/// Facts about the linked librdkafka.
public enum Librdkafka {
    /// The version string of the librdkafka the process is linked against, e.g. "2.0.2".
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
