import ArgumentParser
import Governance
import Kafka
import Pipeline

extension Governor {
    /// `governor mau`: monthly active users as billed.
    struct MAU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mau",
            abstract: "Explain a workspace's monthly active users.",
            subcommands: [Report.self]
        )
    }
}

extension Governor.MAU {
    /// `governor mau report`: who counted in a month, and why.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report a workspace's MAU for a month: counted contacts, breakdown by reason, overage packs.",
            discussion: """
                Reads usage (and org-usage with --org) up to their current ends: the month's MAU in the \
                workspace's mode and its overage packs from the latest usage snapshot, every counted \
                contact with the event that made it count (mau_first_active), the filtered-vs-counted \
                breakdown by reason, and for an org the month's connection peak per workspace and their sum.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json, csv
        }

        @OptionGroup var kafka: KafkaOptions

        @Option(help: "The workspace_id.")
        var workspace: String

        @Option(help: "The calendar month (UTC), YYYY-MM.")
        var month: String

        @Option(help: "Also report this org's connection peaks (org-usage).")
        var org: String?

        @Option(help: "table, json or csv.")
        var format: Format = .table

        func validate() throws {
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, Int(parts[0]) != nil,
                let number = Int(parts[1]), (1...12).contains(number)
            else { throw ValidationError("--month must be YYYY-MM, e.g. 2026-11") }
        }

        func run() throws {
            let reader = TopicReader(config: try kafka.config, logger: commandLogger("mau"))
            var report = MAUReport(workspaceID: workspace, month: month, orgID: org)
            do {
                for message in try reader.readAll(Topic.usage, timeout: .seconds(300)) { report.addUsage(message.value) }
                if org != nil {
                    for message in try reader.readAll(Topic.orgUsage, timeout: .seconds(300)) { report.addOrgUsage(message.value) }
                }
            } catch {
                printError("error: cannot read the usage topics: \(error). Check --brokers and the -X settings.")
                throw ExitCode.failure
            }
            switch format {
            case .table: print(report.table())
            case .json: print(report.json())
            case .csv: print(report.csv())
            }
            if report.snapshot == nil && report.contacts.isEmpty {
                printError("note: nothing in usage for workspace \(workspace) in \(month); check the workspace id and month")
            }
        }
    }
}
