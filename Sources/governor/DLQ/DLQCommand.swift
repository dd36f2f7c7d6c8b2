import ArgumentParser

extension Governor {
    /// `governor dlq`: review and replay dead-lettered records.
    struct DLQ: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dlq",
            abstract: "Review events-dlq: list, show and replay dead-lettered records (docs/DLQ.md).",
            discussion: """
                Each command first brings a review index up to date with events-dlq and \
                dlq-replays (read_committed), then answers from it: a private in-memory index \
                by default, or the SQLite file given with --db (the same file `governor console \
                --db` keeps), which resumes where it stopped.
                """,
            subcommands: [List.self, Show.self, Replay.self]
        )
    }
}
