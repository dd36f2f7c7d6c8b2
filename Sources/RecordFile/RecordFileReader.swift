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
    public var lineNumber: Int { state.lineNumber }
    /// The reading state in one stored property: a class's property is an access checked
    /// at run time, one per line where three were.
    private var state: State

    fileprivate struct State: ~Copyable {
        var lineNumber = 0
        var lines: LineReader
        var parser: RecordLineParser
    }

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
        state = State(lines: LineReader(fd: fileDescriptor, closeWhenDone: closeWhenDone),
                      parser: RecordLineParser(now: now, valueFields: valueFields))
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(RecordFileError) -> RecordLine? {
        try state.next(source: source)
    }

    /// The wall clock in ms since the epoch.
    public static func systemNow() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

extension RecordFileReader.State {
    mutating func next(source: String) throws(RecordFileError) -> RecordLine? {
        while true {
            // The line's array is held by `line` alone, so the envelope's value can be
            // moved to its front in place (a second reference made that a copy).
            var line: [UInt8]
            do throws(RecordLineProblem) {
                guard let next = try lines.nextLine() else { return nil }
                line = consume next
            } catch {
                // A read that fails is a problem of the file, not of a line: line 0.
                throw RecordFileError(source: source, line: 0, message: error.message)
            }
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
}
