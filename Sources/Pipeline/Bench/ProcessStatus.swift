#if canImport(Glibc)
import Glibc
#endif

/// Reads a process's `/proc/PID/status` (Linux), for the benchmarks' memory figures:
/// `governor bench memory` reads its own, `governor bench` its `governor run` child's.
@_spi(Benchmarks) public enum ProcessStatus {
    /// A `kB` field (e.g. `VmRSS:`, `VmHWM:`) of `/proc/<pid>/status`, in bytes; 0 where
    /// the file or the field is missing. `pid` nil reads this process's own.
    public static func field(_ name: String, pid: Int32? = nil) -> Int {
        guard let file = fopen("/proc/\(pid.map(String.init) ?? "self")/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix(name) else { continue }
            let digits = text.dropFirst(name.count).filter { $0.isNumber }
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }
}
