import Testing
@testable import Governance

/// The trait governor's fast paths against the general ones they replace: the winners'
/// list against a `[String: String]`, a reserved prefix read on the key's bytes against
/// the trimmed key's view, date names compared as bytes against `Set.contains`.
@Suite struct TraitFastPathTests {
    /// Keys that collide in pairs and threes, canonically equivalent spellings (NFC and
    /// NFD `é`, U+212A KELVIN SIGN and `K`), and distinct ones.
    static let keys = ["first_name", "firstName", "FirstName", "first-name", "caf\u{E9}", "cafe\u{301}", "\u{212A}", "K",
                       "k", "a", "b", "c", "d", "e", "f", "g", "h", "a", "first_name", "zz", "ZZ", "z_z"]

    static func dictionaryWinners(_ pairs: [(raw: String, normalized: String)]) -> [String: String] {
        var winners: [String: String] = [:]
        for (raw, normalized) in pairs where winners[normalized].map({ raw.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true {
            winners[normalized] = raw
        }
        return winners
    }

    @Test func winnersAnswerAsADictionary() {
        // Every length from 0 to all keys (the list up to `listedMax`, the dictionary over
        // it), in order and reversed, normalized by the governor or used as they are.
        for count in 0...Self.keys.count {
            for keys in [Array(Self.keys.prefix(count)), Array(Self.keys.prefix(count).reversed())] {
                for normalize in [true, false] {
                    let pairs = keys.map { ($0, normalize ? TraitKeyNormalizer.normalize($0) : $0) }
                    var winners = TraitWinners(count: pairs.count)
                    for (raw, normalized) in pairs { winners.offer(raw, as: normalized) }
                    let expected = Self.dictionaryWinners(pairs)
                    for probe in Self.keys + Self.keys.map(TraitKeyNormalizer.normalize) + ["", "absent"] {
                        #expect(winners[probe] == expected[probe], "\(keys) normalize \(normalize) probe \(probe.debugDescription)")
                    }
                }
            }
        }
    }

    static func referencePrefix(_ rawKey: String) -> String? {
        let key = Array(Text.trimmed(rawKey).utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return TraitGovernor.reservedPrefixes.first { key.starts(with: Array($0.utf8)) }
    }

    @Test func reservedPrefixAgreesWithTheTrimmedKey() {
        var keys = ["", " ", "$", "_", "x", "sys", "system", "system.", "System.x", " system.x", "system.x ", "\tuser.a",
                    "user.a\t", "\u{A0}cart.x", "cart.x\u{A0}", "\u{2003}bill.y", "AEGIS.z", "aegis", "loyalty.", "loyalty",
                    "é$", "$é", "_é", "\u{85}_x", "x\u{85}", "Cart.é", "bill", "bill.", " $ ", "\u{200B}$x"]
        for prefix in TraitGovernor.reservedPrefixes {
            keys += [prefix, prefix.uppercased(), String(prefix.dropLast()), prefix + "x", "x" + prefix, " " + prefix + "x",
                     prefix + "x ", "\u{3000}" + prefix.uppercased() + "é"]
        }
        for key in keys {
            #expect(TraitGovernor.reservedPrefix(of: key) == Self.referencePrefix(key), "key \(key.debugDescription)")
        }
    }

    @Test func dateNamesAgreeWithTheSet() {
        var keys = ["", "created", "updated", "expires", "dob", "birthday", "birthdate", "create", "createdd", "Created",
                    "do", "dobb", "birth_date", "signup_at", "x_on", "_date", "cre\u{301}ated", "\u{212A}", "dób"]
        for name in TraitGovernor.dateNames {
            let bytes = Array(name.utf8)
            for index in bytes.indices {
                var changed = bytes
                changed[index] ^= 1
                keys.append(String(decoding: changed, as: UTF8.self))
            }
        }
        for key in keys {
            let expected = TraitGovernor.dateNames.contains(key)
                || ["_at", "_on", "_date"].contains { key.utf8.count > $0.utf8.count && key.hasSuffix($0) }
            #expect(TraitGovernor.isDateKeyed(key) == expected, "key \(key.debugDescription)")
        }
    }
}
