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

    /// A writer that lost its partition mid-commit had only its `attemptBegin` in the
    /// log when the next owner restored; its entries landed later (a broker without
    /// transactional isolation shows them). The next owner's marker must discard them.
    @Test func anAttemptWhoseBeginAloneWasReadIsUnfinished() throws {
        let clock = AttemptClock(attempt: 2, wallClockMs: 1, upTo: ["raw-events": 9])
        var log: [ChangelogRecord] = [
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 5, entries: 1),
            .attemptBegin(clock),
        ]
        let restored = replay(log)
        #expect(restored.unfinishedAttempts == [2])
        #expect(restored.highestAttempt == 2)
        // The zombie's entry lands after the restore, before the next owner's marker.
        log += [
            .attemptBegin(AttemptClock(attempt: 3, wallClockMs: 1, upTo: ["raw-events": 7])),
            .entry(attempt: 2, key: k("a"), value: k("zombie")),
            .entry(attempt: 3, key: k("b"), value: k("3")),
            marker(3, offset: 7, discarded: restored.unfinishedAttempts, entries: 1),
        ]
        let after = replay(log)
        #expect(try after.finish() == [k("a"): k("1"), k("b"): k("3")])
        #expect(after.unfinishedAttempts.isEmpty)
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

    /// Attempt 2 (up to 30) was cut off; attempt 3 replayed it but committed only up
    /// to 20 before the next crash: offsets 20..<30 must still get attempt 2's clock
    /// (its outputs may be visible: the mock cluster, at_least_once), so the clock
    /// outlives attempt 3's marker. Seen as two distinct `dlq_at`s for one input in
    /// CrashTests (seeds 555992, 860472).
    @Test func aCutOffAttemptsClockOutlivesAMarkerThatCoversOnlyPartOfItsRange() {
        let second = AttemptClock(attempt: 2, wallClockMs: 1_000, upTo: ["raw-events": 30])
        let third = AttemptClock(attempt: 3, wallClockMs: 2_000, upTo: ["raw-events": 20])
        let r = replay([
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 10),
            .attemptBegin(second), .entry(attempt: 2, key: k("a"), value: k("2")),
            .attemptBegin(third, inherited: [second]), .entry(attempt: 3, key: k("a"), value: k("3")),
            marker(3, offset: 20, discarded: [2]),
        ])
        #expect(r.unfinishedClocks == [second])
        let covered = replay([
            .attemptBegin(second), .entry(attempt: 2, key: k("a"), value: k("2")),
            .attemptBegin(third, inherited: [second]), marker(3, offset: 30, discarded: [2]),
        ])
        #expect(covered.unfinishedClocks.isEmpty)
    }

    @Test func attemptRecordsCarryTheirConfigPositionAndInheritedClocks() throws {
        // Attempt 2 was cut off; attempt 3 (its successor, still replaying 2's range)
        // was cut off too. A compacted log keeps only attempt 3's record, which
        // repeats attempt 2's clock: both restores hand over the same clocks.
        let second = AttemptClock(attempt: 2, wallClockMs: 1_000, upTo: ["raw-events": 20], configs: [0: 4, 7: 1])
        let third = AttemptClock(attempt: 3, wallClockMs: 2_000, upTo: ["raw-events": 30], configs: [0: 6])
        let full = replay([
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 10),
            .attemptBegin(second), .entry(attempt: 2, key: k("a"), value: k("2")),
            .attemptBegin(third, inherited: [second]), .entry(attempt: 3, key: k("b"), value: k("3")),
        ])
        let compacted = replay([
            .entry(attempt: 1, key: k("a"), value: k("1")), marker(1, offset: 10),
            .attemptBegin(third, inherited: [second]), .entry(attempt: 3, key: k("a"), value: k("2")),
            .entry(attempt: 3, key: k("b"), value: k("3")),
        ])
        #expect(full.unfinishedClocks == [second, third])
        #expect(compacted.unfinishedClocks == [second, third])
        #expect(full.unfinishedKeys == [k("a"), k("b")])
        #expect(try full.finish() == [k("a"): k("1")])
    }

    @Test func aSnapshotsTombstonesAndTheRewriteOfACutOffAttemptSurviveCompaction() throws {
        // "gone" is deleted before the snapshot (attempt 3 writes its tombstone);
        // attempt 4 is cut off after writing "a"; attempt 5 rewrites "a" and "new".
        let log: [ChangelogRecord] = [
            .entry(attempt: 1, key: k("a"), value: k("1")), .entry(attempt: 1, key: k("gone"), value: k("x")), marker(1, offset: 2),
            .snapshotBegin(attempt: 3), .entry(attempt: 3, key: k("gone"), value: nil), .entry(attempt: 3, key: k("a"), value: k("1")),
            marker(3, snapshot: true, offset: 4, entries: 2),
            .entry(attempt: 4, key: k("a"), value: k("bad")), .entry(attempt: 4, key: k("new"), value: k("bad")),
            .entry(attempt: 5, key: k("a"), value: k("1")), .entry(attempt: 5, key: k("new"), value: nil),
            .entry(attempt: 5, key: k("b"), value: k("5")), marker(5, offset: 6, discarded: [4]),
        ]
        let expected = [k("a"): k("1"), k("b"): k("5")]
        #expect(try replay(log).finish() == expected)
        // Compacted: the newest record per key (markers share keys), tombstones dropped.
        let compacted: [ChangelogRecord] = [
            .entry(attempt: 5, key: k("a"), value: k("1")), .entry(attempt: 5, key: k("b"), value: k("5")),
            marker(5, offset: 6, discarded: [4]),
        ]
        #expect(try replay(compacted).finish() == expected)
        // Compacted up to the cut-off attempt only: its entries are still pending
        // when attempt 5's rewrite follows.
        let partly: [ChangelogRecord] = [
            .entry(attempt: 3, key: k("gone"), value: nil), marker(3, snapshot: true, offset: 4, entries: 2),
            .entry(attempt: 4, key: k("a"), value: k("bad")), .entry(attempt: 4, key: k("new"), value: k("bad")),
        ] + log.suffix(4)
        #expect(try replay(partly).finish() == expected)
    }
}
