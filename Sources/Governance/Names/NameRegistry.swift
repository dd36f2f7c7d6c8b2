/// The unique event-name registry of one workspace, with its 7-day grace (SPEC §7, §6.3
/// "Name cap, grace, hints"). Feed it only counted names (`CountedNames.isCounted`).
///
/// The cap is the caller's current effective figure, passed on every call: `nil` means
/// unlimited (a negative figure, such as the configured `-1`, is read as unlimited too). Registered names always pass, even after a downgrade leaves more names
/// than the cap. A novel name is registered while the registry is below the cap; at the
/// cap, the first-ever breach opens grace, which admits novel names (unregistered) while
/// `t < opening + 7 d`. After grace expired or was cleared, novel names at the cap are
/// refused at once: grace never reopens.
public struct NameRegistry: Sendable, Equatable, Codable {
    /// How long grace admits novel names.
    public static let graceDuration: Int64 = 7 * Millis.day
    /// The spacing of `grace_reminder` requests.
    public static let reminderInterval: Int64 = Millis.day
    /// With an unlimited cap the registry, and so the hint, keeps at most this many names.
    public static let unlimitedSafetyLimit = 10_000

    /// Registered name → the stream time it was registered.
    public internal(set) var names: TrackedMap<String, StreamTime>
    /// The grace window's state; a single value, checkpointed with the workspace.
    public private(set) var grace: GraceState

    public init() {
        names = TrackedMap()
        grace = .neverOpened
    }

    /// Number of registered names.
    public var size: Int { names.count }

    /// True when `name` is registered.
    public func contains(_ name: String) -> Bool { names[name] != nil }

    /// Decides stage 15 for a counted `name` at stream time `t` under `cap` (`nil` = unlimited).
    public mutating func admit(_ name: String, cap: Int?, at t: StreamTime) -> NameAdmission {
        if contains(name) { return .registered(new: false) }
        guard let cap = Self.limited(cap) else {
            guard size < Self.unlimitedSafetyLimit else { return .passedOverSafetyLimit }
            names[name] = t
            return .registered(new: true)
        }
        if size < cap {
            names[name] = t
            return .registered(new: true)
        }
        switch grace {
        case .neverOpened:
            grace = .open(since: t, lastReminder: nil)
            return .graceOpened
        case .open(let since, _) where t < since.saturatingAdding(Self.graceDuration):
            return .passedInGrace
        case .open(let since, _):
            grace = .expired(at: since.saturatingAdding(Self.graceDuration))
            return .overCap(graceExpiredNow: true)
        case .expired, .cleared:
            return .overCap(graceExpiredNow: false)
        }
    }

    /// True when grace admits novel names at `t` (the hint's `grace_active`).
    public func graceActive(at t: StreamTime) -> Bool {
        if case .open(let since, _) = grace { return t < since.saturatingAdding(Self.graceDuration) }
        return false
    }

    /// Applies a config change from cap `old` to cap `new` at `t`. Returns true when it
    /// cleared grace: the effective cap rose (a larger number, or unlimited) while grace was
    /// active; the engine then writes `grace_cleared` and republishes the hint.
    public mutating func capChanged(from old: Int?, to new: Int?, at t: StreamTime) -> Bool {
        guard graceActive(at: t), Self.isRaise(from: Self.limited(old), to: Self.limited(new)) else { return false }
        grace = .cleared(at: t)
        return true
    }

    /// True when a `grace_reminder` notification is due at `t`, and marks it sent. Ask once
    /// per record of the workspace: it is due while grace is active (`t < opening + 7 d`, so
    /// never once grace has run out) and `t` is at least 24 h after the opening or after the
    /// previous reminder.
    public mutating func reminderDue(at t: StreamTime) -> Bool {
        guard case .open(let since, let lastReminder) = grace, graceActive(at: t),
            t.saturatingSubtracting(lastReminder ?? since) >= Self.reminderInterval
        else { return false }
        grace = .open(since: since, lastReminder: t)
        return true
    }

    /// The hint's `remaining_new_names`: `max(0, cap − registered)`, or -1 when unlimited.
    public func remainingNewNames(cap: Int?) -> Int {
        guard let cap = Self.limited(cap) else { return -1 }
        return max(0, cap - size)
    }

    /// The names changed since the last drain, for the changelog (the registry never
    /// removes a name).
    public mutating func drainChanges() -> [(key: String, value: StreamTime?)] {
        names.drainChanges()
    }

    /// Sets a name while restoring from the changelog, without marking it changed.
    public mutating func restore(_ name: String, _ registeredAt: StreamTime?) {
        names.restore(name, registeredAt)
    }

    /// Restores the grace state from a checkpoint.
    public mutating func restore(grace: GraceState) {
        self.grace = grace
    }

    /// The cap, or `nil` when unlimited (`nil` or negative).
    private static func limited(_ cap: Int?) -> Int? {
        cap.flatMap { $0 < 0 ? nil : $0 }
    }

    private static func isRaise(from old: Int?, to new: Int?) -> Bool {
        switch (old, new) {
        case (nil, _): false
        case (_?, nil): true
        case (let old?, let new?): new > old
        }
    }
}
