import ArgumentParser
import Kafka
import Topology

extension Governor {
    /// `governor topics`: the topics of topics.yaml on a cluster.
    struct Topics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the topics of topics.yaml on a cluster.",
            subcommands: [Apply.self]
        )
    }
}

extension Governor.Topics {
    /// `governor topics apply`: create what is missing, report what differs.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the missing topics of topics.yaml and check the existing ones.",
            discussion: """
                Idempotent: existing topics are left alone; a partition count or \
                cleanup policy that differs from the file is reported and makes the \
                command exit 1. librdkafka's mock cluster (governor dev-broker) cannot \
                create topics through the admin API: dev-broker creates them itself, \
                and this command then only checks them.
                """
        )

        @OptionGroup var kafka: KafkaOptions

        @Option(help: "A topics file instead of the built-in topics (the repository's topics.yaml).")
        var file: String?

        @Option(help: "Seconds to wait for the cluster's answers.")
        var timeout = 30

        func run() throws {
            let topics = try loadTopics(file, option: "--file")
            let admin = try KafkaAdmin(config: try kafka.config, logger: commandLogger("topics"))
            let report = try ClusterUnreachable.naming(kafka.brokers) {
                try TopicsApply.run(topics, admin: admin, timeout: .seconds(timeout))
            }
            for name in report.present { print("exists   \(name)") }
            for name in report.created { print("created  \(name)") }
            for (name, error) in report.failed { print("FAILED   \(name): \(error)") }
            if report.failed.contains(where: { $0.error.code == .timedOut }) {
                print("note: librdkafka's mock cluster (governor dev-broker) cannot create topics; dev-broker creates the topics itself")
            }
            for mismatch in report.mismatches { print("MISMATCH \(mismatch)") }
            if !report.configsCompared {
                print("note: the cluster did not describe topic configs; only partition counts were compared")
            }
            print("\(topics.topics.count) topics: \(report.present.count) present, \(report.created.count) created, "
                + "\(report.failed.count) failed, \(report.mismatches.count) mismatches")
            if !report.succeeded { throw ExitCode.failure }
        }
    }
}
