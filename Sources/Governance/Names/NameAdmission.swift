/// What stage 15 (SPEC §7) decided for a counted name, and so what the engine emits.
public enum NameAdmission: Sendable, Equatable {
    /// Passes. `new` = the name was just registered, which changes the SDK hint.
    case registered(new: Bool)
    /// Passes unregistered: the cap is unlimited and the registry already holds its
    /// 10,000-name safety limit (the hint does not change).
    case passedOverSafetyLimit
    /// The first-ever breach: passes (not registered) with `cap_phase: grace`; emit a `cap_hit`
    /// audit record (phase `grace`), a `grace_opened` audit record and an `event_name_cap`
    /// notification request; the hint's `grace_active` turns true.
    case graceOpened
    /// A novel name during grace: passes (not registered) with `cap_phase: grace`; emit a
    /// `cap_hit` audit record (phase `grace`).
    case passedInGrace
    /// Refused: verdict `over_cap` / `event_name_cap`; emit a `cap_hit` audit record (phase
    /// `hard`) and an `event_name_cap` notification request (debounced downstream). When
    /// `graceExpiredNow`, this is the first refusal after grace ran out: also emit
    /// `grace_expired` (and republish the hint, `grace_active` is now false).
    case overCap(graceExpiredNow: Bool)

    /// True when the event goes on (to stage 16).
    public var passes: Bool {
        if case .overCap = self { return false }
        return true
    }

    /// The `phase` of the `cap_hit` audit record to write, if any.
    public var capHitPhase: CapHitPhase? {
        switch self {
        case .registered, .passedOverSafetyLimit: nil
        case .graceOpened, .passedInGrace: .grace
        case .overCap: .hard
        }
    }
}

/// The `phase` of a `cap_hit` audit record (SPEC §12.2).
public enum CapHitPhase: String, Sendable, Equatable, Codable {
    case grace, hard
}
