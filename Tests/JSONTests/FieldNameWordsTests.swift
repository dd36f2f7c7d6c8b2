import Testing
@testable import JSON

/// A scan's key matched by words (`JSONFieldNames.slot(of:readable:)`) against the byte
/// by byte match (`slot(of:)`): the same slot for every name, for each name with any one
/// byte changed, cut short or made one byte longer, for keys of 0–20 bytes, and with
/// the key at every distance from the end of what can be read.
@Suite struct FieldNameWordsTests {
    static let names = ["message_id", "workspace_id", "source_id", "type", "event", "customer_id", "anonymous_id",
                        "timestamp", "properties", "traits", "context", "a", "", "abcdefgh", "abcdefghi",
                        "sixteen_bytes_xx", "seventeen_bytes_x", "é_name"]

    static func keys() -> [[UInt8]] {
        var keys: [[UInt8]] = []
        for name in names {
            let bytes = Array(name.utf8)
            keys.append(bytes)
            keys.append(bytes + [UInt8(ascii: "x")])
            if !bytes.isEmpty { keys.append(Array(bytes.dropLast())) }
            for position in bytes.indices {
                var changed = bytes
                changed[position] ^= 0x01
                keys.append(changed)
                changed[position] = 0
                keys.append(changed)
            }
        }
        for length in 0...20 { keys.append((0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }) }
        return keys
    }

    @Test func wordsFindTheSlotsBytesFind() {
        let names = JSONFieldNames(Self.names)
        for key in Self.keys() {
            let expected = key.withUnsafeBufferPointer { names.slot(of: $0) }
            // The key followed by 0–20 bytes of what can be read (junk after it).
            for after in 0...20 {
                let buffer = key + [UInt8](repeating: 0xA5, count: after)
                let slot = buffer.withUnsafeBufferPointer { whole in
                    names.slot(of: UnsafeBufferPointer(rebasing: whole[0..<key.count]), readable: whole.count)
                }
                #expect(slot == expected, "\(key) with \(after) after")
            }
        }
        for (slot, name) in Self.names.enumerated() {
            let buffer = Array(name.utf8) + [UInt8](repeating: 0, count: 16)
            #expect(buffer.withUnsafeBufferPointer { names.slot(of: UnsafeBufferPointer(rebasing: $0[0..<name.utf8.count]), readable: $0.count) } == slot)
        }
    }

    /// Through a scan: every name found in its slot, the key from 4 to 24 bytes before
    /// the end of the document (so matched by words and by bytes).
    @Test func scanFindsEveryNameNearTheEnd() throws {
        let names = JSONFieldNames(Self.names)
        for (slot, name) in Self.names.enumerated() {
            for valueLength in 0...20 {
                let value = String(repeating: "v", count: valueLength)
                let text = Array((#"{"zz":0,""# + name + #"":""# + value + #""}"#).utf8)
                let scan = try text.withUnsafeBufferPointer { try JSONParser.scanFields($0, names: names) }
                for other in Self.names.indices {
                    #expect((scan.field(other) != nil) == (other == slot), "\(name) slot \(other) value \(valueLength)")
                }
                #expect(scan.field(slot)?.string(in: text) == value)
            }
        }
    }
}
