/// A progress line for the processor's log every 10 seconds while it runs.
struct ProgressReport {
    var records = 0
    private var reported = 0
    private var last = ContinuousClock.now
    private let every: Duration = .seconds(10)

    mutating func lineIfDue(partitions: Int) -> String? {
        let now = ContinuousClock.now
        guard now - last >= every else { return nil }
        let rate = Double(records - reported) / (now - last).seconds
        defer {
            last = now
            reported = records
        }
        return "governed \(records) records so far (\(Int(rate)) records/s over the last 10 s), \(partitions) partitions assigned"
    }
}
