import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the records of a JSON-lines record file (SPEC §12.1, rules in
/// `RecordLineParser`) from a path or standard input, one line at a time, so
/// files of any size (and lines of any length) need no more memory than a line.
///
/// Empty (or blank) lines are skipped but counted in line numbers; lines may end
/// in `\r\n`; a UTF-8 byte-order mark before the first line is ignored. An
/// error names the line; reading may go on with the next line after it.
public final class RecordFileReader {
    /// The path, or "stdin".
    public let source: String
    /// The number of the last line read.
    public private(set) var lineNumber = 0
    private var lines: LineReader
    private var parser: RecordLineParser

    /// Opens `path` ("-" reads standard input).
    /// - Parameters:
    ///   - now: ms since the epoch, for the first record without a timestamp.
    ///   - valueFields: the members each envelope's object `value` is scanned for (`RecordLine.valueFields`).
    public convenience init(path: String, now: @escaping () -> Int64 = RecordFileReader.systemNow,
                            valueFields: JSONFieldNames? = nil) throws(RecordFileError) {
        if path == "-" {
            self.init(fileDescriptor: 0, source: "stdin", closeWhenDone: false, now: now, valueFields: valueFields)
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw RecordFileError(source: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.init(fileDescriptor: fd, source: path, closeWhenDone: true, now: now, valueFields: valueFields)
    }

    /// Reads an open file descriptor.
    public init(fileDescriptor: Int32, source: String, closeWhenDone: Bool, now: @escaping () -> Int64 = RecordFileReader.systemNow,
                valueFields: JSONFieldNames? = nil) {
        self.source = source
        lines = LineReader(fd: fileDescriptor, closeWhenDone: closeWhenDone)
        parser = RecordLineParser(now: now, valueFields: valueFields)
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(RecordFileError) -> RecordLine? {
        while true {
            let bytes: [UInt8]?
            do throws(RecordLineProblem) {
                bytes = try lines.nextLine()
            } catch {
                // A read that fails is a problem of the file, not of a line: line 0.
                throw RecordFileError(source: source, line: 0, message: error.message)
            }
            guard var line = bytes else { return nil }
            lineNumber += 1
            if lineNumber == 1, line.starts(with: [0xef, 0xbb, 0xbf]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do throws(RecordLineProblem) {
                return try parser.parse(consume line, line: lineNumber)
            } catch {
                throw RecordFileError(source: source, line: lineNumber, message: error.message)
            }
        }
    }

    /// The wall clock in ms since the epoch.
    public static func systemNow() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
