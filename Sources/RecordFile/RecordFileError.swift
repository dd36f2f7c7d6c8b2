/// Why a record file line (or the file) could not be read.
public struct RecordFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source: a file path or "stdin".
    public var source: String
    /// The 1-based line number, or 0 for a problem with the file itself.
    public var line: Int
    public var message: String

    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)"
    }
}
