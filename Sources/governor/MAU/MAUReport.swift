import JSON

/// A workspace's month as the `usage` and `org-usage` topics tell it (SPEC §8): the
/// counted contacts with the event that made each count, and the latest usage snapshot
/// (MAU in the workspace's mode, breakdown by reason, overage packs), plus, for an org,
/// the latest connection peaks per workspace and their sum.
struct MAUReport: Equatable {
    struct CountedContact: Equatable {
        var contactKey: String
        var event: String
        var messageID: String
    }

    var workspaceID: String
    var month: String
    var contacts: [CountedContact] = []
    /// The latest `usage_snapshot` of the month, nil when none was written.
    var snapshot: JSONObject?
    var orgID: String?
    /// Workspace → the month's peak concurrent connections, from the latest org record.
    var orgPeaks: [(workspaceID: String, peak: Int64)] = []
    var orgPeakSum: Int64?
    /// Records that were not JSON objects (skipped).
    var unreadable = 0

    init(workspaceID: String, month: String, orgID: String? = nil) {
        self.workspaceID = workspaceID
        self.month = month
        self.orgID = orgID
    }

    static func == (a: MAUReport, b: MAUReport) -> Bool {
        a.workspaceID == b.workspaceID && a.month == b.month && a.contacts == b.contacts && a.snapshot == b.snapshot
            && a.orgID == b.orgID && a.orgPeaks.elementsEqual(b.orgPeaks, by: { $0 == $1 }) && a.orgPeakSum == b.orgPeakSum
    }

    /// Takes one `usage` record value, in topic order.
    mutating func addUsage(_ value: [UInt8]?) {
        guard let object = parse(value) else { return }
        guard object["workspace_id"]?.stringValue == workspaceID, object["month"]?.stringValue == month else { return }
        switch object["kind"]?.stringValue {
        case "mau_first_active":
            contacts.append(CountedContact(
                contactKey: object["contact_key"]?.stringValue ?? "?", event: object["event"]?.stringValue ?? "?",
                messageID: object["message_id"]?.stringValue ?? "?"))
        case "usage_snapshot":
            snapshot = object
        default:
            break
        }
    }

    /// Takes one `org-usage` record value, in topic order.
    mutating func addOrgUsage(_ value: [UInt8]?) {
        guard let orgID, let object = parse(value), object["kind"]?.stringValue == "org_connections_peak",
            object["org_id"]?.stringValue == orgID, object["month"]?.stringValue == month
        else { return }
        orgPeaks = (object["peaks"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value.numberValue?.int64Value ?? 0) }
        orgPeakSum = object["peak_sum"]?.numberValue?.int64Value
    }

    private mutating func parse(_ value: [UInt8]?) -> JSONObject? {
        guard let value, let object = (try? JSONParser.parse(value))?.value.objectValue else {
            unreadable += 1
            return nil
        }
        return object
    }

    var mauMode: String? { snapshot?["mau_mode"]?.stringValue }
    var mau: Int64? { snapshot?["mau"]?.numberValue?.int64Value }
    var overagePacks: Int64? { snapshot?["overage_packs"]?.numberValue?.int64Value }
    /// Reason → verdicts this month (`accepted` is counted, the rest filtered).
    var breakdown: [(reason: String, count: Int64)] {
        (snapshot?["breakdown"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value.numberValue?.int64Value ?? 0) }
    }
}
