import CJemalloc
import Glibc

/// The allocator that serves this process's `malloc`. The executable links jemalloc
/// (Package.swift, `CJemalloc`) ahead of libc, so its `malloc` is the one every
/// library binds to — librdkafka's messages and delivery reports, the Swift runtime's
/// buffers. Reported by `governor run` at start and by `governor bench`, so a build
/// that lost the link shows it (and BenchCommandTests fails).
enum Allocator {
    /// "jemalloc 5.3.0", or "system malloc" when another allocator answers `malloc`.
    static let description: String = {
        guard servesMalloc, let version = jemallocVersion else { return "system malloc" }
        return "jemalloc \(version)"
    }()

    /// jemalloc's release (`mallctl("version")`, without its "-0-g<commit>" suffix).
    private static var jemallocVersion: String? {
        var version: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &version, &size, nil, 0) == 0, let version else { return nil }
        return String(String(cString: version).prefix { $0 != "-" })
    }

    /// Whether the `malloc` the process binds to is jemalloc's, not libc's.
    private static var servesMalloc: Bool {
        guard let global = dlsym(dlopen(nil, RTLD_NOW), "malloc"),
              let library = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD),
              let own = dlsym(library, "malloc")
        else { return false }
        return global == own
    }
}
