/// The life of a workspace's 7-day name-cap grace (SPEC §7): it opens at most once, ever.
public enum GraceState: Sendable, Equatable, Codable {
    /// No novel name has ever been refused by the cap.
    case neverOpened
    /// Opened at `since` by the first-ever breach; `lastReminder` is the stream time of the
    /// last `grace_reminder` request, if any. Past `since + 7 d` it is over even before a
    /// novel name notices it and moves it to `expired`.
    case open(since: StreamTime, lastReminder: StreamTime?)
    /// Ran out at `at` (= opening + 7 d); the `grace_expired` audit record has been written.
    case expired(at: StreamTime)
    /// Cleared at `at` by a config change that raised the cap while it was open.
    case cleared(at: StreamTime)
}
