import Foundation
import Glibc

/// Progress on stderr: one line redrawn in place (carriage return) when stderr is a
/// terminal, plain lines at most once a second otherwise, so logs and CI output stay
/// readable.
final class ProgressLine {
    private let isTerminal: Bool
    private var drawn = false
    private var lastPlain: ContinuousClock.Instant?

    init(isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// Shows `text` as the current progress; `force` draws even a plain line that
    /// comes within a second of the previous one (a final state).
    func update(_ text: String, force: Bool = false) {
        if isTerminal {
            write("\r\(text)\u{1B}[K")
            drawn = true
        } else {
            let now = ContinuousClock.now
            if !force, let lastPlain, now - lastPlain < .seconds(1) { return }
            lastPlain = now
            write("\(text)\n")
        }
    }

    /// Ends the progress line, leaving `text` as its last state; nil clears the line.
    func finish(_ text: String?) {
        if isTerminal {
            if let text {
                write("\r\(text)\u{1B}[K\n")
            } else if drawn {
                write("\r\u{1B}[K")
            }
        } else if let text {
            write("\(text)\n")
        }
        drawn = false
        lastPlain = nil
    }

    /// `[#####.....] 50/100`.
    static func bar(_ done: Int, of total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, done * width / total) : width
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
