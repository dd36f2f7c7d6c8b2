import JSON

/// The server-side trait governor (SPEC §6.2, stage 16): cleans the `traits` of
/// identify/group events. The event is accepted with the cleaned traits; every
/// trait dropped or truncated becomes a `TraitFinding` (a `trait`-scope DLQ record).
///
/// Per raw key, in this order (the first rule that applies decides):
/// 1. reserved prefix: the trimmed raw key starts, ASCII case-insensitively, with
///    `system.`, `user.`, `loyalty.`, `cart.`, `bill.`, `aegis.`, `$` or `_`
///    → dropped, `reserved_prefix`;
/// 2. the normalized key is empty → dropped, `bad_key_format`;
/// 3. collision: among the keys left, those normalizing to the same key are
///    ranked by their raw keys (as received) in Unicode scalar order (the same
///    as UTF-8 byte order); the smallest wins, the others are dropped,
///    `bad_key_format`. Normalized keys are compared as Swift strings, i.e. by
///    canonical equivalence, so NFC and NFD spellings of a key collide. A winner later dropped by a value rule does not revive
///    the others;
/// 4. value rules, on the winner's value: a date-keyed field must hold a date
///    (`TraitDate`) and is stored as epoch ms, else dropped, `bad_date_format`
///    (this replaces the length rule: any string that is not a date, however long,
///    is `bad_date_format`, and `null` is not a date); any other string over 256
///    Unicode scalars is truncated to 256 (`value_too_long`, `truncated`), over
///    4,096 dropped (`value_too_long`, `dropped`). Numbers, booleans, `null`,
///    objects and arrays of other fields are kept as they are (nested values are
///    not governed).
///
/// Cleaned traits keep the order of their winning raw keys; findings follow the
/// order of the raw keys.
public enum TraitGovernor {
    public static let reservedPrefixes = ["system.", "user.", "loyalty.", "cart.", "bill.", "aegis.", "$", "_"]
    public static let truncateAbove = 256
    public static let dropAbove = 4_096
    static let dateSuffixes = ["_at", "_on", "_date"]
    static let dateNames: Set<String> = ["created", "updated", "expires", "dob", "birthday", "birthdate"]

    public static func clean(_ traits: JSONObject) -> (cleaned: JSONObject, findings: [TraitFinding]) {
        // Rules 1 and 2, and each normalized key's winning raw key.
        // Per key, its normalized form, its reserved prefix and whether it may win, in one array.
        var keys: [(normalized: String, prefix: String?, eligible: Bool)] = []
        keys.reserveCapacity(traits.count)
        var winners = TraitWinners(count: traits.count)
        for member in traits {
            let normalized = TraitKeyNormalizer.normalize(member.key)
            let prefix = reservedPrefix(of: member.key)
            let ok = prefix == nil && !normalized.isEmpty
            keys.append((normalized, prefix, ok))
            if ok { winners.offer(member.key, as: normalized) }
        }

        var cleaned = JSONObject()
        var findings: [TraitFinding] = []
        for (index, member) in traits.enumerated() {
            let (normalized, prefix, eligible) = keys[index]
            func finding(_ reason: TraitReason, _ action: TraitAction, _ detail: String) {
                findings.append(TraitFinding(rawKey: member.key, normalizedKey: normalized, reason: reason, action: action, detail: detail))
            }
            if let prefix {
                finding(.reservedPrefix, .dropped, "key starts with the reserved prefix '\(prefix)'")
                continue
            }
            if normalized.isEmpty {
                finding(.badKeyFormat, .dropped, "key has no letter or digit")
                continue
            }
            guard eligible, let winner = winners[normalized], winner == member.key else {
                finding(.badKeyFormat, .dropped, "key normalizes to '\(normalized)' like '\(winners[normalized] ?? "")', which wins")
                continue
            }
            if isDateKeyed(normalized) {
                guard let ms = TraitDate.epochMilliseconds(member.value) else {
                    finding(.badDateFormat, .dropped, "date-keyed trait is not an ISO-8601 date or epoch time: \(describe(member.value))")
                    continue
                }
                cleaned.appendUnchecked(normalized, .int(ms))
                continue
            }
            if case .string(let string) = member.value, Text.isLonger(string, than: truncateAbove) {
                let length = Text.scalarCount(string)
                if length > dropAbove {
                    finding(.valueTooLong, .dropped, "string of \(length) characters is over \(dropAbove)")
                    continue
                }
                finding(.valueTooLong, .truncated, "string of \(length) characters truncated to \(truncateAbove)")
                cleaned.appendUnchecked(normalized, .string(Text.prefix(string, scalars: truncateAbove)))
                continue
            }
            cleaned.appendUnchecked(normalized, member.value)
        }
        return (cleaned, findings)
    }

    /// Whether a normalized key names a date (SPEC §6.2).
    public static func isDateKeyed(_ normalizedKey: String) -> Bool {
        dateNameSet.contains(normalizedKey)
            || dateSuffixBytes.contains { suffix in hasLongerSuffix(normalizedKey, suffix) }
    }

    /// `dateNames` compared as bytes (`Set.contains` hashed every key).
    private static let dateNameSet = ASCIINameSet(dateNames)

    /// `dateSuffixes` as bytes, made once.
    private static let dateSuffixBytes: [[UInt8]] = dateSuffixes.map { Array($0.utf8) }

    /// Whether `key`'s UTF-8 ends with `suffix` and has more before it; on the contiguous
    /// bytes (the views' generic `suffix` + `elementsEqual` cost ~240 instructions).
    private static func hasLongerSuffix(_ key: String, _ suffix: [UInt8]) -> Bool {
        let utf8 = key.utf8
        guard utf8.count > suffix.count else { return false }
        return utf8.withContiguousStorageIfAvailable { bytes in
            UnsafeBufferPointer(rebasing: bytes[(bytes.count - suffix.count)...]).elementsEqual(suffix)
        } ?? utf8.suffix(suffix.count).elementsEqual(suffix)
    }

    /// The reserved prefix the trimmed raw key starts with (ASCII case-insensitively), if any.
    public static func reservedPrefix(of rawKey: String) -> String? {
        // A key whose first and last bytes are printable ASCII is its own trimmed form
        // (as `Text.trimmed` decides): its contiguous bytes are compared, where the
        // view's indices cost ~1,000 instructions a key.
        var raw = rawKey
        let fromBytes: String?? = raw.withUTF8 { bytes -> String?? in
            guard let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 else {
                return .none
            }
            for (index, prefix) in reservedPrefixBytes.enumerated() where startsFolded(bytes, with: prefix) {
                return .some(reservedPrefixes[index])
            }
            return .some(nil)
        }
        if let fromBytes { return fromBytes }
        let key = Text.trimmed(rawKey).utf8
        for (index, prefix) in reservedPrefixBytes.enumerated() where startsFolded(key, with: prefix) {
            return reservedPrefixes[index]
        }
        return nil
    }

    /// `reservedPrefixes` as bytes, made once.
    private static let reservedPrefixBytes: [[UInt8]] = reservedPrefixes.map { Array($0.utf8) }

    /// Whether `key`, ASCII-lowercased, starts with `prefix` (lowercase ASCII).
    private static func startsFolded(_ key: String.UTF8View, with prefix: [UInt8]) -> Bool {
        var position = key.startIndex
        for byte in prefix {
            guard position != key.endIndex, asciiLowercase(key[position]) == byte else { return false }
            key.formIndex(after: &position)
        }
        return true
    }

    /// `startsFolded` on contiguous bytes.
    private static func startsFolded(_ key: UnsafeBufferPointer<UInt8>, with prefix: [UInt8]) -> Bool {
        guard key.count >= prefix.count else { return false }
        for index in prefix.indices where asciiLowercase(key[index]) != prefix[index] { return false }
        return true
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// A short description of a rejected value for the finding's detail.
    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s) where Text.scalarCount(s) > 64: "'\(Text.prefix(s, scalars: 64))…'"
        case .string(let s): "'\(s)'"
        case .number(let n): n.text
        default: value.typeName
        }
    }
}
