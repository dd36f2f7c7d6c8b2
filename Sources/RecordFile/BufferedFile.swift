import Glibc

/// A write-only file with a 64 KiB buffer: the `--outputs` files, and standard
/// output for the commands that print a line per record.
public final class BufferedFile {
    private let fd: Int32
    private let path: String
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []

    /// Creates or truncates the file at `path`.
    public init(path: String) throws(OutputWriteError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw OutputWriteError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        ownsDescriptor = true
        buffer.reserveCapacity(1 << 16)
    }

    /// Standard output (never closed by `close()`, only flushed).
    public static func standardOutput() -> BufferedFile { BufferedFile(fileDescriptor: STDOUT_FILENO, name: "stdout") }

    private init(fileDescriptor: Int32, name: String) {
        fd = fileDescriptor
        path = name
        ownsDescriptor = false
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: [UInt8]) throws(OutputWriteError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes `bytes` and a newline.
    public func writeLine(_ bytes: [UInt8]) throws(OutputWriteError) {
        try write(bytes)
        try write([0x0A])
    }

    public func flush() throws(OutputWriteError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputWriteError(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws(OutputWriteError) {
        try flush()
        if ownsDescriptor { Glibc.close(fd) }
    }
}
