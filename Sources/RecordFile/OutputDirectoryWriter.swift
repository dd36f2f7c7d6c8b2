import Glibc

/// A file of the outputs directory could not be created or written.
public struct OutputWriteError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Writes records into one JSON-lines file per topic (`DIR/<topic>.jsonl`), each line
/// `{"key":…,"timestamp_ms":…,"value":…}` (SPEC §12.1, `--outputs DIR`). The value
/// bytes are written as they are when they are JSON, so the files hold exactly what
/// the topics hold. Buffered; call `close()` to flush.
public final class OutputDirectoryWriter {
    private let directory: String
    private var files: [String: BufferedFile] = [:]

    /// Creates the directory when missing. Every topic in `topics` gets a file, even
    /// an empty one, so "no records" is visible.
    public init(directory: String, topics: [String]) throws(OutputWriteError) {
        self.directory = directory
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw OutputWriteError(message: "cannot create directory \(directory): \(String(cString: strerror(errno)))")
        }
        for topic in topics { _ = try file(for: topic) }
    }

    /// Appends one record. `value` must be valid JSON bytes (or nil for a tombstone).
    public func write(topic: String, key: String?, timestampMs: Int64, value: [UInt8]?) throws(OutputWriteError) {
        let file = try file(for: topic)
        var line: [UInt8] = []
        line.reserveCapacity((value?.count ?? 4) + (key?.utf8.count ?? 4) + 48)
        line.append(contentsOf: Array(#"{"key":"#.utf8))
        if let key { appendJSONString(key, to: &line) } else { line.append(contentsOf: Array("null".utf8)) }
        line.append(contentsOf: Array(#","timestamp_ms":"#.utf8))
        line.append(contentsOf: Array(String(timestampMs).utf8))
        line.append(contentsOf: Array(#","value":"#.utf8))
        if let value { line.append(contentsOf: value) } else { line.append(contentsOf: Array("null".utf8)) }
        line.append(contentsOf: Array("}\n".utf8))
        try file.write(line)
    }

    public func close() throws(OutputWriteError) {
        for file in files.values { try file.close() }
        files.removeAll()
    }

    private func file(for topic: String) throws(OutputWriteError) -> BufferedFile {
        if let file = files[topic] { return file }
        let file = try BufferedFile(path: directory + "/" + topic + ".jsonl")
        files[topic] = file
        return file
    }

    private func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A write-only file with a 64 KiB buffer.
final class BufferedFile {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []

    init(path: String) throws(OutputWriteError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw OutputWriteError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ bytes: [UInt8]) throws(OutputWriteError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws(OutputWriteError) {
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

    func close() throws(OutputWriteError) {
        try flush()
        Glibc.close(fd)
    }
}
