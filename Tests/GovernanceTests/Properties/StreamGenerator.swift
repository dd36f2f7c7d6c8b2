import Governance
import JSON
import PropertyBased

/// One input record of a generated stream, as `OfflineRun.feed` takes it.
struct StreamRecord: Sendable, Equatable {
    var topic: String
    var key: String?
    var value: [UInt8]?
    var timestamp: StreamTime
    var headers: [Header] = []
}

/// A generated stream: the seed and length it was built from (so a failure is easy
/// to reproduce and to describe) and its records.
struct GeneratedStream: Sendable, CustomStringConvertible {
    let seed: UInt64
    let events: Int
    /// The `StreamBuilder` function that built it.
    let builder: String
    let records: [StreamRecord]

    var description: String {
        "GeneratedStream(\(records.count) records) — rebuild with StreamBuilder.\(builder)(seed: \(seed), events: \(events))"
    }
}

/// A small deterministic RNG (SplitMix64) so a stream is a pure function of its seed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum StreamGen {
    /// Streams aimed at the consent ledger (`StreamBuilder.buildConsentHeavy`).
    static func consentHeavyStreams(events: ClosedRange<Int> = 150...400) -> Generator<GeneratedStream, some SendableSequenceType> {
        zip(Gen.uint64(in: 0...UInt64.max).withoutShrink(), Gen.int(in: events)).map { seed, count in
            GeneratedStream(seed: seed, events: count, builder: "consentHeavyStream",
                            records: StreamBuilder.consentHeavyStream(seed: seed, events: count))
        }
    }

    /// Realistic random streams of `events` stream steps (after the initial configs).
    /// Shrinking keeps the seed and shortens the stream, which keeps a prefix of it.
    static func streams(events: ClosedRange<Int> = 80...300) -> Generator<GeneratedStream, some SendableSequenceType> {
        zip(Gen.uint64(in: 0...UInt64.max).withoutShrink(), Gen.int(in: events)).map { seed, count in
            GeneratedStream(seed: seed, events: count, builder: "stream", records: StreamBuilder.stream(seed: seed, events: count))
        }
    }
}

/// Builds a stream of SPEC §12.1 records: workspace configs, then a mix of valid
/// events of every type, duplicates, ghosts, malformed values, unknown workspaces
/// and outbound messages, with mostly non-decreasing stream time that sometimes
/// jumps back, or forward by hours or days.
struct StreamBuilder {
    static let workspaces = ["ws_0", "ws_1", "ws_2"]
    static let orgs = ["ws_0": "org_a", "ws_1": "org_a", "ws_2": "org_b"]
    /// 2026-01-31T00:00:00Z: streams start near a month's end.
    static let base: StreamTime = 1_769_817_600_000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    static let standardNames = ["page_view", "purchase", "add_to_cart", "login", "search", "share"]
    static let passiveNames = ["session_start", "email.opened", "aegis.heartbeat", "app_opened", "web_vitals"]
    static let marketingNames = ["campaign_sent", "ad_clicked", "campaign_opened"]
    static let bots = ["Googlebot/2.1", "curl/8.4.0", "Mozilla/5.0 HeadlessChrome/120", "python-requests/2.31", "Lighthouse"]
    static let channels = ["email", "push", "whatsapp", "sms", "rcs"]

    var rng: SplitMix64
    var t: StreamTime
    var records: [StreamRecord] = []
    /// Bytes and key of earlier raw events, to send again as duplicates.
    var sent: [(key: String?, value: [UInt8])] = []
    var nextMessage = 0

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        t = 0
    }

    /// The consent-heavy stream of `seed` (what `StreamGen.consentHeavyStreams` generates).
    static func consentHeavyStream(seed: UInt64, events: Int) -> [StreamRecord] {
        var builder = StreamBuilder(seed: seed)
        return builder.buildConsentHeavy(events: events)
    }

    /// The general stream of `seed` (what `StreamGen.streams` generates).
    static func stream(seed: UInt64, events: Int) -> [StreamRecord] {
        var builder = StreamBuilder(seed: seed)
        return builder.build(events: events)
    }

    mutating func build(events count: Int) -> [StreamRecord] {
        t = Self.base + Int64.random(in: 0..<(3 * Self.day), using: &rng)
        for ws in Self.workspaces where ws != "ws_2" || chance(50) {
            emit(Topic.workspaceConfig, key: ws, value: config(ws))
        }
        for _ in 0..<count { step() }
        return records
    }

    /// A stream aimed at the consent ledger: one consent-mode workspace whose few
    /// contacts send many denied events (so holds pile up past 100 per contact), with
    /// occasional consent events, config changes and jumps of days.
    mutating func buildConsentHeavy(events count: Int) -> [StreamRecord] {
        t = Self.base + Int64.random(in: 0..<(3 * Self.day), using: &rng)
        emit(Topic.workspaceConfig, key: "ws_0", value: Self.bytes([
            "workspace_id": "ws_0", "org_id": "org_a", "plan": "enterprise", "consent_mode": true,
            "consent_default": "denied", "limits": ["unique_event_names": .int(int(2...5))],
        ]))
        for _ in 0..<count {
            let roll = int(0...999)
            switch roll {
            case 0..<10: t += Int64(int(1...12)) * Self.day
            case 10..<20: t -= Int64(int(1...600_000))
            default: t += Int64(int(0...5_000))
            }
            let contact = pick(["c0", "c0", "c0", "c1"])
            var object: JSONObject = [
                "message_id": .string(messageID()), "workspace_id": "ws_0", "source_id": "web", "customer_id": .string(contact),
            ]
            switch int(0...99) {
            case 0..<4:
                object["type"] = "consent"
                object["properties"] = ["analytics": .bool(chance(50)), "marketing": .bool(chance(50))]
            case 4..<5:
                emit(Topic.workspaceConfig, key: "ws_0", value: Self.bytes([
                    "workspace_id": "ws_0", "org_id": "org_a", "plan": .string(pick(["trial", "enterprise"])),
                    "consent_mode": true, "consent_default": "denied",
                    "limits": ["unique_event_names": .int(int(2...5))],
                ]))
                continue
            default:
                object["type"] = "track"
                object["event"] = .string(pick(["page_view", "custom_\(int(0...8))", "campaign_sent", "ad_clicked"]))
            }
            let value = Self.bytes(object)
            emit(Topic.rawEvents, key: "ws_0", value: value)
            if chance(3) { emit(Topic.rawEvents, key: "ws_0", value: value) }
        }
        return records
    }

    // MARK: - Randomness

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    mutating func advanceTime() {
        let roll = int(0...999)
        switch roll {
        case 0..<30: t -= Int64(int(1...600_000))                       // back up to 10 min
        case 30..<40: t -= Int64(int(1...(2 * 86_400_000)))             // back up to 2 days
        case 40..<70: t += Int64(int(1...30)) * Self.hour               // hours ahead
        case 70..<85: t += Int64(int(1...9)) * Self.day + Int64(int(0...3_600_000)) // days ahead
        case 85..<250: break                                            // same millisecond
        default: t += Int64(int(1...2_000))
        }
    }

    mutating func emit(_ topic: String, key: String?, value: [UInt8]?, headers: [Header] = []) {
        records.append(StreamRecord(topic: topic, key: key, value: value, timestamp: t, headers: headers))
    }

    mutating func messageID() -> String {
        defer { nextMessage += 1 }
        return "m\(nextMessage)"
    }

    // MARK: - Steps

    mutating func step() {
        advanceTime()
        let roll = int(0...99)
        switch roll {
        case 0..<3:
            let ws = pick(Self.workspaces)
            emit(Topic.workspaceConfig, key: ws, value: chance(85) ? config(ws) : invalidConfig(ws))
        case 3..<10:
            if let old = sent.isEmpty ? nil : pick(sent) {
                emit(Topic.rawEvents, key: old.key, value: old.value)
            } else {
                validEvent(workspace: pick(Self.workspaces))
            }
        case 10..<16: malformedEvent()
        case 16..<19: validEvent(workspace: "ws_unknown")
        case 19..<25: outbound()
        default: validEvent(workspace: pick(Self.workspaces))
        }
    }

    // MARK: - Configs

    mutating func config(_ ws: String) -> [UInt8] {
        var object: JSONObject = [
            "workspace_id": .string(ws), "org_id": .string(Self.orgs[ws] ?? "org_z"),
            "plan": .string(pick(["trial", "growth", "scale", "enterprise"])),
        ]
        if chance(70) {
            object["mau_mode"] = .string(pick(["active_events", "identified_rolling_30d", "connections"]))
        }
        if chance(45) {
            object["consent_mode"] = true
            object["consent_default"] = .string(pick(["granted", "denied", "denied"]))
        } else if chance(20) {
            object["consent_mode"] = false
        }
        var limits = JSONObject()
        if chance(65) { limits["unique_event_names"] = .int(int(2...5)) } else if chance(15) {
            limits["unique_event_names"] = -1
        }
        if chance(15) {
            limits["workspace_events_per_second"] = -1
            limits["source_events_per_second"] = -1
            limits["contact_events_per_second"] = -1
        } else if chance(55) {
            limits["contact_events_per_second"] = .int(int(1...3))
            if chance(30) { limits["source_events_per_second"] = .int(int(2...6)) }
        }
        if chance(50) { limits["messages_per_contact_per_day"] = .int(chance(85) ? int(1...3) : -1) }
        if chance(25) { limits["mau_included"] = .int(int(1...3)) }
        if chance(25) { limits["peak_concurrent_connections"] = .int(int(1...3)) }
        if chance(10) { limits["events_per_month"] = .int(int(5...40)) }
        if !limits.isEmpty { object["limits"] = .object(limits) }
        if chance(20) {
            object["schemas"] = ["custom_0": ["required": ["amount"], "properties": ["amount": "number"]]]
        }
        return JSONValue.object(object).serializedBytes
    }

    mutating func invalidConfig(_ ws: String) -> [UInt8] {
        switch int(0...3) {
        case 0: Self.bytes(["workspace_id": .string(ws), "org_id": "org_a", "plan": "trial", "limits": ["bogus": 1]])
        case 1: Self.bytes(["workspace_id": .string(ws), "org_id": "org_a", "plan": "platinum"])
        case 2: Array("{\"workspace_id\":\"\(ws)\"".utf8)
        default: Self.bytes(["workspace_id": .string(ws), "org_id": "org_a", "plan": "trial",
                            "limits": ["unique_event_names": -7]])
        }
    }

    static func bytes(_ object: JSONObject) -> [UInt8] { JSONValue.object(object).serializedBytes }

    // MARK: - Raw events

    mutating func identity(into object: inout JSONObject) {
        switch int(0...99) {
        case 0..<3: object["customer_id"] = .string(pick(["smoke_1", "Synthetic_user", "AEGIS_PROBE_7"]))
        case 3..<70: object["customer_id"] = .string("c\(int(0...5))")
        case 70..<75:
            object["customer_id"] = "  "
            object["anonymous_id"] = .string("a\(int(0...3))")
        default: object["anonymous_id"] = .string("a\(int(0...3))")
        }
    }

    mutating func trackName() -> String {
        switch int(0...99) {
        case 0..<25: pick(Self.standardNames)
        case 25..<70: "custom_\(int(0...11))"
        case 70..<82: pick(Self.passiveNames)
        case 82..<92: pick(Self.marketingNames)
        case 92..<97: "  custom_\(int(0...3)) "
        case 97: String(repeating: "n", count: 129)
        default: "   "
        }
    }

    mutating func traits() -> JSONObject {
        var traits = JSONObject()
        if chance(80) { traits["email"] = .string("u\(int(0...9))@example.com") }
        if chance(40) { traits["firstName"] = "Ada" }
        if chance(30) { traits["created_at"] = .string(pick(["2026-01-01", "2026-01-02T03:04:05Z", "1769817600", "soon"])) }
        if chance(15) { traits["$secret"] = 1 }
        if chance(10) { traits["bio"] = .string(String(repeating: "b", count: pick([300, 5_000]))) }
        if chance(10) { traits["first_name"] = "Bob" }
        if chance(5) { traits["😀"] = "emoji" }
        return traits
    }

    mutating func validEvent(workspace ws: String) {
        let type = pick(["track", "track", "track", "track", "track", "page", "screen", "identify", "identify", "group",
                         "alias", "consent", "consent", "consent", "delete", "connection", "connection", "connection"])
        var object: JSONObject = [
            "message_id": .string(messageID()), "workspace_id": .string(ws),
            "source_id": .string(chance(2) ? "aegis_probe_src" : pick(["web", "ios", "server"])), "type": .string(type),
        ]
        identity(into: &object)
        var context = JSONObject()
        switch type {
        case "track":
            let name = trackName()
            object["event"] = .string(name)
            if name == "custom_0", chance(70) { object["properties"] = ["amount": chance(80) ? 12.5 : "x"] }
            if chance(30) { object["properties"] = ["plan": "pro", "n": .int(int(0...9))] }
        case "page", "screen":
            if chance(50) { object["properties"] = ["path": "/home"] }
        case "identify", "group":
            if chance(85) { object["traits"] = .object(traits()) }
        case "consent":
            var properties = JSONObject()
            if chance(70) { properties["analytics"] = .bool(chance(70)) }
            if chance(60) { properties["marketing"] = .bool(chance(60)) }
            if chance(15) { properties["functional"] = .bool(chance(50)) }
            object["properties"] = .object(properties)
        case "delete":
            // Deletes are rare and only ever for one contact, so most contacts stay alive.
            if chance(60) { return validEvent(workspace: ws) }
            object["customer_id"] = "c5"
            object["anonymous_id"] = nil
        case "connection":
            object["event"] = .string(pick(["connect", "connect", "disconnect"]))
            if chance(95) { context["connection_id"] = .string("conn_\(int(0...3))") }
        default:
            break
        }
        if chance(5) { context["user_agent"] = .string(pick(Self.bots)) } else if chance(40) {
            context["user_agent"] = "Mozilla/5.0 (Macintosh)"
        }
        if chance(2) { context["synthetic"] = true }
        if chance(6) { context["consent_category"] = .string(pick(["analytics", "marketing", "functional"])) }
        if !context.isEmpty { object["context"] = .object(context) }
        let key: String? = switch int(0...99) {
        case 0..<3: nil
        case 3..<5: "ws_other"
        default: ws
        }
        let value = JSONValue.object(object).serializedBytes
        sent.append((key, value))
        emit(Topic.rawEvents, key: key, value: value, headers: chance(10) ? [Header(name: "trace", text: "t\(int(0...9))")] : [])
    }

    mutating func malformedEvent() {
        let ws = pick(Self.workspaces)
        let value: [UInt8]? = switch int(0...11) {
        case 0: (0..<int(0...64)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:
            Array(Self.bytes(["message_id": .string(messageID()), "workspace_id": .string(ws), "source_id": "web",
                             "type": "track", "event": "x", "customer_id": "c1"]).prefix(int(1...60)))
        case 2: Array("[1,2,3]".utf8)
        case 3: Array("\"just a string\"".utf8)
        case 4: Array("{}".utf8)
        case 5: Self.bytes(["message_id": .string(messageID()), "workspace_id": .string(ws), "source_id": "web",
                           "type": "Track", "event": "x", "customer_id": "c1"])
        case 6: Self.bytes(["message_id": 42, "workspace_id": .string(ws), "source_id": "web", "type": "page",
                           "customer_id": "c1"])
        case 7: Self.bytes(["message_id": .string(messageID()), "workspace_id": .string(ws), "source_id": "web",
                           "type": "page"])
        case 8: []
        case 9: nil
        case 10: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D] // {"\xFF\xFE":1}
        default: Self.bytes(["message_id": .string(messageID()), "workspace_id": .string(ws), "source_id": "web",
                            "type": "track", "customer_id": "c1", "event": "deep",
                            "properties": (0..<12).reduce(JSONValue.int(1)) { inner, _ in ["a": inner] }])
        }
        emit(Topic.rawEvents, key: chance(90) ? ws : nil, value: value)
    }

    mutating func outbound() {
        let ws = chance(90) ? pick(Self.workspaces) : "ws_unknown"
        var object: JSONObject = [
            "message_id": .string(messageID()), "workspace_id": .string(ws), "contact_key": .string("c\(int(0...3))"),
            "channel": .string(pick(Self.channels)),
        ]
        if chance(30) { object["campaign_id"] = "camp_1" }
        switch int(0...99) {
        case 0..<5: object["contact_key"] = nil
        case 5..<8: object["channel"] = "fax"
        case 8..<10:
            emit(Topic.outboundMessages, key: ws, value: Array("not json".utf8))
            return
        default: break
        }
        emit(Topic.outboundMessages, key: ws, value: JSONValue.object(object).serializedBytes)
    }
}
