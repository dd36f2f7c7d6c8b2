/// Changelog keys of a partition's state entries:
/// - `c` + workspace: a workspace's scalars (its state without map contents);
/// - `m` + workspace + map path + entry key: one map entry of a workspace;
/// - `o` + map path + entry key: one map entry of the org stage.
/// Strings are length-prefixed (2 bytes, big-endian), so any bytes may appear in them,
/// and in NFC (`canonicalSpelling`), so equal strings give equal keys.
enum StateKey: Equatable {
    case core(workspace: String)
    case mapEntry(workspace: String, path: String, key: [UInt8])
    case orgEntry(path: String, key: [UInt8])

    var bytes: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .core(let ws):
            out.append(UInt8(ascii: "c"))
            Self.append(ws, to: &out)
        case .mapEntry(let ws, let path, let key):
            out.append(UInt8(ascii: "m"))
            Self.append(ws, to: &out)
            Self.append(path, to: &out)
            out.append(contentsOf: key)
        case .orgEntry(let path, let key):
            out.append(UInt8(ascii: "o"))
            Self.append(path, to: &out)
            out.append(contentsOf: key)
        }
        return out
    }

    init?(bytes: [UInt8]) {
        var index = 1
        guard let kind = bytes.first else { return nil }
        switch kind {
        case UInt8(ascii: "c"):
            guard let ws = Self.read(bytes, &index), index == bytes.count else { return nil }
            self = .core(workspace: ws)
        case UInt8(ascii: "m"):
            guard let ws = Self.read(bytes, &index), let path = Self.read(bytes, &index) else { return nil }
            self = .mapEntry(workspace: ws, path: path, key: Array(bytes[index...]))
        case UInt8(ascii: "o"):
            guard let path = Self.read(bytes, &index) else { return nil }
            self = .orgEntry(path: path, key: Array(bytes[index...]))
        default:
            return nil
        }
    }

    /// The bytes of a map entry's key before its map path: `m` + workspace, or `o` for
    /// the org stage (nil), after `prefix` (the changelog's key prefix).
    static func mapOwner(workspace: String?, after prefix: [UInt8]) -> [UInt8] {
        var out = prefix
        if let workspace {
            out.append(UInt8(ascii: "m"))
            append(workspace, to: &out)
        } else {
            out.append(UInt8(ascii: "o"))
        }
        return out
    }

    /// `owner` (from `mapOwner`) followed by the map path: what every entry key of
    /// that map starts with.
    static func mapPrefix(owner: [UInt8], path: String) -> [UInt8] {
        var out = owner
        append(path, to: &out)
        return out
    }

    private static func append(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.canonicalSpelling.utf8
        out.append(UInt8(truncatingIfNeeded: utf8.count >> 8))
        out.append(UInt8(truncatingIfNeeded: utf8.count))
        out.append(contentsOf: utf8)
    }

    private static func read(_ bytes: [UInt8], _ index: inout Int) -> String? {
        guard index + 2 <= bytes.count else { return nil }
        let n = Int(bytes[index]) << 8 | Int(bytes[index + 1])
        index += 2
        guard index + n <= bytes.count else { return nil }
        defer { index += n }
        return String(decoding: bytes[index..<index + n], as: UTF8.self)
    }
}
