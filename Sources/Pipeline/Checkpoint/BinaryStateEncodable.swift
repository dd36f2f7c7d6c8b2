import Governance

/// A value `BinaryStateEncoder` writes directly instead of through `encode(to:)`:
/// the generic path builds an encoder object, a buffer and an entries array per
/// nested struct, which for the small value structs of the state maps (a rate
/// limiter's bucket, a contact's consent, a rate-limit key) cost more than the bytes.
/// An implementation must write exactly the bytes the generic path writes for its
/// synthesized `Codable` conformance (keys sorted by their UTF-8 bytes, a nil
/// optional left out as `encodeIfPresent` does): `BinaryStateEncodableTests`
/// compares the two for every conforming type. Decoding stays generic.
protocol BinaryStateEncodable {
    /// Appends this value's slot to `out`; strings in NFC when `canonicalStrings`.
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8])
}

/// Writes a keyed container whose entries `body` appends in key order, one `entry`
/// call each: the slot header is patched in once the payload's size is known.
struct BinaryKeyedWriter {
    private(set) var count = 0

    /// Appends `key` (ASCII, already in order) and the value slot `write` appends.
    mutating func entry(_ key: StaticString, into out: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        BinaryWire.writeVarint(UInt64(key.utf8CodeUnitCount), into: &out)
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        write(&out)
        count += 1
    }

    /// Writes the container: `body` appends the entries; their count and the slot
    /// header go in front.
    static func write(into out: inout [UInt8], _ body: (inout BinaryKeyedWriter, inout [UInt8]) -> Void) {
        let headerAt = out.count
        // Header and count are one byte each for a payload under 127 bytes and fewer
        // than 128 entries; otherwise the placeholders are replaced below.
        out.append(0)
        out.append(0)
        let start = out.count
        var writer = BinaryKeyedWriter()
        body(&writer, &out)
        let entries = out.count - start
        let count = UInt64(writer.count)
        let payload = BinaryWire.varintSize(count) + entries
        if payload + 1 < 0x80, count < 0x80 {
            out[headerAt] = UInt8(payload + 1)
            out[headerAt + 1] = UInt8(count)
        } else {
            var prefix: [UInt8] = []
            BinaryWire.writeHeader(payload: payload, into: &prefix)
            BinaryWire.writeVarint(count, into: &prefix)
            out.replaceSubrange(headerAt..<start, with: prefix)
        }
    }
}

extension TokenBucket: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("lastUpdate", into: &out) { BinaryWire.writeSigned(lastUpdate, into: &$0) }
            writer.entry("milliTokens", into: &out) { BinaryWire.writeSigned(milliTokens, into: &$0) }
        }
    }
}

extension ContactConsent: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            if let analytics { writer.entry("analytics", into: &out) { BinaryWire.writeBool(analytics, into: &$0) } }
            if let functional { writer.entry("functional", into: &out) { BinaryWire.writeBool(functional, into: &$0) } }
            if let marketing { writer.entry("marketing", into: &out) { BinaryWire.writeBool(marketing, into: &$0) } }
            if let recordedAt { writer.entry("recordedAt", into: &out) { BinaryWire.writeSigned(recordedAt, into: &$0) } }
        }
    }
}

extension RateLimitKey: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("id", into: &out) { BinaryWire.writeString(canonicalStrings ? id.canonicalSpelling : id, into: &$0) }
            writer.entry("level", into: &out) { BinaryWire.writeString(level.rawValue, into: &$0) }
        }
    }
}
