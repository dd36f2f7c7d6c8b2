import Foundation

/// What a reviewer asks of the DLQ: every member narrows the selection; nil
/// members do not filter. The same filter drives `dlq list`, `dlq replay` and the
/// console, so what a reviewer lists is what a replay sends.
public struct DLQFilter: Sendable, Hashable, Codable {
    public var reason: String?
    public var workspaceID: String?
    /// `event`, `trait` or `outbound` (event scope whose origin is `outbound-messages`).
    public var scope: DLQScopeFilter?
    /// Stream time bounds (ms), `since` inclusive, `until` exclusive.
    public var since: Int64?
    public var until: Int64?
    /// Free text, matched case-insensitively in the detail, field, ids and original value.
    public var text: String?

    public init(reason: String? = nil, workspaceID: String? = nil, scope: DLQScopeFilter? = nil,
                since: Int64? = nil, until: Int64? = nil, text: String? = nil) {
        self.reason = reason.nonEmpty
        self.workspaceID = workspaceID.nonEmpty
        self.scope = scope
        self.since = since
        self.until = until
        self.text = text.nonEmpty
    }

    /// A short human description, for audit records and confirmations.
    public var summary: String {
        var parts: [String] = []
        if let reason { parts.append("reason=\(reason)") }
        if let workspaceID { parts.append("workspace=\(workspaceID)") }
        if let scope { parts.append("scope=\(scope.rawValue)") }
        if let since { parts.append("since=\(DLQTime.iso8601(since))") }
        if let until { parts.append("until=\(DLQTime.iso8601(until))") }
        if let text { parts.append("grep=\(text)") }
        return parts.isEmpty ? "all records" : parts.joined(separator: " ")
    }
}

/// The `--scope` values: the record's scope, with outbound messages split out of `event`.
public enum DLQScopeFilter: String, Sendable, Hashable, Codable, CaseIterable {
    case event, trait, outbound
}

/// Times as reviewers type them: ISO-8601 (date or date-time, UTC unless an
/// offset is given) or epoch milliseconds.
public enum DLQTime {
    /// Epoch ms of `text`, nil when it is neither form.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let ms = Int64(trimmed) { return ms }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        var candidates = [trimmed]
        // A date-time without an offset is UTC.
        if trimmed.count >= 16, trimmed.contains("T"), !trimmed.hasSuffix("Z"),
            trimmed.range(of: #"[+-]\d\d:?\d\d$"#, options: .regularExpression) == nil {
            candidates.append(trimmed + (trimmed.count == 16 ? ":00Z" : "Z"))
        }
        // A date alone is UTC midnight; the date-only parser would also accept a date-time's prefix.
        let formatters = trimmed.count == 10 ? [dateOnly] : [withFraction, plain]
        for candidate in candidates {
            for formatter in formatters {
                if let date = formatter.date(from: candidate) {
                    let ms = (date.timeIntervalSince1970 * 1000).rounded()
                    guard ms.isFinite, abs(ms) < 9.0e15 else { return nil }
                    return Int64(ms)
                }
            }
        }
        return nil
    }

    /// `2026-11-18T10:00:00.000Z` for epoch ms (clamped to what a Date can show).
    public static func iso8601(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let clamped = min(max(ms, -62_135_596_800_000), 253_402_300_799_999)
        return formatter.string(from: Date(timeIntervalSince1970: Double(clamped) / 1000))
    }
}

extension Optional where Wrapped == String {
    /// nil for nil, empty or blank text.
    var nonEmpty: String? {
        guard let self, !self.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return self
    }
}
