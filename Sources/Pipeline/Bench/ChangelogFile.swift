#if canImport(Glibc)
import Glibc
#endif

/// A changelog partition in a file, for `StateScaleBenchmark`: each record as Kafka
/// would hold it (`ChangelogCodec`'s key, value and headers), length-prefixed.
/// Not a production format; it keeps a million-contact changelog out of the memory
/// being measured.
final class ChangelogFileWriter {
    static let namespace = "governor-bench"
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private(set) var records = 0
    /// Key and value bytes of every record (what Kafka stores besides its framing).
    private(set) var bytes = 0

    init(path: String) throws {
        guard let file = fopen(path, "w") else { throw CheckpointError("cannot write \(path)") }
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    deinit { fclose(file) }

    /// One attempt: its clock, its entries (a snapshot's after its begin marker), its commit.
    func attempt(_ attempt: UInt64, offset: Int64, entries: [StateCheckpoint.Entry], snapshot: Bool) throws {
        let offsets = ["raw-events": offset]
        try append(.attemptBegin(AttemptClock(attempt: attempt, wallClockMs: 0, upTo: offsets)))
        if snapshot { try append(.snapshotBegin(attempt: attempt)) }
        for entry in entries { try append(.entry(attempt: attempt, key: entry.key, value: entry.value)) }
        try append(.commit(CommitMarker(attempt: attempt, snapshot: snapshot, offsets: offsets, discarded: [],
                                        entries: entries.count)))
    }

    private func append(_ record: ChangelogRecord) throws {
        let encoded = ChangelogCodec.encode(record, namespace: Self.namespace)
        records += 1
        bytes += encoded.key.count + (encoded.value?.count ?? 0)
        Self.put(UInt32(encoded.key.count), &buffer)
        buffer += encoded.key
        Self.put(encoded.value.map { UInt32($0.count) } ?? UInt32.max, &buffer)
        buffer += encoded.value ?? []
        Self.put(UInt32(encoded.headers.count), &buffer)
        for header in encoded.headers {
            Self.put(UInt32(header.name.utf8.count), &buffer)
            buffer += header.name.utf8
            Self.put(UInt32(header.value.count), &buffer)
            buffer += header.value
        }
        if buffer.count >= 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        guard fflush(file) == 0 else { throw CheckpointError("cannot write the changelog file") }
    }

    private func flush() throws {
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else { throw CheckpointError("cannot write the changelog file") }
        buffer.removeAll(keepingCapacity: true)
    }

    static func put(_ n: UInt32, _ out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: n >> 24))
        out.append(UInt8(truncatingIfNeeded: n >> 16))
        out.append(UInt8(truncatingIfNeeded: n >> 8))
        out.append(UInt8(truncatingIfNeeded: n))
    }
}

enum ChangelogFileReader {
    /// Decodes every record of the file in order, as `ChangelogRestorer` decodes a polled message.
    static func read(path: String, _ body: (ChangelogRecord, Int) -> Void) throws {
        guard let file = fopen(path, "r") else { throw CheckpointError("cannot read \(path)") }
        defer { fclose(file) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var data: [UInt8] = []
        var offset: Int64 = 0
        var start = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            data.removeSubrange(0..<start)
            start = 0
            data += chunk[0..<n]
            while let (record, size, end) = try next(data, from: start, offset: offset) {
                body(record, size)
                start = end
                offset += 1
            }
        }
        guard start == data.count else { throw CheckpointError("the changelog file ends inside a record") }
    }

    private static func next(_ data: [UInt8], from start: Int, offset: Int64) throws -> (ChangelogRecord, Int, Int)? {
        var index = start
        func length() -> Int? {
            guard index + 4 <= data.count else { return nil }
            defer { index += 4 }
            return Int(data[index]) << 24 | Int(data[index + 1]) << 16 | Int(data[index + 2]) << 8 | Int(data[index + 3])
        }
        func bytes(_ n: Int) -> [UInt8]? {
            guard index + n <= data.count else { return nil }
            defer { index += n }
            return Array(data[index..<index + n])
        }
        guard let keyLength = length(), let key = bytes(keyLength), let valueLength = length() else { return nil }
        var value: [UInt8]?
        if valueLength != Int(UInt32.max) {
            guard let v = bytes(valueLength) else { return nil }
            value = v
        }
        guard let headerCount = length() else { return nil }
        var headers: [(name: String, value: [UInt8]?)] = []
        for _ in 0..<headerCount {
            guard let nameLength = length(), let name = bytes(nameLength), let valueLength = length(),
                let headerValue = bytes(valueLength)
            else { return nil }
            headers.append((name: String(decoding: name, as: UTF8.self), value: Optional(headerValue)))
        }
        guard let record = try ChangelogCodec.decode(key: key, value: value, headers: headers, offset: offset,
                                                     namespace: ChangelogFileWriter.namespace)
        else { throw CheckpointError("changelog file record \(offset) of another namespace") }
        return (record, key.count + (value?.count ?? 0), index)
    }
}
