/// How to reach a cluster: the typed settings every client needs, plus librdkafka
/// properties passed through unchanged (`-X key=value`, as kcat does), so that
/// SASL, SSL and any other librdkafka setting reach a real cluster.
///
/// Pass-through properties are applied last: they override the typed settings
/// and the defaults of the producer and consumer.
public struct KafkaConfig: Sendable, Equatable {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs and metrics; nil keeps librdkafka's default.
    public var clientID: String?
    /// `debug`: librdkafka debug contexts such as "broker,cgrp", or nil.
    public var debug: String?
    /// librdkafka properties applied verbatim after everything else.
    public var properties: [String: String]

    public init(
        bootstrapServers: String,
        clientID: String? = nil,
        debug: String? = nil,
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.debug = debug
        self.properties = properties
    }

    /// Adds pass-through properties given as `key=value` strings (`-X` options).
    public mutating func apply(assignments: [String]) throws(KafkaError) {
        for assignment in assignments {
            let (key, value) = try Self.parse(assignment: assignment)
            properties[key] = value
        }
    }

    /// Splits `key=value` at the first `=`; the value may contain `=` and may be empty.
    public static func parse(assignment: String) throws(KafkaError) -> (key: String, value: String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw .invalidConfig(
                "librdkafka property \"\(isSecret(key: assignment) ? "***" : assignment)\" has no value",
                fix: "write it as key=value, e.g. -X security.protocol=SASL_SSL")
        }
        let key = String(assignment[..<equals]).trimmingSpaces
        guard !key.isEmpty else {
            throw .invalidConfig(
                "librdkafka property \"\(assignment)\" has no key",
                fix: "write it as key=value, e.g. -X sasl.mechanisms=PLAIN")
        }
        return (key, String(assignment[assignment.index(after: equals)...]))
    }

    /// The librdkafka properties for a client: the common settings, then `defaults`
    /// (what the producer or consumer sets), then the pass-through properties.
    func librdkafkaProperties(_ defaults: [String: String]) -> [String: String] {
        var result = ["bootstrap.servers": bootstrapServers]
        if let clientID { result["client.id"] = clientID }
        if let debug { result["debug"] = debug }
        result.merge(defaults) { _, new in new }
        result.merge(properties) { _, new in new }
        return result
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
