/// The nine raw event types of SPEC §4. Matching is case-sensitive: `"Track"` is
/// `unknown_type`.
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case track, page, screen, identify, group, alias, consent, delete, connection

    /// The only type a name of this length and first byte can be (nil: no type's name
    /// has the length); the caller compares the whole name.
    @inline(__always)
    private static func candidate(length: Int, first: UInt8?) -> EventType? {
        switch length {
        case 4: .page
        case 5:
            switch first {
            case UInt8(ascii: "t"): .track
            case UInt8(ascii: "g"): .group
            default: .alias
            }
        case 6: first == UInt8(ascii: "s") ? .screen : .delete
        case 7: .consent
        case 8: .identify
        case 10: .connection
        default: nil
        }
    }

    /// `init(rawValue:)` with one comparison: the type its length and first byte
    /// can only be, then its name compared (the synthesized initializer compared the
    /// text with each case in turn, ~270 instructions an event).
    static func named(_ text: String) -> EventType? {
        let utf8 = text.utf8
        guard let candidate = candidate(length: utf8.count, first: utf8.first) else { return nil }
        return candidate.rawValue == text ? candidate : nil
    }

    /// `named(_:)` of a string's UTF-8 bytes: the type whose name they spell, or nil
    /// (a reader that finds the type here keeps its `rawValue`, making no string).
    static func named(utf8 bytes: UnsafeBufferPointer<UInt8>) -> EventType? {
        guard let candidate = candidate(length: bytes.count, first: bytes.first) else { return nil }
        let name: StaticString = switch candidate {
        case .track: "track"
        case .identify: "identify"
        case .group: "group"
        case .page: "page"
        case .screen: "screen"
        case .alias: "alias"
        case .delete: "delete"
        case .consent: "consent"
        case .connection: "connection"
        }
        guard name.utf8CodeUnitCount == bytes.count else { return nil }
        for index in 0..<bytes.count where name.utf8Start[index] != bytes[index] { return nil }
        return candidate
    }

    /// The name an event of this type always carries, or nil for `track` and
    /// `connection`, whose name is the required `event` field.
    public var implicitName: String? {
        switch self {
        case .track, .connection: nil
        case .page: "page_view"
        case .screen: "screen_view"
        case .identify: "identify"
        case .group: "group"
        case .alias: "alias"
        case .consent: "consent"
        case .delete: "delete"
        }
    }
}
