/// Text made safe for HTML element content and attribute values.
func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// `1,234,567`.
func grouped(_ number: Int64) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}

/// The style shared by the console's pages.
let consoleStyle = """
    body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
    header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:24px;align-items:center}
    header a{color:#cfd6e4;text-decoration:none}header a.here{color:#fff;font-weight:600}
    main{padding:16px 20px}h2{font-size:16px;margin:22px 0 8px}
    table{border-collapse:collapse;background:#fff;width:100%}th,td{border-bottom:1px solid #e3e6eb;padding:5px 8px;text-align:left;vertical-align:top}
    th{background:#eef0f4;font-weight:600}tr.sel{background:#fff6d6}tbody tr:hover{background:#f0f4ff;cursor:pointer}
    .ok{background:#e3f5e6;color:#17602a}.warn{background:#fff1c2;color:#7a5200}.over{background:#fbd9d6;color:#8f1d12}
    .muted{color:#6b7280}.pill{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px}
    form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;background:#fff;padding:10px;border:1px solid #e3e6eb}
    form.filters label{display:flex;flex-direction:column;font-size:12px;color:#4b5563}
    input,select,button{font:inherit;padding:4px 6px}button{cursor:pointer}
    pre{background:#0f1420;color:#d7e0f0;padding:10px;overflow:auto;max-height:360px}
    #detail{background:#fff;border:1px solid #e3e6eb;padding:10px 14px;margin-top:12px}
    dialog{border:1px solid #9aa3b2;max-width:560px}
    """
