import Foundation
import JSON
@testable import Governance
import Testing
@testable import Pipeline

/// The core's fast paths (`BinaryCoreEncodable`, and the `BinaryStateEncodable` values
/// inside a meter) write the generic path's bytes: the meter in every MAU mode with
/// verdicts, cap hits, threshold levels, two months, snapshots and connections, and
/// its parts on their own with edge values.
@Suite struct BinaryStateCoreTests {
    let decoder = BinaryStateDecoder()
    static let extremes = BinaryStateEncodableTests.extremes
    /// Reasons with NFC and NFD spellings, and one long enough for a two-byte header.
    static let reasons = ["accepted", "duplicate", "bot", "caf\u{E9}", "cafe\u{301}", "🎉", "", String(repeating: "r", count: 200)]

    /// Encoders of the core (`.omitTrackedMapContents`) and of whole values, each with
    /// its generic reference: with and without NFC strings.
    static let pairs: [(fast: BinaryStateEncoder, generic: BinaryStateEncoder)] = [
        (BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true]),
         BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true, .genericBinaryState: true])),
        (BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true, .canonicalStrings: true]),
         BinaryStateEncoder(userInfo: [.omitTrackedMapContents: true, .canonicalStrings: true, .genericBinaryState: true])),
        (BinaryStateEncoder(), BinaryStateEncoder(userInfo: [.genericBinaryState: true])),
        (BinaryStateEncoder(userInfo: [.canonicalStrings: true]),
         BinaryStateEncoder(userInfo: [.canonicalStrings: true, .genericBinaryState: true])),
    ]

    func expectSameBytes<T: Codable>(_ value: T, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (fast, generic) in Self.pairs {
            let bytes = try fast.encode(value)
            #expect(bytes == (try generic.encode(value)), "\(what)", sourceLocation: sourceLocation)
            // Appended after a prefix, as the cut writes a core after its key.
            var prefixed: [UInt8] = [7, 7]
            try fast.encode(value, into: &prefixed)
            #expect(prefixed == [7, 7] + bytes, sourceLocation: sourceLocation)
        }
    }

    /// Meters driven through the rules: each MAU mode and plan (limits reached and
    /// unlimited), NFC and NFD workspace ids and contacts, records across two months and
    /// from far ahead, verdicts of every kind, cap hits over a week, snapshots due.
    static var meters: [UsageMeter] {
        var all: [UsageMeter] = [UsageMeter(workspaceID: ""), UsageMeter(workspaceID: "cafe\u{301}")]
        let contacts = ["c_1", "caf\u{E9}", "cafe\u{301}", String(repeating: "x", count: 300)]
        let start: Int64 = 1_795_000_000_000
        for mode in MAUMode.allCases {
            for limits in [(Int64(-1), Int64(-1), Int64(-1)), (2, 3, 1), (0, 0, 0)] {
                let plan = UsagePlan(mode: mode, mauIncluded: limits.0, eventsPerMonth: limits.1, peakConcurrentConnections: limits.2)
                var meter = UsageMeter(workspaceID: mode == .connections ? "w\u{E9}" : "ws_\(mode.rawValue)")
                for step in 0..<60 {
                    // Three months (one slot reused), a late record, one from years ahead.
                    let t = switch step % 7 {
                    case 5: start - 40 * Millis.day
                    case 6 where step == 48: Int64(4_000_000_000_000)
                    default: start + Int64(step) * 13 * Millis.hour
                    }
                    let contact = contacts[step % contacts.count]
                    let role: MeteredEvent.Role = switch (mode, step % 4) {
                    case (.connections, 0), (.connections, 1): .connect(connectionID: "k\(step % 5)")
                    case (.connections, 2): .disconnect(connectionID: "k\((step + 3) % 5)")
                    case (_, 0): .identify
                    case (_, 1): .passive
                    default: .active
                    }
                    _ = meter.recordAccepted(MeteredEvent(contactKey: contact, event: "e", messageID: "m\(step)", role: role),
                                             at: t, plan: plan, settlement: step % 9 == 0)
                    if step % 3 == 0 {
                        _ = meter.recordVerdict(reason: reasons[step % reasons.count], at: t, plan: plan, settlement: step % 6 == 0)
                    }
                    if step % 5 == 0 { meter.recordCapHit(at: t - Int64(step) * Millis.hour) }
                    if step % 2 == 0 {
                        _ = meter.snapshotIfDue(at: t, plan: plan, uniqueNamesUsed: 3, uniqueNamesCap: -1)
                    }
                    if step % 20 == 19 { all.append(meter) }
                }
                all.append(meter)
            }
        }
        return all
    }

    @Test func metersAsTheGenericPath() throws {
        let meters = Self.meters
        var seen = Set<String>()
        for meter in meters {
            try expectSameBytes(meter, "meter \(meter.workspaceID)")
            try expectSameBytes(meter.months, "months of \(meter.workspaceID)")
            try expectSameBytes(meter.months.first, "month of \(meter.workspaceID)")
            let core = try Self.pairs[0].fast.encode(meter)
            let decoded = try decoder.decode(UsageMeter.self, from: core)
            #expect(decoded.months.first.acceptedEvents == meter.months.first.acceptedEvents)
            #expect(decoded.capHits == meter.capHits)
            #expect(decoded.months.second.breakdown == meter.months.second.breakdown)
            if !meter.capHits.counts.isEmpty { seen.insert("capHits") }
            if meter.months.first.mauLevels.reached.count == 2 || meter.months.second.mauLevels.reached.count == 2 { seen.insert("mauLevels") }
            if meter.months.first.pccLevels.reached.count > 0 || meter.months.second.pccLevels.reached.count > 0 { seen.insert("pccLevels") }
            if meter.months.first.quotaExceededRequested { seen.insert("quota") }
            if meter.months.first.lastSnapshotAt != nil { seen.insert("snapshot") }
            if meter.months.first.mauReachedAt != nil || meter.months.second.mauReachedAt != nil { seen.insert("mauReachedAt") }
            if meter.months.second.month != nil { seen.insert("two months") }
            if meter.months.first.breakdown.counts.count > 4 { seen.insert("breakdown") }
        }
        // The drive reached every optional and container the fast path writes.
        #expect(seen == ["capHits", "mauLevels", "pccLevels", "quota", "snapshot", "mauReachedAt", "two months", "breakdown"])
    }

    /// Breakdowns decoded from JSON: no counts, NFC and NFD reasons, extreme counts,
    /// enough reasons for a long header and an entry count over 127.
    @Test func breakdownsAsTheGenericPath() throws {
        var values: [UsageBreakdown] = []
        for settlements in Self.extremes {
            for size in [0, 1, 3, 8, 140] {
                let counts = (0..<size).map { index in
                    let reason = index < Self.reasons.count ? Self.reasons[index] : "reason_\(index)"
                    return "\"\(reason)\":\(Self.extremes[index % Self.extremes.count])"
                }
                let json = #"{"counts":{\#(counts.joined(separator: ","))},"settlements":\#(settlements)}"#
                values.append(try JSONDecoder().decode(UsageBreakdown.self, from: Data(json.utf8)))
            }
        }
        for value in values {
            try expectSameBytes(value, "\(value)")
            #expect(try decoder.decode(UsageBreakdown.self, from: BinaryStateEncoder().encode(value)) == value)
        }
    }

    /// Levels as the rules reach them, and decoded lists with extremes.
    @Test func thresholdLevelsAsTheGenericPath() throws {
        var values = [ThresholdLevels()]
        var levels = ThresholdLevels()
        _ = levels.reach(figure: 80, limit: 100)
        values.append(levels)
        _ = levels.reach(figure: 100, limit: 100)
        values.append(levels)
        for list in [[Int.min, Int.max], [0, -1, 63, -64, 64], Array(0..<200)] {
            values.append(try JSONDecoder().decode(ThresholdLevels.self, from: Data(#"{"reached":\#(list)}"#.utf8)))
        }
        for value in values {
            try expectSameBytes(value, "\(value)")
            #expect(try decoder.decode(ThresholdLevels.self, from: BinaryStateEncoder().encode(value)) == value)
        }
    }

    /// Hourly counts: empty, negative and extreme hours (their slots sort unlike the
    /// numbers), over a week of hours (entries dropped), and without a latest hour.
    @Test func hourlyCountsAsTheGenericPath() throws {
        var values = [HourlyCounts()]
        var counts = HourlyCounts()
        for t in [Int64(0), -1, -Millis.hour - 1, 63 * Millis.hour, 64 * Millis.hour, 8_191 * Millis.hour, 8_192 * Millis.hour] {
            counts.add(at: t)
            values.append(counts)
        }
        var week = HourlyCounts()
        for hour in 0..<400 { week.add(at: 1_795_000_000_000 + Int64(hour % 190) * Millis.hour) }
        values.append(week)
        for t in [Int64.min, Int64.max] {
            var edge = HourlyCounts()
            edge.add(at: t)
            edge.add(at: t)
            values.append(edge)
        }
        for value in values {
            try expectSameBytes(value, "\(value)")
            #expect(try decoder.decode(HourlyCounts.self, from: BinaryStateEncoder().encode(value)) == value)
        }
    }

    /// Every case of the grace state, with extreme times and without a reminder.
    @Test func graceStatesAsTheGenericPath() throws {
        var values: [GraceState] = [.neverOpened]
        for t in Self.extremes {
            values += [.open(since: t, lastReminder: nil), .open(since: t, lastReminder: t), .open(since: 0, lastReminder: t),
                       .expired(at: t), .cleared(at: t)]
        }
        for value in values {
            try expectSameBytes(value, "\(value)")
            #expect(try decoder.decode(GraceState.self, from: BinaryStateEncoder().encode(value)) == value)
        }
    }

    /// Configs of every plan and mode, NFC and NFD ids, extreme limits, with and
    /// without schemas (non-ASCII text in them), as versions and in a state's core.
    static var configs: [ConfigVersion] {
        var all: [ConfigVersion] = []
        let schemas = try! JSONParser.parse(#"{"caf\#u{E9}":{"required":["order_id"],"properties":{"cafe\#u{301}":"string"}},"x":{}}"#).value.objectValue
        for (index, plan) in Plan.allCases.enumerated() {
            for mode in MAUMode.allCases {
                for ids in [("ws_1", "org_1"), ("caf\u{E9}", "cafe\u{301}"), ("", String(repeating: "o", count: 200))] {
                    var config = WorkspaceConfig(workspaceID: ids.0, orgID: ids.1, plan: plan, mauMode: mode, consentMode: index % 2 == 0,
                                                 consentDefaultGranted: index < 2, schemas: index % 2 == 1 ? schemas : nil)
                    let edge = Self.extremes[(index * 3) % Self.extremes.count]
                    config.limits.mauIncluded = edge
                    config.limits.workspaceEventsPerSecond = -edge &- 1
                    all.append(ConfigVersion(sequence: edge, timestamp: Self.extremes[index], config: config))
                }
            }
        }
        return all
    }

    @Test func configsAsTheGenericPath() throws {
        let configs = Self.configs
        #expect(configs.contains { $0.config.schemas != nil })
        for version in configs {
            try expectSameBytes(version, "\(version.config.workspaceID) \(version.config.plan)")
            #expect(try decoder.decode(ConfigVersion.self, from: BinaryStateEncoder().encode(version)) == version)
            for maxEntries in [0, 1, Int.max] {
                var state = WorkspaceState(workspaceID: version.config.workspaceID, dedupMaxEntries: maxEntries)
                try expectSameBytes(state, "state without a config")
                state.applied = version
                try expectSameBytes(state, "state of \(version.config.workspaceID)")
            }
        }
    }
}
