import JSON

/// A record the engine writes: topic, key, serialized JSON value, timestamp, headers.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var key: String?
    public var value: [UInt8]
    public var timestamp: StreamTime
    /// The origin of the input record this answers, when its three origin headers
    /// (`OriginHeaders`) lead `headers`: they are made when read, by the pipeline's
    /// writer, and never for `governor check`, which writes no headers (made per record,
    /// they cost ~1,000 instructions an event).
    private(set) var origin: Origin?
    /// The headers after the origin's (all of them when `origin` is nil).
    private(set) var extraHeaders: [Header]

    /// The record's headers: the origin's three, then `extraHeaders`. Setting them
    /// keeps them as given (no origin).
    public var headers: [Header] {
        get {
            guard let origin else { return extraHeaders }
            let made = OriginHeaders.headers(for: origin)
            return extraHeaders.isEmpty ? made : made + extraHeaders
        }
        set {
            origin = nil
            extraHeaders = newValue
        }
    }

    /// Equal records have equal topics, keys, values, timestamps and headers, however
    /// the headers are kept.
    public static func == (lhs: OutputRecord, rhs: OutputRecord) -> Bool {
        lhs.topic == rhs.topic && lhs.key == rhs.key && lhs.value == rhs.value && lhs.timestamp == rhs.timestamp
            && (lhs.origin == rhs.origin && lhs.extraHeaders == rhs.extraHeaders || lhs.headers == rhs.headers)
    }
}

/// Outside the type's body, so there is a memberwise init for these to call: it builds
/// the record in place where an init assigning each property built it aside and copied it.
extension OutputRecord {
    public init(topic: String, key: String?, value: JSONValue, timestamp: StreamTime, headers: [Header] = []) {
        self.init(topic: topic, key: key, value: value.serializedBytes, timestamp: timestamp, origin: nil,
                  extraHeaders: headers)
    }

    /// A record whose value is already serialized JSON.
    public init(topic: String, key: String?, valueBytes: [UInt8], timestamp: StreamTime, headers: [Header] = []) {
        self.init(topic: topic, key: key, value: valueBytes, timestamp: timestamp, origin: nil, extraHeaders: headers)
    }

    /// A record whose headers are `origin`'s three (`OriginHeaders.headers(for:)`).
    public init(topic: String, key: String?, valueBytes: [UInt8], timestamp: StreamTime, origin: Origin) {
        self.init(topic: topic, key: key, value: valueBytes, timestamp: timestamp, origin: origin, extraHeaders: [])
    }
}
