/// Keeping secrets out of logs and `ps` (issue 14 item 6): which properties are
/// secret, how a config prints, and `-F FILE` properties files (as kcat reads them).
extension KafkaConfig {
    /// True for a librdkafka property whose value must never be logged or printed: any
    /// key containing `password`, `secret` or `token` (case-insensitively), and
    /// `sasl.oauthbearer.config` (it carries client credentials).
    public static func isSecret(key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered.contains("password") || lowered.contains("secret") || lowered.contains("token")
            || lowered.hasPrefix("sasl.oauthbearer.config")
    }

    /// `value`, or `***` when `key` is secret: the only spelling of a property value in
    /// messages and logs.
    public static func printable(key: String, value: String) -> String {
        isSecret(key: key) ? "***" : value
    }

    /// `text` with every occurrence of a secret value of `properties` replaced by `***`:
    /// librdkafka's own messages may quote the value they rejected.
    static func redacting(_ text: String, secretsOf properties: [String: String]) -> String {
        var result = text
        for (key, value) in properties where isSecret(key: key) && !value.isEmpty {
            result = result.replacingAll(value, with: "***")
        }
        return result
    }

    /// Reads the lines of a properties file (`-F FILE`): `key=value` per line, blank lines
    /// and lines starting with `#` ignored, key and value trimmed of spaces and tabs (the
    /// value is everything after the first `=`, so it may contain `=`). Errors name the
    /// file and line, never the line's text (it may hold a secret).
    public static func parseProperties(text: String, source: String) throws(KafkaError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = String(rawLine).trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else {
                throw .invalidConfig("\(source):\(index + 1): not a key=value line",
                                     fix: "write one librdkafka property per line as key=value; # starts a comment")
            }
            result.append((String(trimmed[..<equals]).trimmingSpaces,
                           String(trimmed[trimmed.index(after: equals)...]).trimmingSpaces))
        }
        return result
    }
}

extension KafkaConfig: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The config with secret values as `***`, so that logging a config leaks nothing.
    public var description: String {
        let shown = properties.keys.sorted().map { "\($0)=\(Self.printable(key: $0, value: properties[$0]!))" }
        return "KafkaConfig(bootstrap.servers=\(bootstrapServers), client.id=\(clientID)"
            + (debug.map { ", debug=\($0)" } ?? "") + (shown.isEmpty ? "" : ", " + shown.joined(separator: ", ")) + ")"
    }

    public var debugDescription: String { description }

    /// `dump` and reflection show the redacted properties too.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "bootstrapServers": bootstrapServers, "clientID": clientID, "debug": debug as Any,
            "properties": properties.mapValues { _ in "***" }.merging(properties.filter { !Self.isSecret(key: $0.key) }) { $1 },
        ])
    }
}

extension String {
    /// `self` with every non-overlapping occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
