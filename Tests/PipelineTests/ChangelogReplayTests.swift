import Testing
@testable import Pipeline

@Suite struct ChangelogReplayTests {
    private func k(_ s: String) -> [UInt8] { Array(s.utf8) }
    private func marker(_ attempt: UInt64, snapshot: Bool = false, offset: Int64, discarded: [UInt64] = [], entries: Int = 0)
        -> ChangelogRecord
    {
        .commit(CommitMarker(attempt: attempt, snapshot: snapshot, offsets: ["raw-events": offset], discarded: discarded,
                             entries: entries))
    }

    private func replay(_ records: [ChangelogRecord], logStart: Int64 = 0) -> ChangelogReplay {
        var replay = ChangelogReplay(logStartOffset: logStart)
        for record in records {
            let encoded = ChangelogCodec.encode(record, namespace: "group-a")
            let headers = encoded.headers.map { ($0.name, Optional($0.value)) }
            let decoded = try! ChangelogCodec.decode(key: encoded.key, value: encoded.value, headers: headers, offset: 0,
                                                     namespace: "group-a")!
            #expect(decoded == record)
            #expect(try! ChangelogCodec.decode(key: encoded.key, value: encoded.value, headers: headers, offset: 0,
                                               namespace: "group-b") == nil)
            replay.apply(decoded, size: encoded.key.count + (encoded.value?.count ?? 0))
        }
        return replay
    }

    @Test func entriesCountOnlyWithTheirMarkerAndTrailingAttemptsAreUnfinished() throws {
        let r = replay([
            .entry(attempt: 1, key: k("a"), value: k("1")),
            marker(1, offset: 10, entries: 1),
            .entry(attempt: 2, key: k("a"), value: k("2")),
            .entry(attempt: 2, key: k("b"), value: k("x")),
        ])
        #expect(try r.finish() == [k("a"): k("1")])
        #expect(r.offsets == ["raw-events": 10])
        #expect(r.unfinishedAttempts == [2])
        #expect(r.highestAttempt == 2)
    }

    @Test func discardedAttemptsNeverCountButEarlierUnmarkedOnesDo() throws {
        // attempt 2 crashed (listed as discarded by 4); attempt 3's marker was compacted away.
        let r = replay([
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 5),
            .entry(attempt: 2, key: k("a"), value: k("bad")),
            .entry(attempt: 3, key: k("b"), value: k("3")),
            .entry(attempt: 4, key: k("a"), value: nil), marker(4, offset: 9, discarded: [2]),
        ])
        #expect(try r.finish() == [k("b"): k("3")])
        #expect(r.offsets == ["raw-events": 9])
    }

    @Test func snapshotReplacesStateAndMakesATruncatedLogComplete() throws {
        let records: [ChangelogRecord] = [
            .entry(attempt: 7, key: k("old"), value: k("gone")), marker(7, offset: 3),
            .snapshotBegin(attempt: 8), .entry(attempt: 8, key: k("a"), value: k("1")),
            marker(8, snapshot: true, offset: 4, entries: 1),
            .entry(attempt: 9, key: k("b"), value: k("2")), marker(9, offset: 6),
        ]
        #expect(try replay(records, logStart: 100).finish() == [k("a"): k("1"), k("b"): k("2")])
        #expect(throws: RestoreError.self) { try replay(Array(records.prefix(2)), logStart: 100).finish() }
        // An unfinished snapshot does not replace anything.
        let cut = replay(Array(records.prefix(4)))
        #expect(try cut.finish() == [k("old"): k("gone")])
    }

    @Test func attemptClocksAfterTheLastMarkerAreHandedToTheNextInstance() {
        let first = AttemptClock(attempt: 2, wallClockMs: 1_000, upTo: ["raw-events": 20])
        let second = AttemptClock(attempt: 3, wallClockMs: 2_000, upTo: ["raw-events": 30])
        let r = replay([
            .attemptBegin(AttemptClock(attempt: 1, wallClockMs: 500, upTo: ["raw-events": 10])),
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 10),
            .attemptBegin(first), .entry(attempt: 2, key: k("a"), value: k("2")),
            .attemptBegin(second),
        ])
        #expect(r.unfinishedClocks == [first, second])
        #expect(r.highestAttempt == 3)
    }
}
