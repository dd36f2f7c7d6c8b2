extension ByteReader {
    /// Checks the whole input for JSON syntax with an explicit stack instead of
    /// recursion, so any nesting depth is safe. Throws `.malformed` on the first error.
    mutating func checkSyntaxIteratively() throws(JSONParseError) {
        var stack: [UInt8] = []
        var expectingValue = true
        skipWhitespace()
        while true {
            if expectingValue {
                guard let byte = peek() else { throw error("unexpected end of input") }
                switch byte {
                case UInt8(ascii: "{"):
                    index += 1
                    skipWhitespace()
                    if peek() == UInt8(ascii: "}") {
                        index += 1
                        expectingValue = false
                    } else {
                        stack.append(UInt8(ascii: "{"))
                        try scanKeyAndColon()
                    }
                    continue
                case UInt8(ascii: "["):
                    index += 1
                    skipWhitespace()
                    if peek() == UInt8(ascii: "]") {
                        index += 1
                        expectingValue = false
                    } else {
                        stack.append(UInt8(ascii: "["))
                    }
                    continue
                default:
                    _ = try parseValue(depth: 0)
                    expectingValue = false
                }
            }
            skipWhitespace()
            guard let top = stack.last else {
                if index != bytes.count { throw error("unexpected data after the JSON value") }
                return
            }
            switch (top, peek()) {
            case (_, UInt8(ascii: ",")?):
                index += 1
                skipWhitespace()
                if top == UInt8(ascii: "{") { try scanKeyAndColon() }
                expectingValue = true
            case (UInt8(ascii: "{"), UInt8(ascii: "}")?), (UInt8(ascii: "["), UInt8(ascii: "]")?):
                index += 1
                stack.removeLast()
            default:
                throw error("expected ',' or a closing bracket")
            }
        }
    }

    private mutating func scanKeyAndColon() throws(JSONParseError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
        _ = try parseString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
        index += 1
        skipWhitespace()
    }
}
