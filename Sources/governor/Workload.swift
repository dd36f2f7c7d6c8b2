import ArgumentParser
import JSON
import RecordFile

extension Governor {
    /// `governor workload`: writes the demo's generated workload as a record file, for
    /// `check`, `produce`, `demo --input` and benchmarks.
    struct Workload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a realistic generated workload as a JSON-lines record file (SPEC §12.1) to stdout.",
            discussion: "The same --events and --seed always give the same file: workspace configs first, then the mix the demo runs."
        )

        @Option(help: "Number of raw-event and outbound-message records.")
        var events = 100_000

        @Option(help: "Seed of the generator.")
        var seed: UInt64 = 42

        @Option(help: "Workspaces carrying the load (default: the demo's 6); as `governor bench --workspaces`.")
        var workspaces: Int?

        @Option(help: "The largest contact pool of a workspace (default 5000); as `governor bench --contacts`.")
        var contacts: Int?

        @Option(help: "Stream time of the first record, ms since the epoch.")
        var startMs: Int64 = 1_795_000_000_000

        func validate() throws {
            guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
            if let workspaces, workspaces < DemoWorkload.configs.count {
                throw ValidationError("--workspaces must be at least \(DemoWorkload.configs.count) (one of each kind of workspace in the demo workload)")
            }
            if let contacts, contacts < 1 { throw ValidationError("--contacts must be at least 1") }
        }

        func run() throws {
            let stdout = BufferedFile.standardOutput()
            for line in DemoWorkload(events: events, startMs: startMs, seed: seed, workspaces: workspaces, contacts: contacts) {
                try stdout.writeLine(RecordLineWriter.envelope(line))
            }
            try stdout.flush()
        }
    }
}
