/// Which threshold levels (80 %, 100 %) a figure has reached this month, so each is
/// requested at most once per level per calendar month (SPEC §6.3).
public struct ThresholdLevels: Sendable, Equatable, Codable {
    static let levels = [80, 100]

    public private(set) var reached: [Int] = []

    /// The levels `figure` reaches for the first time this month, marking them.
    /// A level is reached when `figure × 100 ≥ limit × level` (exact integers); an
    /// unlimited (−1) limit and a zero figure reach nothing.
    mutating func reach(figure: Int64, limit: Int64) -> [Int] {
        guard limit >= 0, figure > 0 else { return [] }
        // Most records reach no new level: answered without building arrays.
        if reached.count == Self.levels.count || Int128(figure) * 100 < Int128(limit) * Int128(Self.levels[0]) {
            return []
        }
        let newly = Self.levels.filter {
            !reached.contains($0) && Int128(figure) * 100 >= Int128(limit) * Int128($0)
        }
        reached += newly
        return newly
    }
}
