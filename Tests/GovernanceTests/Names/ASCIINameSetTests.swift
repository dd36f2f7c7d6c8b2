import Testing
@testable import Governance

/// `ASCIINameSet.contains` answers what `Set<String>.contains` answers (canonical
/// equivalence), for members, near misses of every length, and non-ASCII spellings.
@Suite struct ASCIINameSetTests {
    static let sets: [Set<String>] = [
        PassiveEvents.allPassiveEventNames, CountedNames.standardEventNames, ["", "a", "ab", "K;`", "x"], [],
        ["caf\u{E9}", "plain"],  // a non-ASCII member: every lookup goes to the Set
    ]

    static func candidates(for names: Set<String>) -> [String] {
        var candidates = Array(names) + ["", "a", "K", "\u{212A}", "\u{212A};`", "K\u{37E}\u{1FEF}", "cafe\u{301}", "caf\u{E9}"]
        for name in names {
            candidates.append(name + "x")
            candidates.append(String(name.dropLast()))
            candidates.append(name.uppercased())
            if let first = name.first { candidates.append(String(name.dropFirst()) + String(first)) }
            candidates.append(String(name.map { $0 == "_" ? "\u{FF3F}" : $0 }))
            candidates.append(name + "\u{301}")  // a combining mark: a different string
        }
        return candidates
    }

    @Test(arguments: 0..<5)
    func answersAsTheSetDoes(set index: Int) {
        let names = Self.sets[index]
        let fast = ASCIINameSet(names)
        for candidate in Self.candidates(for: names) {
            #expect(fast.contains(candidate) == names.contains(candidate), "\(Array(candidate.unicodeScalars))")
        }
        // The Kelvin sign is canonically `K`: a non-ASCII spelling of an ASCII member.
        #expect(ASCIINameSet(["K;`"]).contains("\u{212A}\u{37E}\u{1FEF}"))
    }
}
