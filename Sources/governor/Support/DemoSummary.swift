import Foundation
import Governance
import JSON
import Kafka
import Pipeline

/// The readable summary `governor demo` prints: verdicts by reason, usage per
/// workspace, notifications, throughput.
struct DemoSummary {
    let dump: [String: [KafkaMessage]]
    let inputRecords: Int
    let elapsed: Duration

    private func values(_ topic: String) -> [JSONValue] {
        (dump[topic] ?? []).compactMap { $0.value.flatMap { try? JSONParser.parse($0).value } }
    }

    func render() -> String {
        var lines: [String] = []
        let seconds = elapsed.seconds
        lines.append("Event Governor demo: \(inputRecords) input records governed in \(String(format: "%.1f", seconds)) s after the group formed (\(Int(Double(inputRecords) / max(seconds, 0.001))) records/s, waiting for commits included)")
        lines.append("")
        lines.append("Verdicts by reason")
        var verdicts: [String: Int] = [:]
        var settlements = 0
        for topic in [Topic.eventsAccepted, Topic.eventsFiltered, Topic.eventsDeferred, Topic.eventsRateLimited, Topic.eventsOverCap] {
            for value in values(topic) {
                let settled = value["governance"]?["released_from_deferral"]?.boolValue == true
                    || value["released_from_deferral"]?.boolValue == true || value["expired_from_deferral"]?.boolValue == true
                if settled { settlements += 1; continue }
                let verdict = value["verdict"]?.stringValue ?? value["governance"]?["verdict"]?.stringValue ?? "?"
                verdicts[value["reason"]?.stringValue.map { "\(verdict)/\($0)" } ?? verdict, default: 0] += 1
            }
        }
        var traitFindings = 0
        for value in values(Topic.eventsDLQ) {
            if value["scope"]?.stringValue == "trait" { traitFindings += 1; continue }
            verdicts["dlq/\(value["reason"]?.stringValue ?? "?")", default: 0] += 1
        }
        for value in values(Topic.outboundVerdicts) {
            verdicts["outbound \(value["verdict"]?.stringValue ?? "?")", default: 0] += 1
        }
        for (key, count) in verdicts.sorted(by: { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }) {
            lines.append("  \(pad(key, 32)) \(count)")
        }
        lines.append("  (plus \(settlements) settlements of held events and \(traitFindings) trait findings on events-dlq)")
        lines.append("")
        lines.append("Usage per workspace (latest snapshot)")
        var latest: [String: JSONValue] = [:]
        for value in values(Topic.usage) where value["kind"]?.stringValue == "usage_snapshot" {
            if let ws = value["workspace_id"]?.stringValue { latest[ws] = value }
        }
        lines.append("  \(pad("workspace", 14)) \(pad("month", 8)) \(pad("mau_mode", 23)) \(pad("MAU", 6)) \(pad("peak conn", 10)) accepted")
        for ws in latest.keys.sorted() {
            let v = latest[ws]!
            lines.append("  \(pad(ws, 14)) \(pad(v["month"]?.stringValue ?? "", 8)) \(pad(v["mau_mode"]?.stringValue ?? "", 23)) \(pad(num(v["mau"]), 6)) \(pad(num(v["connections_peak"]), 10)) \(num(v["accepted_events_month"]))")
        }
        let orgPeaks = values(Topic.orgUsage).compactMap { v in v["org_id"]?.stringValue.map { ($0, num(v["peak_sum"])) } }
        if let last = orgPeaks.last { lines.append("  org connection peak: \(last.0) \(last.1)") }
        lines.append("")
        lines.append("Notifications (after the 24 h debounce)")
        var notifications: [String: Int] = [:]
        for value in values(Topic.governanceNotifications) {
            var key = "\(value["org_id"]?.stringValue ?? "?") \(value["cap_type"]?.stringValue ?? "?")"
            if let level = value["level"] { key += " \(level.serialized)%" }
            key += " → \(value["surface"]?.stringValue ?? "?")"
            notifications[key, default: 0] += 1
        }
        for (key, count) in notifications.sorted(by: { $0.key < $1.key }) { lines.append("  \(pad(key, 56)) \(count)") }
        let audit = values(Topic.governanceAudit)
        let graceOpened = audit.filter { $0["kind"]?.stringValue == "grace_opened" }.compactMap { $0["workspace_id"]?.stringValue }
        lines.append("")
        lines.append("Name cap: \(audit.filter { $0["kind"]?.stringValue == "cap_hit" }.count) cap hits; grace opened for \(graceOpened.isEmpty ? "none" : graceOpened.joined(separator: ", "))")
        lines.append("Output records: " + Topic.outputs.map { "\($0) \(dump[$0]?.count ?? 0)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private func num(_ value: JSONValue?) -> String { value?.numberValue?.text ?? "-" }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
