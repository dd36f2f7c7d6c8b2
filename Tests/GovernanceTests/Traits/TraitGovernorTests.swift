import Governance
import JSON
import Testing

/// The trait governor (SPEC §6.2): reserved prefix, empty key, collision, value rules.
@Suite struct TraitGovernorTests {
    func clean(_ traits: JSONObject) -> (cleaned: JSONObject, findings: [TraitFinding]) { TraitGovernor.clean(traits) }

    func summary(_ findings: [TraitFinding]) -> [String] {
        findings.map { "\($0.rawKey)|\($0.normalizedKey)|\($0.reason.rawValue)|\($0.action.rawValue)" }
    }

    @Test func cleanTraitsAreNormalizedInTheOrderOfTheirRawKeys() {
        let result = clean(["firstName": "Ada", "HTTPServerURL": "x", "iOSVersion": "17", "utf8Name": "n", "first-name.x y": 1])
        #expect(result.cleaned.keys == ["first_name", "http_server_url", "i_os_version", "utf8_name", "first_name_x_y"])
        #expect(result.cleaned["first_name_x_y"] == 1)
        #expect(result.findings.isEmpty)
    }

    @Test(arguments: ["system.id", "SYSTEM.id", "user.email", "User.Email", "loyalty.tier", "cart.total", "bill.to",
                      "aegis.probe", "AEGIS.x", "$email", "_id", "__x", "  $email", "\t_id"])
    func reservedPrefixOnTheRawKeyDrops(key: String) {
        let result = clean(JSONObject([JSONMember(key: key, value: "v")]))
        #expect(result.cleaned.isEmpty)
        #expect(result.findings.map(\.reason) == [.reservedPrefix])
        #expect(result.findings.first?.action == .dropped)
        #expect(result.findings.first?.rawKey == key)
    }

    @Test(arguments: ["system", "users.x", "username", "cart", "systemx.y", "email$", "a_b", "aegis", "user-email"])
    func keysThatOnlyResembleAReservedPrefixAreKept(key: String) {
        let result = clean(JSONObject([JSONMember(key: key, value: "v")]))
        #expect(result.findings.isEmpty, "\(key)")
        #expect(result.cleaned.count == 1)
    }

    @Test func reservedPrefixComesBeforeTheEmptyKeyRule() {
        #expect(clean(["$": 1]).findings.map(\.reason) == [.reservedPrefix])
        #expect(clean(["_": 1]).findings.map(\.reason) == [.reservedPrefix])
        #expect(clean(["$": 1]).findings.first?.normalizedKey == "")
    }

    @Test(arguments: ["", " ", "...", "🎉", "-", "#!"])
    func aKeyEmptyAfterNormalizationDropsAsBadKeyFormat(key: String) {
        let result = clean(JSONObject([JSONMember(key: key, value: "v")]))
        #expect(result.cleaned.isEmpty)
        #expect(summary(result.findings) == ["\(key)||bad_key_format|dropped"])
    }

    @Test func collidingKeysKeepTheSmallestRawKey() {
        let result = clean(["firstName": "a", "first_name": "b", "FirstName": "c", "first-name": "d", "email": "e"])
        // UTF-8 order: "FirstName" < "first-name" < "firstName" < "first_name".
        #expect(result.cleaned == ["first_name": "c", "email": "e"])
        #expect(summary(result.findings) == [
            "firstName|first_name|bad_key_format|dropped",
            "first_name|first_name|bad_key_format|dropped",
            "first-name|first_name|bad_key_format|dropped",
        ])
        #expect(result.findings.first?.detail == "key normalizes to 'first_name' like 'FirstName', which wins")
    }

    @Test func collisionsCompareRawKeysByUnicodeScalarValues() {
        // Fullwidth x (U+FF58) and X (U+FF38) both normalize to U+FF58; U+FF38 is smaller.
        let wide = clean(["ｘ": 1, "Ｘ": 2])
        #expect(wide.cleaned == ["ｘ": 2])
        // "a-" sorts first; an astral-plane scalar sorts after U+FF01 (unlike UTF-16 order).
        let astral = clean(["a\u{FF5E}": 1, "a\u{1F600}": 2, "a-": 3])
        #expect(astral.cleaned.keys == ["a"])
        #expect(astral.cleaned["a"] == 3)
        let scalarOrder = clean(["a\u{FF01}": 1, "a\u{1F600}": 2])
        #expect(scalarOrder.cleaned["a"] == 1)
    }

    @Test func untrimmedRawKeysRankCollisions() {
        #expect(clean(["email": 1, " email": 2]).cleaned == ["email": 2])
    }

    @Test func reservedAndEmptyKeysDoNotTakePartInCollisions() {
        let result = clean(["_email": 1, "Email": 2])
        #expect(result.cleaned == ["email": 2])
        #expect(summary(result.findings) == ["_email|email|reserved_prefix|dropped"])
    }

    @Test func aWinnerDroppedByAValueRuleDoesNotReviveTheLosers() {
        let result = clean(["Created_At": "nope", "createdAt": "2024-01-01"])
        #expect(result.cleaned.isEmpty)
        #expect(summary(result.findings) == [
            "Created_At|created_at|bad_date_format|dropped",
            "createdAt|created_at|bad_key_format|dropped",
        ])
    }

    @Test func stringsOf256CharactersAreKeptAnd257Truncated() {
        let s256 = String(repeating: "a", count: 256)
        #expect(clean(["bio": .string(s256)]).cleaned["bio"] == .string(s256))
        #expect(clean(["bio": .string(s256)]).findings.isEmpty)
        let result = clean(["bio": .string(s256 + "b")])
        #expect(result.cleaned["bio"] == .string(s256))
        #expect(summary(result.findings) == ["bio|bio|value_too_long|truncated"])
        #expect(result.findings.first?.detail == "string of 257 characters truncated to 256")
    }

    @Test func stringsOf4096CharactersAreTruncatedAnd4097Dropped() {
        let s4096 = String(repeating: "a", count: 4096)
        let kept = clean(["bio": .string(s4096)])
        #expect(kept.cleaned["bio"] == .string(String(repeating: "a", count: 256)))
        #expect(kept.findings.map(\.action) == [.truncated])
        let dropped = clean(["bio": .string(s4096 + "a"), "name": "n"])
        #expect(dropped.cleaned == ["name": "n"])
        #expect(summary(dropped.findings) == ["bio|bio|value_too_long|dropped"])
    }

    @Test func lengthsCountUnicodeScalarsAndTruncationKeepsWholeScalars() {
        let emoji257 = String(repeating: "😀", count: 257)
        let result = clean(["bio": .string(emoji257)])
        #expect(result.cleaned["bio"] == .string(String(repeating: "😀", count: 256)))
        #expect(clean(["bio": .string(String(repeating: "名", count: 256))]).findings.isEmpty)
    }

    @Test func nonStringValuesOfOtherFieldsAreKeptAsTheyAre() {
        let long = String(repeating: "x", count: 5000)
        let traits: JSONObject = ["age": 42, "vip": true, "nick": .null, "tags": [.string(long)], "address": ["line": .string(long)]]
        let result = clean(traits)
        #expect(result.cleaned == traits)
        #expect(result.findings.isEmpty)
    }

    @Test(arguments: ["created_at", "signed_up_on", "renewal_date", "created", "updated", "expires", "dob", "birthday",
                      "birthdate", "createdAt", "LastSeenAt", "Birthday", "DOB", "trial_ends_at"])
    func dateKeyedFieldsAreStoredAsEpochMilliseconds(key: String) {
        let result = clean(JSONObject([JSONMember(key: key, value: "2024-02-29")]))
        #expect(result.cleaned.members.first?.value == .int(1_709_164_800_000), "\(key)")
        #expect(result.findings.isEmpty)
    }

    @Test(arguments: ["at", "date", "on", "format", "created_by", "updates", "birthday_party", "dated", "expires_in"])
    func otherKeysAreNotDateKeyed(key: String) {
        #expect(!TraitGovernor.isDateKeyed(key), "\(key)")
        let result = clean(JSONObject([JSONMember(key: key, value: "2024-02-29")]))
        #expect(result.cleaned.members.first?.value == "2024-02-29")
    }

    @Test func dateKeyedValuesInEveryAcceptedForm() {
        let result = clean([
            "a_at": "2024-02-29T12:00:00+02:00", "b_at": "2024-02-29T10:00:00Z", "c_at": 1_709_200_800,
            "d_at": 1_709_200_800_000, "e_at": "1709200800", "f_at": "1709200800000", "g_at": 99_999_999_999,
            "h_at": 100_000_000_000,
        ])
        let expected: [Int64] = [1_709_200_800_000, 1_709_200_800_000, 1_709_200_800_000, 1_709_200_800_000,
                                 1_709_200_800_000, 1_709_200_800_000, 99_999_999_999_000, 100_000_000_000]
        #expect(result.cleaned.members.map(\.value) == expected.map { .int($0) })
        #expect(result.findings.isEmpty)
    }

    @Test func anythingElseOnADateKeyDropsAsBadDateFormat() {
        let long = String(repeating: "2", count: 300)
        let result = clean(["a_at": "2023-02-29", "b_at": "yesterday", "c_at": true, "d_at": .null, "e_at": ["x": 1],
                            "f_at": .string(long), "g_at": .string(String(repeating: "x", count: 5000)), "ok_at": 0])
        #expect(result.cleaned == ["ok_at": 0])
        #expect(result.findings.map(\.reason) == Array(repeating: .badDateFormat, count: 7))
        #expect(result.findings.allSatisfy { $0.action == .dropped })
        #expect(result.findings.first?.detail == "date-keyed trait is not an ISO-8601 date or epoch time: '2023-02-29'")
    }

    @Test func findingsFollowTheOrderOfTheRawKeysAndKeepTheRawKey() {
        let result = clean(["ok": 1, " $x ": 2, "Bio": .string(String(repeating: "b", count: 300)), "🎉": 3, "joined_on": "x"])
        #expect(summary(result.findings) == [
            " $x |x|reserved_prefix|dropped",
            "Bio|bio|value_too_long|truncated",
            "🎉||bad_key_format|dropped",
            "joined_on|joined_on|bad_date_format|dropped",
        ])
        #expect(result.cleaned.keys == ["ok", "bio"])
    }

    /// The date-suffix test on bytes answers as the suffix of the UTF-8 view: each
    /// suffix alone, with one byte before it, near misses, non-ASCII keys, heap strings.
    @Test func dateKeyedOnBytesEqualsTheViewsSuffix() {
        func reference(_ key: String) -> Bool {
            ["created", "updated", "expires", "dob", "birthday", "birthdate"].contains(key)
                || ["_at", "_on", "_date"].contains { suffix in
                    key.utf8.count > suffix.utf8.count && key.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
                }
        }
        var keys = ["", "_at", "_on", "_date", "a_at", "x_on", "y_date", "date", "at", "_a", "signup_at", "signup_AT",
                    "signup_at ", "é_at", "_atx", "created", "created_", "dob", "d_ob", "ndate", "a_dat", "\u{E9}_date"]
        keys += keys.map { String(repeating: "long_prefix_", count: 3) + $0 }
        for key in keys {
            #expect(TraitGovernor.isDateKeyed(key) == reference(key), "\(key)")
        }
    }
}
