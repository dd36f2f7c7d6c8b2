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

    /// Shows `text` as the current progress.
    func update(_ text: String) {
        if isTerminal {
            write("\r\(text)\u{1B}[K")
            drawn = true
        } else {
            let now = ContinuousClock.now
            if let lastPlain, now - lastPlain < .seconds(1) { return }
            lastPlain = now
            write("\(text)\n")
        }
    }

    /// Ends the progress line, leaving `text` as its last state.
    func finish(_ text: String) {
        if isTerminal {
            write("\r\(text)\u{1B}[K\n")
        } else {
            write("\(text)\n")
        }
        drawn = false
        lastPlain = nil
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
