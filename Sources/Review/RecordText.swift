import Foundation
import JSON

/// How a reviewer reads bytes: JSON pretty-printed in its own member order,
/// anything else as a hex dump.
public enum RecordText {
    /// The value pretty-printed when it parses as JSON, else nil.
    public static func prettyJSON(_ bytes: [UInt8]) -> String? {
        guard let document = try? JSONParser.parse(bytes) else { return nil }
        var out = ""
        write(document.value, indent: 0, into: &out)
        return out
    }

    /// `offset  hex bytes  |ascii|`, 16 bytes a line.
    public static func hexDump(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "(empty)" }
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let row = bytes[start..<min(start + 16, bytes.count)]
            let hex = row.map { hexByte($0) }.joined(separator: " ")
            let ascii = String(row.map { (0x20..<0x7f).contains($0) ? Character(UnicodeScalar($0)) : "." })
            let offset = String(start, radix: 16)
            lines.append(String(repeating: "0", count: max(0, 8 - offset.count)) + offset + "  "
                + hex.padding(toLength: 47, withPad: " ", startingAt: 0) + "  |" + ascii + "|")
        }
        return lines.joined(separator: "\n")
    }

    /// A header value as text when it is printable UTF-8, else `0x…` hex.
    public static func headerValue(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "(null)" }
        if let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
            return text
        }
        return "0x" + bytes.map { hexByte($0) }.joined()
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (index, member) in object.enumerated() {
                out += pad + JSONValue.string(member.key).serialized + ": "
                write(member.value, indent: indent + 1, into: &out)
                out += index == object.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        default:
            out += value.serialized
        }
    }
}
