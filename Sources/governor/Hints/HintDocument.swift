import JSON

/// One workspace's SDK hint as served: the `governance-hints` record's value verbatim
/// (SPEC §7), how long clients may cache it, and an entity tag of its bytes.
struct HintDocument: Sendable, Equatable {
    var body: [UInt8]
    var ttlSeconds: Int
    /// A strong entity tag, quoted: the FNV-1a 64 hash of the body, so the same hint
    /// republished keeps its tag and clients keep their cache.
    var etag: String

    /// Reads a hint record's value; nil with why when it is not a hint.
    static func parse(_ value: [UInt8]) -> Result<HintDocument, HintDocumentError> {
        let document: JSONValue
        do { document = try JSONParser.parse(value).value } catch { return .failure(HintDocumentError("not JSON: \(error)")) }
        guard case .object(let hint) = document, case .object(let governance)? = hint["eventGovernance"] else {
            return .failure(HintDocumentError("no eventGovernance object"))
        }
        guard case .number(let ttl)? = governance["ttl_seconds"], let seconds = ttl.int64Value, seconds >= 0, seconds <= Int64(Int32.max) else {
            return .failure(HintDocumentError("eventGovernance.ttl_seconds is not a non-negative integer"))
        }
        return .success(HintDocument(body: value, ttlSeconds: Int(seconds), etag: entityTag(value)))
    }

    /// Whether an `If-None-Match` header value names this document (or is `*`).
    func matches(ifNoneMatch header: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.drop { $0 == " " }
            while tag.last == " " { tag = tag.dropLast() }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            return tag == "*" || tag == etag
        }
    }

    private static func entityTag(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}

struct HintDocumentError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
