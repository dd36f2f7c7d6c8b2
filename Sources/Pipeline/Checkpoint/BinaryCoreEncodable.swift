import Governance
import JSON

/// A value holding `TrackedMap`s that the core encoder (`.omitTrackedMapContents`)
/// writes directly: each map as the empty container the generic path writes for it,
/// every other field as its `encode(to:)` does. Only that encoder takes this path (any
/// other writes the maps' contents, through `encode(to:)`), so the bytes depend on
/// nothing but `canonicalStrings`. `BinaryStateCoderStateTests` and
/// `BinaryStateEncodableTests` compare it with the generic path.
protocol BinaryCoreEncodable {
    /// Appends this value's slot to `out` with its maps empty; strings in NFC when
    /// `canonicalStrings`.
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8])
}

extension BinaryKeyedWriter {
    /// A `TrackedMap` in a core: the empty container.
    mutating func emptyMap(_ key: StaticString, into out: inout [UInt8]) {
        entry(key, into: &out) { BinaryWire.writeEmptyContainer(into: &$0) }
    }
}

/// `encode(to:)` (custom): workspaceID, clock if present, months, rolling, connections,
/// capHits, changedSinceSnapshotCheck — here in key order.
extension UsageMeter: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("capHits", into: &out) { capHits.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("changedSinceSnapshotCheck", into: &out) { BinaryWire.writeBool(changedSinceSnapshotCheck, into: &$0) }
            if let clock { writer.entry("clock", into: &out) { BinaryWire.writeSigned(clock, into: &$0) } }
            // ConnectionMeter's `encode(to:)`: its two maps.
            writer.entry("connections", into: &out) { out in
                BinaryKeyedWriter.write(into: &out) { writer, out in
                    writer.emptyMap("open", into: &out)
                    writer.emptyMap("openedAt", into: &out)
                }
            }
            writer.entry("months", into: &out) { months.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            // RollingIdentifiedMAU's `encode(to:)`: its one map.
            writer.entry("rolling", into: &out) { out in
                BinaryKeyedWriter.write(into: &out) { writer, out in writer.emptyMap("lastIdentified", into: &out) }
            }
            writer.entry("workspaceID", into: &out) {
                BinaryWire.writeString(canonicalStrings ? workspaceID.canonicalSpelling : workspaceID, into: &$0)
            }
        }
    }
}

extension SlotPair: BinaryCoreEncodable where Slot: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("first", into: &out) { first.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("second", into: &out) { second.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
        }
    }
}

/// Synthesized `encode(to:)`: optionals left out when nil.
extension UsageMonth: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("acceptedEvents", into: &out) { BinaryWire.writeSigned(acceptedEvents, into: &$0) }
            writer.emptyMap("activeContacts", into: &out)
            writer.entry("breakdown", into: &out) { breakdown.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            if let clock { writer.entry("clock", into: &out) { BinaryWire.writeSigned(clock, into: &$0) } }
            writer.emptyMap("connectedContacts", into: &out)
            if let lastSnapshotAt { writer.entry("lastSnapshotAt", into: &out) { BinaryWire.writeSigned(lastSnapshotAt, into: &$0) } }
            writer.entry("mauLevels", into: &out) { mauLevels.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            if let mauReachedAt { writer.entry("mauReachedAt", into: &out) { BinaryWire.writeSigned(mauReachedAt, into: &$0) } }
            if let month { writer.entry("month", into: &out) { BinaryWire.writeSigned(month, into: &$0) } }
            writer.entry("pccLevels", into: &out) { pccLevels.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("peak", into: &out) { BinaryWire.writeSigned(peak, into: &$0) }
            writer.entry("quotaExceededRequested", into: &out) { BinaryWire.writeBool(quotaExceededRequested, into: &$0) }
        }
    }
}

/// Synthesized: `counts`, a `[String: Int64]` (a keyed container, its entries in key
/// order; the keys as they are, as a keyed container writes keys), and `settlements`.
extension UsageBreakdown: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("counts", into: &out) { out in
                let sorted = counts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                BinaryKeyedWriter.write(into: &out) { writer, out in
                    for (reason, count) in sorted {
                        writer.dictionaryEntry(reason, into: &out) { BinaryWire.writeSigned(count, into: &$0) }
                    }
                }
            }
            writer.entry("settlements", into: &out) { BinaryWire.writeSigned(settlements, into: &$0) }
        }
    }
}

/// Synthesized: `reached`, an `[Int]`.
extension ThresholdLevels: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("reached", into: &out) { out in
                BinaryUnkeyedWriter.write(count: reached.count, into: &out) { out in
                    for level in reached { BinaryWire.writeSigned(Int64(level), into: &out) }
                }
            }
        }
    }
}

/// Synthesized: `counts`, an `[Int64: Int64]` (an array of key, value, key, …, its
/// pairs sorted by their bytes as the encoder sorts a `Dictionary`), and `latestHour`
/// if present.
extension HourlyCounts: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("counts", into: &out) { out in
                // Keys are distinct, so their slots alone order the pairs.
                let pairs = counts.map { hour, count -> ([UInt8], Int64) in
                    var slot: [UInt8] = []
                    BinaryWire.writeSigned(hour, into: &slot)
                    return (slot, count)
                }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
                BinaryUnkeyedWriter.write(count: 2 * pairs.count, into: &out) { out in
                    for (hour, count) in pairs {
                        out.append(contentsOf: hour)
                        BinaryWire.writeSigned(count, into: &out)
                    }
                }
            }
            if let latestHour { writer.entry("latestHour", into: &out) { BinaryWire.writeSigned(latestHour, into: &$0) } }
        }
    }
}

extension String {
    /// The string as a `BinaryEncoding` writes it: in NFC when `canonical`.
    @inline(__always)
    func spelled(canonical: Bool) -> String { canonical ? canonicalSpelling : self }
}

/// Synthesized: `applied` if present, the components, `workspaceID`.
extension WorkspaceState: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            if let applied { writer.entry("applied", into: &out) { applied.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) } }
            writer.entry("consent", into: &out) { consent.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("dedup", into: &out) { dedup.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            writer.emptyMap("deletedContacts", into: &out)
            writer.entry("messaging", into: &out) { messaging.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("meter", into: &out) { meter.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            // RateLimiter (synthesized): its one map.
            writer.entry("rateLimiter", into: &out) { out in
                BinaryKeyedWriter.write(into: &out) { writer, out in writer.emptyMap("buckets", into: &out) }
            }
            writer.entry("registry", into: &out) { registry.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("workspaceID", into: &out) { BinaryWire.writeString(workspaceID.spelled(canonical: canonicalStrings), into: &$0) }
        }
    }
}

/// Synthesized: consents, expiryIndex (its buckets a map, `lowestBucket` if present),
/// holds, nextHoldID.
extension ConsentLedger: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.emptyMap("consents", into: &out)
            writer.entry("expiryIndex", into: &out) { out in
                BinaryKeyedWriter.write(into: &out) { writer, out in
                    writer.emptyMap("buckets", into: &out)
                    if let lowest = expiryIndex.lowestBucket {
                        writer.entry("lowestBucket", into: &out) { BinaryWire.writeSigned(lowest, into: &$0) }
                    }
                }
            }
            writer.emptyMap("holds", into: &out)
            writer.entry("nextHoldID", into: &out) { BinaryWire.writeSigned(nextHoldID, into: &$0) }
        }
    }
}

/// `encode(to:)` (custom): maxEntries, allowedLateness, segments — here in key order.
extension DedupWindow: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("allowedLateness", into: &out) { BinaryWire.writeSigned(allowedLateness, into: &$0) }
            writer.entry("maxEntries", into: &out) { BinaryWire.writeSigned(Int64(maxEntries), into: &$0) }
            writer.emptyMap("segments", into: &out)
        }
    }
}

/// `encode(to:)` (custom): the day slots, each (synthesized) its counts and `day` if present.
extension MessagingCaps: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("days", into: &out) { days.writeBinaryCore(canonicalStrings: canonicalStrings, into: &$0) }
        }
    }
}

extension MessagingCaps.Day: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.emptyMap("counts", into: &out)
            if let day { writer.entry("day", into: &out) { BinaryWire.writeSigned(day, into: &$0) } }
        }
    }
}

/// Synthesized: grace, names.
extension NameRegistry: BinaryCoreEncodable {
    func writeBinaryCore(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("grace", into: &out) { grace.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.emptyMap("names", into: &out)
        }
    }
}

/// Synthesized enum coding: one entry, the case's name, holding a keyed container of
/// its associated values (empty for `neverOpened`; a nil `lastReminder` left out).
extension GraceState: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            switch self {
            case .neverOpened:
                writer.entry("neverOpened", into: &out) { BinaryWire.writeEmptyContainer(into: &$0) }
            case .open(let since, let lastReminder):
                writer.entry("open", into: &out) { out in
                    BinaryKeyedWriter.write(into: &out) { writer, out in
                        if let lastReminder { writer.entry("lastReminder", into: &out) { BinaryWire.writeSigned(lastReminder, into: &$0) } }
                        writer.entry("since", into: &out) { BinaryWire.writeSigned(since, into: &$0) }
                    }
                }
            case .expired(let at):
                writer.entry("expired", into: &out) { out in
                    BinaryKeyedWriter.write(into: &out) { writer, out in writer.entry("at", into: &out) { BinaryWire.writeSigned(at, into: &$0) } }
                }
            case .cleared(let at):
                writer.entry("cleared", into: &out) { out in
                    BinaryKeyedWriter.write(into: &out) { writer, out in writer.entry("at", into: &out) { BinaryWire.writeSigned(at, into: &$0) } }
                }
            }
        }
    }
}

/// Synthesized: config, sequence, timestamp.
extension ConfigVersion: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("config", into: &out) { config.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("sequence", into: &out) { BinaryWire.writeSigned(sequence, into: &$0) }
            writer.entry("timestamp", into: &out) { BinaryWire.writeSigned(timestamp, into: &$0) }
        }
    }
}

/// Synthesized; the enums as their raw values, `schemas` (if present) as its compact
/// JSON text (`JSONObject`'s `encode(to:)`).
extension WorkspaceConfig: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("consentDefaultGranted", into: &out) { BinaryWire.writeBool(consentDefaultGranted, into: &$0) }
            writer.entry("consentMode", into: &out) { BinaryWire.writeBool(consentMode, into: &$0) }
            writer.entry("limits", into: &out) { limits.writeBinaryState(canonicalStrings: canonicalStrings, into: &$0) }
            writer.entry("mauMode", into: &out) { BinaryWire.writeString(mauMode.rawValue.spelled(canonical: canonicalStrings), into: &$0) }
            writer.entry("orgID", into: &out) { BinaryWire.writeString(orgID.spelled(canonical: canonicalStrings), into: &$0) }
            writer.entry("plan", into: &out) { BinaryWire.writeString(plan.rawValue.spelled(canonical: canonicalStrings), into: &$0) }
            if let schemas {
                writer.entry("schemas", into: &out) {
                    BinaryWire.writeString(JSONValue.object(schemas).serialized.spelled(canonical: canonicalStrings), into: &$0)
                }
            }
            writer.entry("workspaceID", into: &out) { BinaryWire.writeString(workspaceID.spelled(canonical: canonicalStrings), into: &$0) }
        }
    }
}

/// Synthesized: eight figures, here in key order.
extension Limits: BinaryStateEncodable {
    func writeBinaryState(canonicalStrings: Bool, into out: inout [UInt8]) {
        BinaryKeyedWriter.write(into: &out) { writer, out in
            writer.entry("contactEventsPerSecond", into: &out) { BinaryWire.writeSigned(contactEventsPerSecond, into: &$0) }
            writer.entry("eventsPerMonth", into: &out) { BinaryWire.writeSigned(eventsPerMonth, into: &$0) }
            writer.entry("mauIncluded", into: &out) { BinaryWire.writeSigned(mauIncluded, into: &$0) }
            writer.entry("messagesPerContactPerDay", into: &out) { BinaryWire.writeSigned(messagesPerContactPerDay, into: &$0) }
            writer.entry("peakConcurrentConnections", into: &out) { BinaryWire.writeSigned(peakConcurrentConnections, into: &$0) }
            writer.entry("sourceEventsPerSecond", into: &out) { BinaryWire.writeSigned(sourceEventsPerSecond, into: &$0) }
            writer.entry("uniqueEventNames", into: &out) { BinaryWire.writeSigned(uniqueEventNames, into: &$0) }
            writer.entry("workspaceEventsPerSecond", into: &out) { BinaryWire.writeSigned(workspaceEventsPerSecond, into: &$0) }
        }
    }
}
