import ArgumentParser
import Governance

/// `governor classifier`: the passive-event classifier of SPEC §8, for the warehouse.
struct Classifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "The passive-event classifier (SPEC §8) as the warehouse needs it.",
        subcommands: [SQL.self]
    )

    /// `governor classifier sql`: prints the ClickHouse MAU view.
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Print the ClickHouse materialized view that counts active-event MAU without the passive events.",
            discussion: """
                The output is deploy/clickhouse/mau_view.sql; after changing the passive lists, regenerate it:
                  swift run governor classifier sql > deploy/clickhouse/mau_view.sql
                """
        )

        func run() {
            print(ClickHouseMAUView.sql(), terminator: "")
        }
    }
}
