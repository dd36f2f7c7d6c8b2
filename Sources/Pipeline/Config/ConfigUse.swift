import Governance
import Synchronization

/// What the engines of this instance use of the config table, the input of
/// `PositionedConfigTable.prune(_:)`.
public struct ConfigUse: Sendable, Equatable {
    /// Per workspace some engine holds: the lowest config sequence applied among the
    /// engines holding it (-1 for one holding it without a config).
    public var applied: [String: Int64]
    /// The positions attempts of this instance govern (or replay) with.
    public var pins: [ConfigPosition]

    public init(applied: [String: Int64] = [:], pins: [ConfigPosition] = []) {
        self.applied = applied
        self.pins = pins
    }

    /// The lowest position any attempt governs with, and at most `position` (where
    /// attempts that start now are pinned). A partition a pin lacks counts as 0.
    public func floor(_ position: ConfigPosition) -> ConfigPosition {
        var floor = position
        for pin in pins {
            for (partition, next) in floor { floor[partition] = min(next, pin[partition] ?? 0) }
        }
        return floor
    }

    /// What an engine applied: every workspace it holds, with the sequence applied.
    public static func applied(by engine: GovernanceEngine, of ids: some Sequence<String>) -> [String: Int64] {
        var applied: [String: Int64] = [:]
        for id in ids {
            guard let state = engine.workspaces[id] else { continue }
            applied[id] = state.applied?.sequence ?? -1
        }
        return applied
    }
}

/// The config use of every partition task of this instance, as each last reported
/// it: at restore (everything it holds) and at each cut (what it touched). A task
/// reports at least as little as it has applied (engines only apply forwards between
/// cuts), so pruning on it never drops what the task may still ask for; a task whose
/// cut is not committed is restored from the changelog, which re-reads the topic
/// when it needs a dropped version (`PositionedConfigTable.needsReread`).
public final class ConfigUseRegistry: Sendable {
    private let tasks = Mutex<[Int32: ConfigUse]>([:])
    private let changes = Atomic<Int>(0)

    public init() {}

    /// Changes with every report, so the reader can tell new use from none.
    public var generation: Int { changes.load(ordering: .relaxed) }

    /// A task installed (restored or new): what it holds replaces what was known.
    public func replace(partition: Int32, with use: ConfigUse) {
        tasks.withLock { $0[partition] = use }
        changes.add(1, ordering: .relaxed)
    }

    /// A task cut an interval: the workspaces it touched now, and its live pins.
    public func update(partition: Int32, applied: [String: Int64], pins: [ConfigPosition]) {
        tasks.withLock { tasks in
            tasks[partition, default: ConfigUse()].applied.merge(applied) { $1 }
            tasks[partition, default: ConfigUse()].pins = pins
        }
        changes.add(1, ordering: .relaxed)
    }

    /// A task was released or discarded.
    public func remove(partition: Int32) {
        _ = tasks.withLock { $0.removeValue(forKey: partition) }
        changes.add(1, ordering: .relaxed)
    }

    /// All tasks together: the lowest applied sequence per workspace, every pin.
    public var combined: ConfigUse {
        tasks.withLock { tasks in
            var all = ConfigUse()
            for use in tasks.values {
                all.applied.merge(use.applied, uniquingKeysWith: min)
                all.pins.append(contentsOf: use.pins)
            }
            return all
        }
    }
}
