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

    /// SPEC §12.1: `governor check` exits 2 on a usage error; ArgumentParser's own code
    /// for one is 64 (EX_USAGE), so a failed parse of `check` is reported here with 2.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "check" {
            do {
                _ = try await asyncParseAsRoot(arguments)
            } catch where exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitCode(2))
            } catch {}
        }
        await main(arguments)
    }
}
