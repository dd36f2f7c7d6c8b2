/// Standard base64 (RFC 4648 §4: `+` and `/`, `=` padding), for the DLQ's
/// `original_value_b64` and header values, without Foundation.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 255 marks a byte outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The padded encoding of `bytes`: the generic `encode` over a buffer, three bytes a
    /// step (called from another module, the generic one iterates through witness calls).
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { input in
            String(unsafeUninitializedCapacity: (input.count + 2) / 3 * 4) { out in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var i = 0
                    var o = 0
                    while i &+ 3 <= input.count {
                        let n = UInt32(input[i]) << 16 | UInt32(input[i &+ 1]) << 8 | UInt32(input[i &+ 2])
                        out[o] = alphabet[Int(n >> 18 & 63)]
                        out[o &+ 1] = alphabet[Int(n >> 12 & 63)]
                        out[o &+ 2] = alphabet[Int(n >> 6 & 63)]
                        out[o &+ 3] = alphabet[Int(n & 63)]
                        i &+= 3
                        o &+= 4
                    }
                    let rest = input.count &- i
                    if rest > 0 {
                        let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i &+ 1]) << 8 : 0)
                        out[o] = alphabet[Int(n >> 18 & 63)]
                        out[o &+ 1] = alphabet[Int(n >> 12 & 63)]
                        out[o &+ 2] = rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                        out[o &+ 3] = UInt8(ascii: "=")
                        o &+= 4
                    }
                    return o
                }
            }
        }
    }

    /// The padded encoding of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            let n = UInt32(b0) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b1 == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(b2 == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a padded encoding; nil unless `text` is canonical standard
    /// base64: a multiple of 4 characters from the alphabet, `=` only as the last
    /// one or two, and zero bits where padding leaves unused bits.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLast = index + 4 == input.count
            let padding = isLast ? (input[index + 3] == UInt8(ascii: "=") ? (input[index + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var n: UInt32 = 0
            for k in 0..<4 {
                let byte = input[index + k]
                if k >= 4 - padding {
                    n <<= 6
                    continue
                }
                let sextet = decodeTable[Int(byte)]
                guard sextet != 255 else { return nil }
                n = n << 6 | UInt32(sextet)
            }
            out.append(UInt8(n >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(n >> 8 & 0xFF)) } else if n & 0xFFFF != 0 { return nil }
            if padding < 1 { out.append(UInt8(n & 0xFF)) } else if n & 0xFF != 0 { return nil }
            index += 4
        }
        return out
    }
}
