import Governance
import JSON
import RecordFile

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry: the first byte picks the target, the rest is its input.
/// A target may reject any input; what it must never do is trap, hang or break an
/// invariant (`check` aborts, which libFuzzer reports as a crash with the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0: FuzzTargets.recordLine(input)
    case 1: FuzzTargets.event(input)
    case 2: FuzzTargets.changelogRecord(input)
    default: FuzzTargets.stateEntry(input)
    }
    return 0
}

/// Writes the seed corpus when `GOVERNOR_FUZZ_WRITE_SEEDS` names a directory.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    if let directory = getenv("GOVERNOR_FUZZ_WRITE_SEEDS") {
        Seeds.write(to: String(cString: directory))
        exit(0)
    }
    return 0
}

/// An invariant of a target; breaking it is a finding.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// libFuzzer's driver. SwiftPM links an executable's entry point as `<module>_main`
/// (in place of `main`, which libFuzzer would otherwise provide), so the entry
/// point hands over to the driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("GovernorFuzz_main")
public func governorFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
