import Glibc
import JSON

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
        if let key {
            var writer = JSONWriter(capacity: key.utf8.count + 2)
            writer.writeString(key)
            line.append(contentsOf: writer.bytes)
        } else {
            line.append(contentsOf: Array("null".utf8))
        }
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
}
