import Governance
import Testing

/// Trait key normalization to snake_case (SPEC §6.2).
@Suite struct TraitKeyNormalizerTests {
    @Test(arguments: [
        // The examples of SPEC §6.2.
        ("HTTPServerURL", "http_server_url"),
        ("iOSVersion", "i_os_version"),
        ("utf8Name", "utf8_name"),
        ("first-name.x y", "first_name_x_y"),
    ])
    func specExamples(raw: String, normalized: String) {
        #expect(TraitKeyNormalizer.normalize(raw) == normalized)
    }

    @Test(arguments: [
        ("email", "email"), ("Email", "email"), ("EMAIL", "email"), ("firstName", "first_name"),
        ("FirstName", "first_name"), ("first_name", "first_name"), ("first__name", "first_name"),
        ("_first_name_", "first_name"), ("  spaced key  ", "spaced_key"), ("a.b-c d/e:f", "a_b_c_d_e_f"),
        ("ABc", "a_bc"), ("AB", "ab"), ("aB", "a_b"), ("a1B", "a1_b"), ("A1B", "a1_b"), ("ABC1", "abc1"),
        ("version2", "version2"), ("2fa", "2fa"), ("2FA", "2_fa"), ("2FAEnabled", "2_fa_enabled"),
        ("getHTTPResponseCode", "get_http_response_code"), ("XMLHttpRequest", "xml_http_request"),
        ("HTTP2Server", "http2_server"), ("plan_ID", "plan_id"), ("userIDs", "user_i_ds"),
        ("a", "a"), ("A", "a"), ("123", "123"),
    ])
    func latinAndDigits(raw: String, normalized: String) {
        #expect(TraitKeyNormalizer.normalize(raw) == normalized)
    }

    @Test(arguments: [
        // Letters of any script are letters; cased scripts split like Latin.
        ("Имя", "имя"), ("имяПользователя", "имя_пользователя"), ("ΌνομαΧρήστη", "όνομα_χρήστη"),
        ("名前", "名前"), ("名前Name", "名前name"), ("ユーザー名", "ユーザー名"), ("이름", "이름"),
        ("الاسم الأول", "الاسم_الأول"), ("नाम", "नाम"), ("पहला नाम", "पहला_नाम"), ("ชื่อ", "ชื่อ"),
        ("Straße", "straße"), ("ÉcoleName", "école_name"), ("çaVa", "ça_va"),
        // A decomposed É (E + U+0301) behaves like the precomposed one.
        ("E\u{301}coleName", "e\u{301}cole_name"), ("cafe\u{301}Au", "cafe\u{301}_au"),
        // Digits of any script.
        ("level٣Up", "level٣_up"),
    ])
    func otherScripts(raw: String, normalized: String) {
        #expect(TraitKeyNormalizer.normalize(raw) == normalized)
    }

    @Test(arguments: [
        ("🎉party", "party"), ("party🎉time", "party_time"), ("❤️love", "love"), ("👍🏽ok", "ok"),
        ("🎉", ""), ("$", ""), ("...", ""), ("", ""), ("   ", ""), ("-_-", ""), ("\u{301}", ""),
        ("a\u{200D}b", "a_b"), ("tab\tkey", "tab_key"), ("m²", "m"),
    ])
    func emojiSymbolsAndSeparators(raw: String, normalized: String) {
        #expect(TraitKeyNormalizer.normalize(raw) == normalized)
    }

    @Test func normalizingTwiceChangesNothing() {
        for key in ["HTTPServerURL", "iOSVersion", "имяПользователя", "first-name.x y", "2FAEnabled", "ÉcoleName"] {
            let once = TraitKeyNormalizer.normalize(key)
            #expect(TraitKeyNormalizer.normalize(once) == once)
        }
    }

    @Test func noUnicodeNormalizationIsApplied() {
        // Swift's == ignores the difference; the scalars show it.
        #expect(Array(TraitKeyNormalizer.normalize("E\u{301}x").unicodeScalars) == ["e", "\u{301}", "x"])
        #expect(Array(TraitKeyNormalizer.normalize("\u{C9}x").unicodeScalars) == ["\u{E9}", "x"])
    }
}
