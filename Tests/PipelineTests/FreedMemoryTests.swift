import Foundation
import Testing

/// The engine reads no memory it has freed: `governor check` over every fixture with
/// glibc filling each freed block with a byte pattern (`MALLOC_PERTURB_`, the
/// per-thread cache off so every free is filled) gives the same verdicts and outputs
/// as without, and never crashes. A read of freed memory that normally sees the old
/// bytes sees the pattern instead, so it fails here every time instead of now and
/// then under load. This caught a Swift 6.3.1 -Onone miscompile of `_read`
/// accessors (docs/RELIABILITY.md §10) that crashed `governor run` about one run in
/// five after a restore.
@Suite struct FreedMemoryTests {
    static let fixtures: [String] = {
        let directory = crashRepoRoot.appendingPathComponent("Tests/Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") && !$0.contains(".expected") }.sorted()
    }()

    /// glibc's settings: fill freed blocks with 0x11 (a "pointer" read from them is
    /// neither null nor a tagged value the Swift runtime skips, so using it traps).
    static let poisoned = [
        "MALLOC_PERTURB_": "17",
        "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0",
    ]

    struct Run: Equatable {
        var status: Int32
        var verdicts: String
        /// Every output file's name and contents.
        var outputs: [String: String]
    }

    static func check(_ fixture: String, environment extra: [String: String]) throws -> (Run, stderr: String) {
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("freed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let process = Process()
        process.executableURL = try locateGovernorBinary()
        process.arguments = ["check", crashRepoRoot.appendingPathComponent("Tests/Fixtures/\(fixture)").path,
                             "--outputs", outputs.path]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let errorFile = outputs.appendingPathExtension("stderr")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let verdicts = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = try Data(contentsOf: errorFile)
        var files: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? [] {
            // `dlq_at` is the wall clock of the run (SPEC), the one field two runs differ in.
            files[name] = try String(contentsOf: outputs.appendingPathComponent(name), encoding: .utf8)
                .replacing(/"dlq_at":[0-9]+/, with: "\"dlq_at\":0")
        }
        let run = Run(status: process.terminationStatus, verdicts: String(decoding: verdicts, as: UTF8.self), outputs: files)
        return (run, String(decoding: errorData, as: UTF8.self))
    }

    @Test func theFixturesAreThere() {
        #expect(Self.fixtures.count >= 20, "\(Self.fixtures)")
    }

    @Test(arguments: fixtures)
    func checkNeverReadsFreedMemory(_ fixture: String) throws {
        let (plain, _) = try Self.check(fixture, environment: [:])
        let (poisoned, stderr) = try Self.check(fixture, environment: Self.poisoned)
        #expect(plain.status == 0)
        // Booleans, not `==` inside #expect: a failure names what differs instead of
        // printing every output file.
        let crashed = stderr.contains("Program crashed")
        #expect(!crashed && poisoned.status == plain.status,
                "status \(poisoned.status) with freed memory poisoned, \(plain.status) without:\n\(stderr.suffix(3000))")
        let sameVerdicts = poisoned.verdicts == plain.verdicts
        #expect(sameVerdicts, "the verdicts differ with freed memory poisoned")
        let differing = Set(poisoned.outputs.keys).union(plain.outputs.keys).filter { poisoned.outputs[$0] != plain.outputs[$0] }
        #expect(differing.isEmpty, "outputs that differ with freed memory poisoned: \(differing.sorted())")
    }
}
