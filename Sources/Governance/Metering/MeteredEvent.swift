/// An accepted event as usage metering sees it (SPEC §8).
public struct MeteredEvent: Sendable, Equatable {
    /// What an accepted event can do to usage.
    public enum Role: Sendable, Equatable {
        /// Counts a contact as active in `active_events` mode.
        case active
        /// Counts only as an accepted event.
        case passive
        /// An `identify` event: counts the contact for 30 days in `identified_rolling_30d` mode.
        case identify
        /// A `connection` event named `connect`: opens a connection in `connections` mode.
        case connect(connectionID: String)
        /// A `connection` event named `disconnect`: closes a connection in `connections` mode.
        case disconnect(connectionID: String)

        /// The role of an accepted event.
        /// - Parameters:
        ///   - type: the event's `type`.
        ///   - event: the trimmed event name.
        ///   - connectionID: `context.connection_id`.
        ///   - isPassiveName: whether the passive-event classifier (SPEC §8) lists the name.
        /// - Returns: `identify` for identify events; `connect` / `disconnect` for connection
        ///   events with exactly those names and a connection id; `passive` for other
        ///   connection events, consent and delete events (never active) and passive
        ///   names; `active` otherwise (custom names included).
        public static func of(type: String, event: String, connectionID: String?, isPassiveName: Bool) -> Role {
            switch type {
            case "identify": return .identify
            case "connection":
                guard let connectionID else { return .passive }
                switch event {
                case "connect": return .connect(connectionID: connectionID)
                case "disconnect": return .disconnect(connectionID: connectionID)
                default: return .passive
                }
            case "consent", "delete": return .passive
            default: return isPassiveName ? .passive : .active
            }
        }
    }

    /// The identity key.
    public var contactKey: String
    /// The trimmed event name.
    public var event: String
    public var messageID: String
    public var role: Role

    public init(contactKey: String, event: String, messageID: String, role: Role) {
        self.contactKey = contactKey
        self.event = event
        self.messageID = messageID
        self.role = role
    }
}
