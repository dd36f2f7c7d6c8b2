import JSON

/// How changelog records look on Kafka: every key starts with the namespace (the
/// consumer group, length-prefixed), so deployments with different groups can share
/// the changelog topic; then entry keys are the state key prefixed with `e`, markers
/// have the keys `m:snapshot`, `m:attempt` and `m:commit` with JSON values, and every
/// record carries its attempt number in the `governor.attempt` header.
public enum ChangelogCodec {
    public static let attemptHeader = "governor.attempt"
    static let snapshotKey = Array("m:snapshot".utf8)
    static let commitKey = Array("m:commit".utf8)
    static let attemptKey = Array("m:attempt".utf8)

    /// A changelog record as Kafka key, value and headers.
    public struct Encoded: Sendable, Equatable {
        public var key: [UInt8]
        public var value: [UInt8]?
        public var headers: [(name: String, value: [UInt8])]

        public static func == (lhs: Encoded, rhs: Encoded) -> Bool {
            lhs.key == rhs.key && lhs.value == rhs.value && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
        }
    }

    /// The first byte of an entry's key (after the namespace); the state key follows.
    static let entryMark = UInt8(ascii: "e")

    /// What the key of every entry of `namespace` starts with: the state key follows
    /// (`EntryWriter` and the cut build entry keys from it).
    static func entryKeyPrefix(namespace: String) -> [UInt8] { prefix(namespace) + [entryMark] }

    public static func encode(_ record: ChangelogRecord, namespace: String) -> Encoded {
        var encoded = encode(record)
        encoded.key = prefix(namespace) + encoded.key
        return encoded
    }

    /// Decodes a record of `namespace`; nil for a record of another namespace.
    public static func decode(key: [UInt8]?, value: [UInt8]?, headers: [(name: String, value: [UInt8]?)], offset: Int64,
                              namespace: String) throws(RestoreError) -> ChangelogRecord? {
        let expected = prefix(namespace)
        guard let key, key.starts(with: expected) else { return nil }
        return try decode(key: Array(key.dropFirst(expected.count)), value: value, headers: headers, offset: offset)
    }

    private static func prefix(_ namespace: String) -> [UInt8] {
        let bytes = Array(namespace.utf8)
        return [UInt8(truncatingIfNeeded: bytes.count >> 8), UInt8(truncatingIfNeeded: bytes.count)] + bytes
    }

    static func encode(_ record: ChangelogRecord) -> Encoded {
        switch record {
        case .entry(let attempt, let key, let value):
            return Encoded(key: [entryMark] + key, value: value, headers: [(attemptHeader, bytes(attempt))])
        case .snapshotBegin(let attempt):
            let value: JSONValue = ["attempt": .number(JSONNumber(text: String(attempt)))]
            return Encoded(key: snapshotKey, value: value.serializedBytes, headers: [(attemptHeader, bytes(attempt))])
        case .attemptBegin(let clock, let inherited):
            var value = clockObject(clock)
            if !inherited.isEmpty { value.appendUnchecked("inherited", .array(inherited.map { .object(clockObject($0)) })) }
            return Encoded(key: attemptKey, value: JSONValue.object(value).serializedBytes,
                           headers: [(attemptHeader, bytes(clock.attempt))])
        case .commit(let marker):
            let offsets = offsetsObject(marker.offsets)
            var value = JSONObject()
            value.appendUnchecked("attempt", .number(JSONNumber(text: String(marker.attempt))))
            value.appendUnchecked("snapshot", .bool(marker.snapshot))
            value.appendUnchecked("offsets", offsets)
            value.appendUnchecked("discarded", .array(marker.discarded.map { .number(JSONNumber(text: String($0))) }))
            value.appendUnchecked("entries", .int(marker.entries))
            if let from = marker.snapshotFrom { value.appendUnchecked("snapshot_from", .number(JSONNumber(text: String(from)))) }
            return Encoded(key: commitKey, value: JSONValue.object(value).serializedBytes,
                           headers: [(attemptHeader, bytes(marker.attempt))])
        }
    }

    static func decode(key: [UInt8]?, value: [UInt8]?, headers: [(name: String, value: [UInt8]?)], offset: Int64)
        throws(RestoreError) -> ChangelogRecord
    {
        guard let key, !key.isEmpty else { throw .undecodable(offset: offset, reason: "record without a key") }
        guard let header = headers.last(where: { $0.name == attemptHeader })?.value, header.count == 8 else {
            throw .undecodable(offset: offset, reason: "missing \(attemptHeader) header")
        }
        let attempt = header.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if key.first == entryMark {
            return .entry(attempt: attempt, key: Array(key.dropFirst()), value: value)
        }
        if key == snapshotKey { return .snapshotBegin(attempt: attempt) }
        if key == attemptKey, let value {
            guard let object = (try? JSONParser.parse(value))?.value.objectValue else {
                throw .undecodable(offset: offset, reason: "malformed attempt record")
            }
            let clock = try clock(object, attempt: attempt, offset: offset)
            var inherited: [AttemptClock] = []
            for element in object["inherited"]?.arrayValue ?? [] {
                guard let inner = element.objectValue, let n = inner["attempt"]?.numberValue.flatMap({ UInt64($0.text) }) else {
                    throw .undecodable(offset: offset, reason: "malformed inherited clock")
                }
                inherited.append(try self.clock(inner, attempt: n, offset: offset))
            }
            return .attemptBegin(clock, inherited: inherited)
        }
        guard key == commitKey, let value else {
            throw .undecodable(offset: offset, reason: "unknown key \(String(decoding: key, as: UTF8.self))")
        }
        guard let object = (try? JSONParser.parse(value))?.value.objectValue,
            let offsets = object["offsets"]?.objectValue,
            let snapshot = object["snapshot"]?.boolValue,
            let entries = object["entries"]?.numberValue?.int64Value
        else { throw .undecodable(offset: offset, reason: "malformed commit marker") }
        let offsetMap = try offsetMap(offsets, offset: offset)
        let discarded = (object["discarded"]?.arrayValue ?? []).compactMap { $0.numberValue.flatMap { UInt64($0.text) } }
        var snapshotFrom: UInt64?
        if let from = object["snapshot_from"] {
            guard let n = from.numberValue.flatMap({ UInt64($0.text) }) else {
                throw .undecodable(offset: offset, reason: "malformed snapshot_from in a commit marker")
            }
            snapshotFrom = n
        }
        return .commit(CommitMarker(attempt: attempt, snapshot: snapshot, snapshotFrom: snapshotFrom, offsets: offsetMap,
                                    discarded: discarded, entries: Int(entries)))
    }

    private static func clockObject(_ clock: AttemptClock) -> JSONObject {
        var object = JSONObject()
        object.appendUnchecked("attempt", .number(JSONNumber(text: String(clock.attempt))))
        object.appendUnchecked("wall_clock_ms", .int(clock.wallClockMs))
        object.appendUnchecked("up_to", offsetsObject(clock.upTo))
        if let configs = clock.configs {
            var position = JSONObject()
            for (p, next) in configs.sorted(by: { $0.key < $1.key }) { position.appendUnchecked(String(p), .int(next)) }
            object.appendUnchecked("configs", .object(position))
        }
        return object
    }

    private static func clock(_ object: JSONObject, attempt: UInt64, offset: Int64) throws(RestoreError) -> AttemptClock {
        guard let wallClock = object["wall_clock_ms"]?.numberValue?.int64Value, let upTo = object["up_to"]?.objectValue else {
            throw .undecodable(offset: offset, reason: "malformed attempt record")
        }
        var configs: ConfigPosition?
        if let position = object["configs"]?.objectValue {
            var map: ConfigPosition = [:]
            for member in position {
                guard let p = Int32(member.key), let next = member.value.numberValue?.int64Value else {
                    throw .undecodable(offset: offset, reason: "malformed config position")
                }
                map[p] = next
            }
            configs = map
        }
        return AttemptClock(attempt: attempt, wallClockMs: wallClock, upTo: try offsetMap(upTo, offset: offset), configs: configs)
    }

    private static func offsetsObject(_ offsets: [String: Int64]) -> JSONValue {
        var object = JSONObject()
        for (topic, offset) in offsets.sorted(by: { $0.key < $1.key }) { object.appendUnchecked(topic, .int(offset)) }
        return .object(object)
    }

    private static func offsetMap(_ object: JSONObject, offset: Int64) throws(RestoreError) -> [String: Int64] {
        var map: [String: Int64] = [:]
        for member in object {
            guard let n = member.value.numberValue?.int64Value else {
                throw .undecodable(offset: offset, reason: "malformed offset for \(member.key)")
            }
            map[member.key] = n
        }
        return map
    }

    static func bytes(_ n: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (56 - 8 * $0)) } }
}
