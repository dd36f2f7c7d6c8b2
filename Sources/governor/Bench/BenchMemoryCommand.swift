import ArgumentParser
import Foundation
@_spi(Benchmarks) import Pipeline

extension Governor.Bench {
    /// `governor bench memory`: resident bytes per MAU contact, checkpoint bytes per
    /// contact and the restore time, at a million contacts (issue 12 item 3).
    struct Memory: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure resident bytes and checkpoint bytes per MAU contact, and the restore time, at scale.",
            discussion: """
                Builds one workspace with --contacts MAU contacts through the usage meter, checkpoints it with \
                the real changelog drain and snapshot code into a changelog file (--dir), then restores it \
                from that file (ChangelogReplay + StateCheckpoint.restore). Resident bytes are VmRSS after \
                malloc_trim, before and after; each scenario runs in a fresh child process. Use a release \
                build (swift build -c release). See docs/BENCHMARKS.md.
                """
        )

        @Option(help: "MAU contacts per scenario.")
        var contacts = 1_000_000

        @Option(help: "Registered event names of the identified-rolling-30d scenario.")
        var names = 200

        @Option(help: "Contacts per checkpoint (one changelog attempt).")
        var contactsPerCommit = 10_000

        @Option(help: "A scenario to run in this process (active-events or identified-rolling-30d); default: each in a child.")
        var scenario: String?

        @Option(help: "Directory for the changelog files (deleted afterwards).")
        var dir = NSTemporaryDirectory()

        /// Not `--json`: `governor bench`'s own `--json` would take it.
        @Flag(name: .customLong("json-lines"), help: "Print the figures as JSON, one object per scenario, one per line.")
        var json = false

        func validate() throws {
            guard contacts >= 1 else { throw ValidationError("--contacts must be at least 1") }
            guard (0...10_000).contains(names) else { throw ValidationError("--names must be between 0 and 10000") }
            guard contactsPerCommit >= 1 else { throw ValidationError("--contacts-per-commit must be at least 1") }
            if let scenario, StateScaleBenchmark.Scenario(rawValue: scenario) == nil {
                throw ValidationError("--scenario must be one of: \(StateScaleBenchmark.Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            guard let scenario = scenario.flatMap(StateScaleBenchmark.Scenario.init(rawValue:)) else {
                for each in StateScaleBenchmark.Scenario.allCases { try runChild(each) }
                return
            }
            let path = (dir as NSString).appendingPathComponent("governor-bench-memory-\(getpid()).log")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let benchmark = StateScaleBenchmark(scenario: scenario, contacts: contacts, names: names,
                                                contactsPerCommit: contactsPerCommit)
            let figures = try benchmark.run(changelogPath: path, progress: { printError($0) })
            print(json ? Self.json(figures) : Self.report(figures))
        }

        private func runChild(_ scenario: StateScaleBenchmark.Scenario) throws {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            child.arguments = ["bench", "memory", "--scenario", scenario.rawValue, "--contacts", String(contacts),
                               "--names", String(names), "--contacts-per-commit", String(contactsPerCommit), "--dir", dir]
                + (json ? ["--json-lines"] : [])
            try child.run()
            child.waitUntilExit()
            guard child.terminationStatus == 0 else {
                throw ValidationError("bench memory: the \(scenario.rawValue) child exited with \(child.terminationStatus)")
            }
        }

        static func report(_ f: StateScaleBenchmark.Figures) -> String {
            let mb = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
            return """
                \(f.scenario.rawValue): \(f.contacts) contacts\(f.names > 0 ? ", \(f.names) registered names" : "")
                  build                    \(String(format: "%.2f s", f.buildSeconds))
                  resident per contact     \(String(format: "%.1f B", f.residentBytesPerContact)) built, \(String(format: "%.1f B", f.restoredResidentBytesPerContact)) restored
                  checkpoint per contact   \(String(format: "%.1f B", Double(f.snapshotBytes) / Double(f.contacts))) (snapshot: \(f.snapshotEntries) entries, \(mb(f.snapshotBytes)))
                  changelog                \(f.changelogRecords) records, \(mb(f.changelogBytes)) (every commit's deltas, then the snapshot)
                  restore                  \(String(format: "%.2f s", f.restoreSeconds)), \(String(format: "%.2f s", f.restoreCPUSeconds)) CPU (replay \(String(format: "%.2f s", f.replaySeconds)) of \(f.restoreRecords) records, rebuild \(String(format: "%.2f s", f.rebuildSeconds)))
                  peak RSS                 \(mb(f.peakResidentBytes))
                """ + (f.expiryHourSeconds > 0 ? String(format: "\n  expiry of an hour        %.1f ms (one scan of the contacts)", f.expiryHourSeconds * 1000) : "")
        }

        static func json(_ f: StateScaleBenchmark.Figures) -> String {
            let fields: [(String, String)] = [
                ("scenario", "\"\(f.scenario.rawValue)\""), ("contacts", "\(f.contacts)"), ("names", "\(f.names)"),
                ("build_seconds", String(format: "%.3f", f.buildSeconds)),
                ("resident_bytes_per_contact", String(format: "%.1f", f.residentBytesPerContact)),
                ("restored_resident_bytes_per_contact", String(format: "%.1f", f.restoredResidentBytesPerContact)),
                ("checkpoint_bytes_per_contact", String(format: "%.1f", Double(f.snapshotBytes) / Double(f.contacts))),
                ("snapshot_entries", "\(f.snapshotEntries)"), ("snapshot_bytes", "\(f.snapshotBytes)"),
                ("changelog_records", "\(f.changelogRecords)"), ("changelog_bytes", "\(f.changelogBytes)"),
                ("restore_records", "\(f.restoreRecords)"),
                ("restore_seconds", String(format: "%.3f", f.restoreSeconds)),
                ("restore_cpu_seconds", String(format: "%.3f", f.restoreCPUSeconds)),
                ("replay_seconds", String(format: "%.3f", f.replaySeconds)),
                ("rebuild_seconds", String(format: "%.3f", f.rebuildSeconds)),
                ("peak_rss_bytes", "\(f.peakResidentBytes)"),
                ("expiry_hour_seconds", String(format: "%.4f", f.expiryHourSeconds)),
            ]
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
    }
}
