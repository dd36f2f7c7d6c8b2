import ArgumentParser

/// The `governor` command line: the root only lists the subcommands.
@main
struct Governor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "governor",
        abstract: "Event Governor: governs product-analytics events on Kafka.",
        subcommands: [Demo.self, Run.self, Check.self, Produce.self, DevBroker.self, Topics.self, Workload.self, Classifier.self,
                      Hints.self, MAU.self, DLQ.self, ConsoleCommand.self,
                      Bench.self]
    )
}
