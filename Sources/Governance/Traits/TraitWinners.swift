/// Each normalized trait key's winning raw key (the smallest in UTF-8 byte order) for
/// `TraitGovernor.clean`, answering as a `[String: String]` keyed by the normalized key
/// would: keys equal as Swift strings (canonical equivalence) share one winner.
///
/// A few keys (the usual traits object) are kept in a list and compared with `==`,
/// one by one: the dictionary, made per event, hashed each key twice (~2,500 instructions
/// an event of three traits). More keys go in the dictionary, so a large object stays linear.
struct TraitWinners {
    /// The most keys kept in the list.
    static let listedMax = 8
    private var listed: [(normalized: String, raw: String)] = []
    private var hashed: [String: String]?

    /// Room for `count` keys.
    init(count: Int) {
        if count > Self.listedMax {
            var dictionary: [String: String] = [:]
            dictionary.reserveCapacity(count)
            hashed = dictionary
        } else {
            listed.reserveCapacity(count)
        }
    }

    /// `raw` wins `normalized` unless a raw key before it in UTF-8 byte order already has.
    mutating func offer(_ raw: String, as normalized: String) {
        if hashed != nil {
            if hashed![normalized].map({ raw.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true { hashed![normalized] = raw }
            return
        }
        for index in listed.indices where listed[index].normalized == normalized {
            if raw.utf8.lexicographicallyPrecedes(listed[index].raw.utf8) { listed[index].raw = raw }
            return
        }
        listed.append((normalized, raw))
    }

    /// The raw key that won `normalized`, if any offered it.
    subscript(normalized: String) -> String? {
        if let hashed { return hashed[normalized] }
        for entry in listed where entry.normalized == normalized { return entry.raw }
        return nil
    }
}
