import JSON

/// A realistic, deterministic mixed workload as record-file lines (SPEC §12.1): several
/// workspaces on different plans and all three MAU modes, a novel-name burst that
/// crosses a cap and opens grace, bots and smoke tests, passive channel callbacks,
/// a rate spike, consent denials and grants, connections, identify traits that need
/// cleaning, retries (duplicates), malformed records, and outbound sends that hit
/// the messaging cap. The same seed always gives the same lines.
public struct DemoWorkload: Sequence {
    public var events: Int
    public var startMs: Int64
    public var seed: UInt64
    /// How many workspaces carry the load (nil: the six of `configs`). Workspace `i`
    /// is a copy of the `i % 6`-th of `configs` (the copies after the first are named
    /// `<id>_<n>` in org `<org>_<n>`), and every record of a kind picks one of that
    /// kind's copies at random: records are keyed by workspace, so more workspaces
    /// spread the load over more partitions (`governor bench --workspaces`).
    public var workspaces: Int?
    /// The largest contact pool of a workspace (nil: 5,000); the other pools keep
    /// their proportion to it (`governor bench --contacts`).
    public var contacts: Int?

    public init(events: Int = 20_000, startMs: Int64 = 1_795_000_000_000, seed: UInt64 = 42,
                workspaces: Int? = nil, contacts: Int? = nil) {
        self.events = events
        self.startMs = startMs
        self.seed = seed
        self.workspaces = workspaces
        self.contacts = contacts
    }

    /// The contact pool the default workload scales (`contacts`).
    public static let defaultLargestContactPool = 5_000

    /// The configs of this workload's workspaces: `configs`, or their copies when
    /// `workspaces` is set.
    public var workspaceConfigs: [JSONValue] {
        guard let workspaces else { return Self.configs }
        return (0..<Swift.max(workspaces, 0)).map { index in
            let copy = index / Self.configs.count
            var config = Self.configs[index % Self.configs.count]
            guard copy > 0, case .object(var object) = config else { return config }
            for field in ["workspace_id", "org_id"] {
                if let name = object[field]?.stringValue { object[field] = .string("\(name)_\(copy)") }
            }
            config = .object(object)
            return config
        }
    }

    /// The workspace configs the workload uses (written first).
    public static let configs: [JSONValue] = [
        ["workspace_id": "ws_acme", "org_id": "org_acme", "plan": "growth"],
        ["workspace_id": "ws_acme_eu", "org_id": "org_acme", "plan": "scale"],
        ["workspace_id": "ws_trialco", "org_id": "org_trialco", "plan": "trial", "limits": ["unique_event_names": 20]],
        ["workspace_id": "ws_media", "org_id": "org_media", "plan": "growth", "mau_mode": "identified_rolling_30d",
         "consent_mode": true, "consent_default": "denied"],
        ["workspace_id": "ws_chat", "org_id": "org_chat", "plan": "trial", "mau_mode": "connections"],
        ["workspace_id": "ws_bigcorp", "org_id": "org_big", "plan": "enterprise",
         "schemas": ["order_completed": ["required": ["order_id"], "properties": ["order_id": "string", "total": "number"]]]],
    ]

    public func makeIterator() -> Iterator { Iterator(workload: self) }

    /// Produces the lines one at a time, so large workloads stream.
    public struct Iterator: IteratorProtocol {
        let workload: DemoWorkload
        var rng: SplitMix64
        let configs: [JSONValue]
        /// Copies per default workspace id (only when `workspaces` is set).
        let copies: [String: Int]
        var produced = 0
        var line = 0
        var now: Int64
        var recent: [[UInt8]] = []
        /// Records left in the current rate spike (all in the same millisecond).
        var spikeRemaining = 0
        /// The workspace of the current rate spike.
        var spikeWorkspace = "ws_trialco"

        init(workload: DemoWorkload) {
            self.workload = workload
            rng = SplitMix64(seed: workload.seed)
            now = workload.startMs
            configs = workload.workspaceConfigs
            var copies: [String: Int] = [:]
            if let workspaces = workload.workspaces {
                for index in 0..<Swift.max(workspaces, 0) {
                    if let id = DemoWorkload.configs[index % DemoWorkload.configs.count]["workspace_id"]?.stringValue {
                        copies[id, default: 0] += 1
                    }
                }
            }
            self.copies = copies
        }

        public mutating func next() -> RecordLine? {
            if line < configs.count {
                let config = configs[line]
                line += 1
                return RecordLine(line: line, topic: "workspace-config", key: config["workspace_id"]?.stringValue,
                                  timestampMs: now, value: config.serializedBytes)
            }
            guard produced < workload.events else { return nil }
            produced += 1
            line += 1
            if spikeRemaining > 0 {
                spikeRemaining -= 1
                return event("m\(workload.seed)-\(produced)", spikeWorkspace, contact: "hot_user", name: "button_click",
                             spread: false)
            }
            now += Int64(rng.below(90)) + 5
            return makeRecord()
        }

        private mutating func makeRecord() -> RecordLine {
            let roll = rng.below(1000)
            let id = "m\(workload.seed)-\(produced)"
            switch roll {
            case 0..<8:  // retries: a recent record again, byte for byte
                if let again = recent.randomElement(using: &rng) { return raw(again, key: keyOf(again)) }
                return event(id, "ws_acme", contact: contact(200), name: "page_view", type: "page")
            case 8..<12:  // malformed JSON and hostile input
                let junk: [[UInt8]] = [Array("{\"message_id\":\"\(id)\",".utf8), [0xFF, 0xFE, 0x00], Array("[1,2,3]".utf8)]
                return RecordLine(line: line, topic: "raw-events", key: "ws_acme", timestampMs: now, value: junk[rng.below(3)])
            case 12..<16:
                return event(id, "ws_unknown", contact: contact(10), name: "login")
            case 16..<40:  // bots and smoke tests
                let ua = ["Mozilla/5.0 (compatible; Googlebot/2.1)", "python-requests/2.31", "curl/8.4.0"][rng.below(3)]
                if rng.below(2) == 0 {
                    return event(id, "ws_acme", contact: contact(500), name: "page_view", type: "page", userAgent: ua)
                }
                return event(id, "ws_acme_eu", contact: "smoke_\(rng.below(5))", name: "login")
            case 40..<140:  // passive channel callbacks
                let name = ["email.delivered", "email.opened", "push.sent", "sms.delivered", "whatsapp.read", "session_heartbeat"][rng.below(6)]
                return event(id, ["ws_acme", "ws_acme_eu", "ws_bigcorp"][rng.below(3)], contact: contact(3000), name: name)
            case 140..<170:  // the trial workspace's novel-name burst crossing its cap of 20
                return event(id, "ws_trialco", contact: contact(300), name: "feature_\(rng.below(produced < 2000 ? 15 : 40))")
            case 170..<172:  // a rate spike: one contact, 40 events in the same millisecond
                spikeRemaining = 39
                spikeWorkspace = copy("ws_trialco")
                return event(id, spikeWorkspace, contact: "hot_user", name: "button_click",
                             spread: false)
            case 172..<190:
                return event(id, "ws_trialco", contact: contact(300), name: "button_click")
            case 190..<290:  // consent-governed media workspace
                let c = contact(400)
                switch rng.below(10) {
                case 0: return event(id, "ws_media", contact: c, name: nil, type: "consent",
                                     properties: ["analytics": .bool(rng.below(4) != 0), "marketing": .bool(rng.below(3) == 0)])
                case 1, 2: return event(id, "ws_media", contact: c, name: nil, type: "identify",
                                        traits: ["firstName": "Ana", "signup_at": "2026-01-05", "$internal": "x"])
                case 3: return event(id, "ws_media", contact: c, name: "campaign_open")
                default: return event(id, "ws_media", contact: c, name: "article_read")
                }
            case 290..<380:  // connections
                let c = contact(60)
                let connection = "\(c)-conn\(rng.below(3))"
                return event(id, "ws_chat", contact: c, name: rng.below(3) == 0 ? "disconnect" : "connect", type: "connection",
                             connectionID: connection)
            case 380..<430:  // outbound sends against the messaging cap
                let ws = copy("ws_acme")
                let value: JSONValue = ["message_id": .string(id), "workspace_id": .string(ws), "contact_key": .string(contact(40)),
                                        "channel": .string(["email", "push", "sms"][rng.below(3)])]
                return RecordLine(line: line, topic: "outbound-messages", key: ws, timestampMs: now, value: value.serializedBytes)
            case 430..<470:
                let withOrder = rng.below(5) != 0
                return event(id, "ws_bigcorp", contact: contact(5000), name: "order_completed",
                             properties: withOrder ? ["order_id": .string("o\(produced)"), "total": 42.5] : ["total": 42.5])
            case 470..<520:
                return event(id, "ws_acme", contact: contact(800), name: nil, type: "identify",
                             traits: ["email": "a@example.com", "HTTPServerURL": "https://x", "bio": .string(String(repeating: "b", count: 300))])
            default:
                let ws = ["ws_acme", "ws_acme_eu", "ws_bigcorp"][rng.below(3)]
                let name = ["page_view", "purchase", "add_to_cart", "search", "video_played", "report_exported", "login"][rng.below(7)]
                return event(id, ws, contact: contact(ws == "ws_bigcorp" ? 5000 : 1500), name: name,
                             type: name == "page_view" ? "page" : "track")
            }
        }

        private mutating func contact(_ n: Int) -> String {
            guard let largest = workload.contacts else { return "user_\(rng.below(n))" }
            return "user_\(rng.below(Swift.max(1, n * largest / DemoWorkload.defaultLargestContactPool)))"
        }

        /// One of the copies of default workspace `id` (`id` itself without copies).
        private mutating func copy(_ id: String) -> String {
            guard let count = copies[id], count > 1 else { return id }
            let n = rng.below(count)
            return n == 0 ? id : "\(id)_\(n)"
        }

        private mutating func event(_ id: String, _ ws: String, contact: String, name: String?, type: String = "track",
                                    userAgent: String? = nil, properties: JSONValue? = nil, traits: JSONValue? = nil,
                                    connectionID: String? = nil, spread: Bool = true) -> RecordLine {
            let ws = spread ? copy(ws) : ws
            var object = JSONObject()
            object.appendUnchecked("message_id", .string(id))
            object.appendUnchecked("workspace_id", .string(ws))
            object.appendUnchecked("source_id", .string(["web", "ios", "android", "server"][rng.below(4)]))
            object.appendUnchecked("type", .string(type))
            if let name, type == "track" || type == "connection" { object.appendUnchecked("event", .string(name)) }
            if rng.below(3) == 0 { object.appendUnchecked("anonymous_id", .string("anon_" + contact)) }
            object.appendUnchecked("customer_id", .string(contact))
            if let properties { object.appendUnchecked("properties", properties) }
            if let traits { object.appendUnchecked("traits", traits) }
            var context = JSONObject()
            context.appendUnchecked("user_agent", .string(userAgent ?? "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"))
            if let connectionID { context.appendUnchecked("connection_id", .string(connectionID)) }
            object.appendUnchecked("context", .object(context))
            let bytes = JSONValue.object(object).serializedBytes
            if recent.count < 64 { recent.append(bytes) } else { recent[rng.below(64)] = bytes }
            return raw(bytes, key: ws)
        }

        private func raw(_ bytes: [UInt8], key: String?) -> RecordLine {
            RecordLine(line: line, topic: "raw-events", key: key, timestampMs: now, value: bytes)
        }

        private func keyOf(_ bytes: [UInt8]) -> String? {
            (try? JSONParser.parse(bytes))?.value["workspace_id"]?.stringValue
        }
    }
}

/// A small, fast, seedable generator (SplitMix64), so workloads are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform integer in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
