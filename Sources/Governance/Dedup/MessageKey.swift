/// A message id as the dedup window's index key. Every event looks its id up twice
/// (`isDuplicate`, then `record`), and `String`'s seeded SipHash was most of each lookup;
/// an ASCII id (nearly all) is hashed like `RateLimitKey`'s ids instead: a multiply-fold
/// keyed by the dictionary's per-instance seed (the same design choice, docs/BENCHMARKS.md,
/// eighth round). Equal keys hash equal: equality is the id's (canonical equivalence), and
/// a spelling equivalent to an ASCII id is hashed as that ASCII id
/// (`FoldHash.ascii(of:seed:tag:)`); any other id goes through `Hasher`.
struct MessageKey: Hashable, Sendable {
    let id: String

    init(_ id: String) { self.id = id }

    static func == (lhs: MessageKey, rhs: MessageKey) -> Bool { lhs.id == rhs.id }

    func hash(into hasher: inout Hasher) { hasher.combine(id) }

    func _rawHashValue(seed: Int) -> Int {
        if let hash = FoldHash.ascii(of: id, seed: seed, tag: Self.tag) { return hash }
        var hasher = Hasher()
        hasher.combine(seed)
        hasher.combine(id)
        return hasher.finalize()
    }

    /// Apart from `RateLimitKey`'s levels (1–3), though the two never share a table.
    private static let tag: UInt64 = 4
}
