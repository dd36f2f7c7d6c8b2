#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor line by line through a fixed-size buffer; a line may
/// be longer than the buffer. Strips `\n` and a `\r` before it.
struct LineReader: ~Copyable {
    private let fd: Int32
    private let closeWhenDone: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEOF = false

    init(fd: Int32, closeWhenDone: Bool, chunkSize: Int = 1 << 16) {
        self.fd = fd
        self.closeWhenDone = closeWhenDone
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit {
        if closeWhenDone { close(fd) }
    }

    /// The next line, or nil at the end of the input.
    /// - Throws: the `errno` text of a failed read.
    mutating func nextLine() throws(RecordLineProblem) -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if let newline = newlineIndex() {
                if line.isEmpty {
                    // The usual line, whole in the buffer: one array of its bytes (an empty
                    // array appended to grew through the generic path, ~540 instructions).
                    line = buffer.withUnsafeBufferPointer { Array(UnsafeBufferPointer(rebasing: $0[start ..< newline])) }
                } else {
                    line += buffer[start ..< newline]
                }
                start = newline + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            line += buffer[start ..< end]
            start = 0
            end = 0
            if atEOF { return line.isEmpty ? nil : line }
            try fill()
        }
    }

    /// The index of the first `\n` in `buffer[start ..< end]`, found by `memchr`
    /// (vectorized) rather than a byte-by-byte search.
    private func newlineIndex() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress,
                  let found = memchr(base + start, Int32(UInt8(ascii: "\n")), end - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func fill() throws(RecordLineProblem) {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count >= 0 {
                end = count
                atEOF = count == 0
                return
            }
            if errno != EINTR { throw RecordLineProblem("read failed: \(String(cString: strerror(errno)))") }
        }
    }
}
