import Foundation

/// Starts dedicated threads whose names the operating system shows (`top -H`,
/// `/proc/<pid>/task/*/comm`, perf). Foundation's `Thread.name` set before `start()`
/// does not reach the kernel on Linux, so such threads inherited their creator's
/// name (a cooperative-pool thread's `…root.default-qos`) and could not be told apart.
public enum NamedThread {
    /// Runs `body` on a new thread named `name` (cut to the kernel's 15 bytes).
    public static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            setCurrent(name)
            body()
        }
        thread.name = name
        thread.start()
    }

    /// Names the calling thread; Linux keeps at most 15 bytes of a name. Written to
    /// `/proc/thread-self/comm`, as `pthread_setname_np` does (Swift's Glibc module
    /// does not export it).
    public static func setCurrent(_ name: String) {
        // Whole scalars only: a cut never splits a character.
        var bytes: [UInt8] = []
        for scalar in name.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            guard bytes.count + encoded.count <= 15 else { break }
            bytes += encoded
        }
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
