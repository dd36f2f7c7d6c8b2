import JSON

/// The one verdict a raw event or outbound message gets (SPEC §12.1 table).
public enum VerdictKind: String, Sendable, Codable, CaseIterable {
    case accepted, dlq, filtered, deferred
    case rateLimited = "rate_limited"
    case overCap = "over_cap"
    case allowed, capped

    /// The topic that carries this verdict for a raw event or outbound message.
    public var topic: String {
        switch self {
        case .accepted: Topic.eventsAccepted
        case .dlq: Topic.eventsDLQ
        case .filtered: Topic.eventsFiltered
        case .deferred: Topic.eventsDeferred
        case .rateLimited: Topic.eventsRateLimited
        case .overCap: Topic.eventsOverCap
        case .allowed, .capped: Topic.outboundVerdicts
        }
    }
}

/// A verdict with its reason and the extra fields SPEC §12.1 names for it
/// (`field`, `level`, `retry_after_ms`, `category`, `limit`, `count`, `resets_at`).
///
/// Its init is outside the type's body and calls the memberwise one, which builds the
/// value in place where an init assigning each property built it aside and copied it.
public struct Verdict: Sendable, Equatable {
    public var kind: VerdictKind
    public var reason: String?
    public var messageID: String?
    public var workspaceID: String?
    /// Extra fields in the order they are written.
    public var extras: [JSONMember]

    /// The summary key `verdict/reason` used in counts.
    public var summaryKey: String { reason.map { "\(kind.rawValue)/\($0)" } ?? kind.rawValue }

    /// The `governor check` line for the record on file line `line` (SPEC §12.1).
    public func checkLine(line: Int) -> JSONValue {
        var object = JSONObject()
        object.appendUnchecked("line", .int(line))
        if let messageID { object.appendUnchecked("message_id", .string(messageID)) }
        if let workspaceID { object.appendUnchecked("workspace_id", .string(workspaceID)) }
        object.appendUnchecked("verdict", .string(kind.rawValue))
        if let reason { object.appendUnchecked("reason", .string(reason)) }
        for extra in extras { object[extra.key] = extra.value }
        return .object(object)
    }
}

extension Verdict {
    public init(_ kind: VerdictKind, reason: String? = nil, messageID: String? = nil, workspaceID: String? = nil,
                extras: [JSONMember] = []) {
        self.init(kind: kind, reason: reason, messageID: messageID, workspaceID: workspaceID, extras: extras)
    }
}
