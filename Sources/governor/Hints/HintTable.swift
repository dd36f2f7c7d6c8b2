import Kafka
import Logging
import Metrics
import Synchronization

/// `governance-hints` as a table: the latest hint per workspace (the record key), kept
/// current by a `TopicFollower`. A tombstone removes the workspace; a record that is
/// not a hint is logged and leaves the previous hint in place.
final class HintTable: Sendable {
    private let hints = Mutex<[String: HintDocument]>([:])
    private let rejected = Mutex(0)
    private let logger: Logger
    private let workspaces = Gauge(label: "governor_hints_workspaces")
    private let rejectedRecords = Counter(label: "governor_hints_rejected_total")

    init(logger: Logger) {
        self.logger = logger
    }

    subscript(workspaceID: String) -> HintDocument? { hints.withLock { $0[workspaceID] } }
    var count: Int { hints.withLock { $0.count } }
    var rejectedCount: Int { rejected.withLock { $0 } }

    func apply(_ batch: [KafkaMessage]) {
        for message in batch {
            guard let workspaceID = message.keyString, !workspaceID.isEmpty else {
                rejected.withLock { $0 += 1 }
                rejectedRecords.increment()
                logger.warning("governance-hints \(message.partition)@\(message.offset): no key (workspace_id); ignored")
                continue
            }
            guard let value = message.value else {
                hints.withLock { _ = $0.removeValue(forKey: workspaceID) }
                continue
            }
            switch HintDocument.parse(value) {
            case .success(let document):
                hints.withLock { $0[workspaceID] = document }
            case .failure(let error):
                rejected.withLock { $0 += 1 }
                rejectedRecords.increment()
                logger.warning("governance-hints \(message.partition)@\(message.offset) for \(workspaceID) ignored: \(error)")
            }
        }
        workspaces.record(count)
    }
}
