/// A Kafka record header. Kafka allows repeated names and a null value, so a
/// header is a name and optional bytes rather than a dictionary entry.
public struct Header: Sendable, Hashable, Codable {
    public var name: String
    /// The value bytes; nil for a header whose value is null.
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// A header whose value is the UTF-8 of `text`.
    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }
}
