import Review

/// `/usage`: per workspace and month, the figures billing counts against the plan,
/// coloured from 80 % (warn) and 100 % (over) with the limit named; the org's
/// summed connection peak; the notifications sent. Rendered on the server from the
/// index's tables (usage, org-usage, governance-notifications, workspace-config).
struct UsagePage {
    let index: ReviewIndex

    func render() throws -> String {
        let rows = try index.workspaceUsage()
        let orgs = try index.orgPeaks()
        let notifications = try index.sentNotifications()
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Usage · Event Governor</title>
            <style>\(consoleStyle)</style></head><body>
            <header><strong>Event Governor</strong><a href="/">DLQ review</a><a class="here" href="/usage">Usage</a></header>
            <main><h2>Workspaces by month</h2>
            <p class="muted">Cells turn <span class="pill warn">amber</span> at 80 % of the plan and
            <span class="pill over">red</span> at 100 %; the last column says which limit.</p>
            <table id="usage"><thead><tr><th>Workspace</th><th>Org</th><th>Plan</th><th>Month</th><th>MAU mode</th>
            <th>MAU / included</th><th>Peak connections / plan</th><th>Accepted events / monthly volume</th>
            <th>Overage packs</th><th>Status</th></tr></thead><tbody>
            """
        if rows.isEmpty {
            html += #"<tr><td colspan="10" class="muted">No usage snapshots yet.</td></tr>"#
        }
        for row in rows {
            let mau = Figure(value: row.mau, limit: row.mauIncluded, name: "MAU")
            let connections = row.mauMode == "connections"
                ? Figure(value: row.connectionsPeak, limit: row.peakConcurrentConnections, name: "peak connections") : nil
            let events = Figure(value: row.acceptedEventsMonth, limit: row.eventsPerMonth, name: "monthly volume")
            let crossed = [mau, connections, events].compactMap { $0 }.filter { $0.level != "ok" }
            let status = crossed.isEmpty ? #"<span class="pill ok">within plan</span>"#
                : crossed.map { #"<span class="pill \#($0.level)">\#(escapeHTML($0.why))</span>"# }.joined(separator: " ")
            html += """
                <tr data-workspace="\(escapeHTML(row.workspaceID))"><td>\(escapeHTML(row.workspaceID))</td>
                <td>\(escapeHTML(row.orgID ?? "?"))</td><td>\(escapeHTML(row.plan ?? "unknown config"))</td>
                <td>\(escapeHTML(row.month))</td><td>\(escapeHTML(row.mauMode))</td>
                \(mau.cell)\(connections?.cell ?? #"<td class="muted">— (not connections mode)</td>"#)\(events.cell)
                <td>\(grouped(row.overagePacks))</td><td>\(status)</td></tr>
                """
        }
        html += """
            </tbody></table><h2>Org connection peaks (sum of the workspaces' monthly peaks)</h2>
            <table id="orgs"><thead><tr><th>Org</th><th>Month</th><th>Summed peak</th><th>Plans' sum</th><th>Per workspace</th></tr></thead><tbody>
            """
        if orgs.isEmpty { html += #"<tr><td colspan="5" class="muted">No org peaks (connections-mode workspaces report them).</td></tr>"# }
        for org in orgs {
            let figure = Figure(value: org.peakSum, limit: org.planSum, name: "summed peak")
            html += """
                <tr><td>\(escapeHTML(org.orgID))</td><td>\(escapeHTML(org.month))</td>\(figure.cell)
                <td>\(org.planSum.map(grouped) ?? "?")</td>
                <td>\(org.peaks.sorted { $0.key < $1.key }.map { "\(escapeHTML($0.key)): \(grouped($0.value))" }.joined(separator: ", "))</td></tr>
                """
        }
        html += """
            </tbody></table><h2>Notifications sent</h2>
            <table id="notifications"><thead><tr><th>Stream time</th><th>Org</th><th>Workspace</th><th>Cap type</th><th>Level</th><th>Month</th><th>Surfaces</th></tr></thead><tbody>
            """
        if notifications.isEmpty { html += #"<tr><td colspan="7" class="muted">None.</td></tr>"# }
        for note in notifications {
            html += """
                <tr><td>\(DLQTime.iso8601(note.streamTimeMs))</td><td>\(escapeHTML(note.orgID))</td>
                <td>\(escapeHTML(note.workspaceID ?? ""))</td><td>\(escapeHTML(note.capType))</td>
                <td>\(note.level.map { "\($0) %" } ?? "")</td><td>\(escapeHTML(note.month ?? ""))</td>
                <td>\(escapeHTML(note.surfaces.joined(separator: ", ")))</td></tr>
                """
        }
        html += "</tbody></table></main></body></html>"
        return html
    }
}

/// A figure against its plan limit: the percentage and its colour.
struct Figure {
    let value: Int64
    /// nil: unknown plan; −1: unlimited.
    let limit: Int64?
    let name: String

    /// `ok`, `warn` (≥ 80 %) or `over` (≥ 100 %), in integer arithmetic as the thresholds are.
    var level: String {
        guard let limit, limit > 0 else { return limit == 0 && value > 0 ? "over" : "ok" }
        let scaled = Int128(value) * 100
        if scaled >= Int128(limit) * 100 { return "over" }
        if scaled >= Int128(limit) * 80 { return "warn" }
        return "ok"
    }

    var percent: String? {
        guard let limit, limit > 0 else { return nil }
        return String(Int128(value) * 100 / Int128(limit)) + " %"
    }

    var why: String {
        "\(name) \(percent ?? "") of \(limit.map(grouped) ?? "?")" + (level == "over" ? " (limit reached)" : " (80 % threshold)")
    }

    var cell: String {
        let limitText = limit.map { $0 < 0 ? "unlimited" : grouped($0) } ?? "?"
        return #"<td class="\#(level)" data-level="\#(level)">\#(grouped(value)) / \#(limitText)\#(percent.map { " (\($0))" } ?? "")</td>"#
    }
}
