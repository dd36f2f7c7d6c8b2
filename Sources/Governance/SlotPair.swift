/// Two slots of state kept per calendar period (a UTC day of messaging caps, a UTC
/// month of usage): SPEC §6.3 counts a record toward the day or month of its own
/// timestamp, and a late record most often belongs to the period just before the
/// latest one. Bounded memory: a period without a slot takes an unused slot, else the
/// slot of the older period (whose state is dropped). The slots never move, so a
/// checkpoint names each one's maps by a fixed position.
public struct SlotPair<Slot: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
    public var first: Slot
    public var second: Slot

    public init(_ first: Slot, _ second: Slot) {
        self.first = first
        self.second = second
    }

    /// Slot 0 or 1. Read in place: a `get` would copy the whole slot (retaining every
    /// map it holds) for each field read.
    public subscript(index: Int) -> Slot {
        _read {
            if index == 0 { yield first } else { yield second }
        }
        _modify {
            if index == 0 { yield &first } else { yield &second }
        }
    }

    /// Slot 0 or 1 in place for `body`: for the hot paths. A read through the
    /// subscript's `_read` takes the pair by value, and copied the whole pair (both
    /// slots, ~200 instructions with the call) for each field read.
    @inline(__always)
    mutating func withSlot<R>(_ index: Int, _ body: (inout Slot) throws -> R) rethrows -> R {
        if index == 0 { return try body(&first) } else { return try body(&second) }
    }
}

/// A slot's period: `UTCCalendar.dayIndex` or `monthIndex`, nil while unused.
protocol PeriodSlot {
    var period: Int64? { get }
    /// Drops what the slot holds and starts `period` in it.
    mutating func start(_ period: Int64)
}

extension SlotPair where Slot: PeriodSlot {
    /// The slot holding `period`, if one does.
    func index(of period: Int64) -> Int? {
        if first.period == period { return 0 }
        if second.period == period { return 1 }
        return nil
    }

    /// The slot a period without one takes: an unused one, else the older period's.
    var reusableIndex: Int {
        guard let a = first.period else { return 0 }
        guard let b = second.period else { return 1 }
        return a <= b ? 0 : 1
    }

    /// The slot of `period`: the one holding it, else the reusable one, started afresh.
    mutating func slot(for period: Int64) -> Int {
        if let held = index(of: period) { return held }
        let slot = reusableIndex
        self[slot].start(period)
        return slot
    }
}
