import Glibc
import JSON

/// A line of a record file that cannot be turned into a record, and where.
public struct RecordFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number (0 when the problem is the file itself).
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// Reads a JSON-lines record file (SPEC §12.1) as a stream, one `RecordLine` at a
/// time, in 1 MiB reads, so memory does not grow with the file.
///
/// - An object line with a string `topic` and a `value` or `value_b64` member is an
///   envelope: `key` (string, or null/absent for none), `timestamp_ms` (integer;
///   absent → the previous line's), and exactly one of `value` (any JSON, sent as its
///   compact serialization) or `value_b64` (exact bytes).
/// - Any other object line is a bare raw event for `raw-events`: its exact bytes,
///   keyed by its `workspace_id` when that is a string.
/// - Any other line (not JSON, or JSON that is not an object) is a raw event whose
///   value is the line's bytes, without a key.
/// - Blank lines are skipped but counted; a trailing `\r` is dropped. A line without
///   a timestamp takes the previous line's, or `now` for the first.
public final class RecordFileReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let path: String
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var lineNumber = 0
    private var lastTimestamp: Int64?
    private let now: () -> Int64
    /// Bytes consumed so far, for progress reports.
    public private(set) var bytesRead = 0

    /// Opens `path`, or standard input for `-`.
    public init(path: String, now: @escaping () -> Int64 = RecordFileReader.wallClockMs) throws(RecordFileError) {
        self.path = path
        self.now = now
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY)
            ownsDescriptor = true
            if fd < 0 {
                throw RecordFileError(line: 0, message: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Milliseconds since the epoch from the system clock.
    public static func wallClockMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// The next record, nil at the end of the file.
    public func next() throws(RecordFileError) -> RecordLine? {
        while let line = try nextLine() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return try record(from: line)
        }
        return nil
    }

    private func record(from line: [UInt8]) throws(RecordFileError) -> RecordLine {
        guard let parsed = try? JSONParser.parse(line), case .object(let object) = parsed.value else {
            return RecordLine(line: lineNumber, topic: "raw-events", key: nil, timestampMs: timestamp(nil), value: line)
        }
        guard case .string(let topic)? = object["topic"], object["value"] != nil || object["value_b64"] != nil else {
            return RecordLine(line: lineNumber, topic: "raw-events", key: object["workspace_id"]?.stringValue,
                              timestampMs: timestamp(nil), value: line)
        }
        guard !topic.isEmpty else { throw RecordFileError(line: lineNumber, message: "\"topic\" is empty") }
        let key: String?
        switch object["key"] {
        case nil, .null?: key = nil
        case .string(let k)?: key = k
        case let other?: throw RecordFileError(line: lineNumber, message: "\"key\" must be a string or null, not \(other.typeName)")
        }
        var explicitTime: Int64?
        if let time = object["timestamp_ms"], !time.isNull {
            guard let ms = time.numberValue?.int64Value else {
                throw RecordFileError(line: lineNumber, message: "\"timestamp_ms\" must be an integer (milliseconds since the epoch)")
            }
            explicitTime = ms
        }
        let value: [UInt8]?
        switch (object["value"], object["value_b64"]) {
        case (.some, .some):
            throw RecordFileError(line: lineNumber, message: "give either \"value\" or \"value_b64\", not both")
        case (let v?, nil):
            value = v.isNull ? nil : v.serializedBytes
        case (nil, let b64?):
            if b64.isNull {
                value = nil
            } else {
                guard let text = b64.stringValue, let bytes = Base64.decode(text) else {
                    throw RecordFileError(line: lineNumber, message: "\"value_b64\" is not standard padded base64")
                }
                value = bytes
            }
        case (nil, nil):
            value = nil
        }
        return RecordLine(line: lineNumber, topic: topic, key: key, timestampMs: timestamp(explicitTime), value: value)
    }

    private func timestamp(_ explicit: Int64?) -> Int64 {
        let t = explicit ?? lastTimestamp ?? now()
        lastTimestamp = t
        return t
    }

    /// The next line without its terminator, nil at the end.
    private func nextLine() throws(RecordFileError) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                bytesRead += newline + 1 - start
                start = newline + 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                bytesRead += buffer.count - start
                start = buffer.count
                return line
            }
            try fill()
        }
    }

    private func fill() throws(RecordFileError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk = 1 << 20
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n: Int
        repeat {
            n = buffer[oldCount...].withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
        } while n < 0 && errno == EINTR
        if n < 0 {
            buffer.removeSubrange(oldCount...)
            throw RecordFileError(line: lineNumber, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        buffer.removeSubrange((oldCount + n)...)
        if n == 0 { eof = true }
    }
}
