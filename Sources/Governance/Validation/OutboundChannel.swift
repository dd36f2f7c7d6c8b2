/// The channels an outbound send request may name (SPEC §9). Case-sensitive.
public enum OutboundChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case email, push, whatsapp, sms, rcs
}
