/// How much of the original record an event-scope DLQ record echoes (issue 14 item 2).
///
/// SPEC §6.1 asks for the original value bytes, key and headers so that a replay is
/// byte-identical. A hostile record can carry a 20 MB value, a megabyte key or
/// megabytes of headers; echoed in full (base64 adds a third) the DLQ record would be
/// over the producer's `message.max.bytes` (1,000,000 by default), the transaction
/// could never commit, and the partition would stall. So each part is echoed only up
/// to a bound; a part over its bound is written as `null`, and the record says so in
/// `echo_omitted` {part: original size in bytes} and the `governor.dlq.echo_omitted`
/// header. Such a record cannot be replayed byte-identically (the replay tools must
/// refuse it). With all three parts at their bounds the record stays under 600 KB.
public enum DLQEchoBounds {
    /// Value bytes echoed in `original_value_b64` (stage 1 refuses values over 32,768,
    /// so only `payload_too_large` records can come near it).
    public static let maxValueBytes = 262_144
    /// UTF-8 bytes of the key echoed in `original_key`.
    public static let maxKeyBytes = 16_384
    /// Bytes of all headers (names and values) echoed in `original_headers`.
    public static let maxHeaderBytes = 65_536
    /// UTF-8 bytes of the DLQ record's Kafka key and `workspace_id` (the raw key, else the
    /// value's `workspace_id`): a longer one is cut at a character boundary.
    public static let maxRecordKeyBytes = 256

    /// UTF-8 bytes of `detail` (value member and header): details quote input (a record
    /// key, a channel name), so a longer one is cut and ends in `…`.
    public static let maxDetailBytes = 4_096

    /// `detail` within `maxDetailBytes`.
    static func detail(_ detail: String) -> String {
        detail.utf8.count > maxDetailBytes ? prefix(detail, maxBytes: maxDetailBytes - 3) + "…" : detail
    }

    /// `text` cut to at most `maxBytes` UTF-8 bytes at a Unicode scalar boundary.
    static func prefix(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var result = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            let size = String(scalar).utf8.count
            guard bytes + size <= maxBytes else { break }
            bytes += size
            result.append(scalar)
        }
        return String(result)
    }

    /// The header bytes counted against `maxHeaderBytes`.
    static func size(of headers: [Header]) -> Int {
        headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) }
    }
}
