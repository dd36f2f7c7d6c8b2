import Foundation
import JSON

extension MAUReport {
    /// A readable report.
    func table() -> String {
        var lines = ["workspace \(workspaceID), \(month)"]
        if snapshot != nil {
            lines.append("  MAU: \(mau.map(String.init) ?? "?") (mode \(mauMode ?? "?")), overage packs: \(overagePacks.map(String.init) ?? "?")")
            let counted = breakdown.first { $0.reason == "accepted" }?.count ?? 0
            let filtered = breakdown.filter { $0.reason != "accepted" }
            lines.append("  events: \(counted) counted (accepted), \(filtered.reduce(0) { $0 + $1.count }) filtered")
            for (reason, count) in filtered { lines.append("    \(reason): \(count)") }
        } else {
            lines.append("  no usage snapshot for this month (the processor writes one per minute of stream time while usage changes)")
        }
        lines.append("  counted contacts: \(contacts.count) (mau_first_active)")
        if !contacts.isEmpty {
            let width = max(7, contacts.map(\.contactKey.count).max() ?? 0)
            let eventWidth = max(5, contacts.map(\.event.count).max() ?? 0)
            lines.append("    " + pad("contact", width) + "  " + pad("event", eventWidth) + "  message_id")
            for contact in contacts {
                lines.append("    " + pad(contact.contactKey, width) + "  " + pad(contact.event, eventWidth) + "  " + contact.messageID)
            }
        }
        if let orgID {
            if let orgPeakSum {
                lines.append("org \(orgID), \(month): peak concurrent connections \(orgPeakSum) (sum of the workspaces' peaks)")
                for (workspace, peak) in orgPeaks { lines.append("    \(workspace): \(peak)") }
            } else {
                lines.append("org \(orgID), \(month): no connection peaks recorded")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object.
    func json() -> String {
        var object = JSONObject()
        object.appendUnchecked("workspace_id", .string(workspaceID))
        object.appendUnchecked("month", .string(month))
        object.appendUnchecked("mau_mode", mauMode.map { .string($0) } ?? .null)
        object.appendUnchecked("mau", mau.map { .int($0) } ?? .null)
        object.appendUnchecked("overage_packs", overagePacks.map { .int($0) } ?? .null)
        object.appendUnchecked("breakdown", .object(JSONObject(breakdown.map { JSONMember(key: $0.reason, value: .int($0.count)) })))
        object.appendUnchecked("counted_contacts", .array(contacts.map { contact in
            var entry = JSONObject()
            entry.appendUnchecked("contact_key", .string(contact.contactKey))
            entry.appendUnchecked("event", .string(contact.event))
            entry.appendUnchecked("message_id", .string(contact.messageID))
            return .object(entry)
        }))
        if let orgID {
            var org = JSONObject()
            org.appendUnchecked("org_id", .string(orgID))
            org.appendUnchecked("peak_sum", orgPeakSum.map { .int($0) } ?? .null)
            org.appendUnchecked("peaks", .object(JSONObject(orgPeaks.map { JSONMember(key: $0.workspaceID, value: .int($0.peak)) })))
            object.appendUnchecked("org", .object(org))
        }
        return JSONValue.object(object).serialized
    }

    /// One row per fact: `kind,key,value,event,message_id` with kind `summary`,
    /// `breakdown`, `contact` or `org_peak`.
    func csv() -> String {
        var rows = ["kind,key,value,event,message_id"]
        rows.append("summary,mau_mode,\(field(mauMode ?? "")),,")
        rows.append("summary,mau,\(mau.map(String.init) ?? ""),,")
        rows.append("summary,overage_packs,\(overagePacks.map(String.init) ?? ""),,")
        for (reason, count) in breakdown { rows.append("breakdown,\(field(reason)),\(count),,") }
        for contact in contacts {
            rows.append("contact,\(field(contact.contactKey)),1,\(field(contact.event)),\(field(contact.messageID))")
        }
        for (workspace, peak) in orgPeaks { rows.append("org_peak,\(field(workspace)),\(peak),,") }
        if let orgPeakSum { rows.append("org_peak,sum,\(orgPeakSum),,") }
        return rows.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

    private func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
