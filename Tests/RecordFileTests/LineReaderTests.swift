import Foundation
import Testing
@testable import RecordFile

/// `LineReader` gives the file's lines (without `\n` and a `\r` before it) whether a
/// line lies whole in the buffer (one array of its bytes) or across refills.
@Suite struct LineReaderTests {
    @Test(arguments: [7, 16, 64, 1 << 16])
    func linesWithinAndAcrossChunksAreTheFilesLines(chunkSize: Int) throws {
        var state: UInt64 = 9
        func below(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var expected: [[UInt8]] = []
        var data: [UInt8] = []
        for _ in 0..<400 {
            let line = (0..<below(150)).map { _ in UInt8(ascii: "a") + UInt8(below(26)) }
            expected.append(line)
            data += line
            data += below(3) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        data += [UInt8]("last".utf8)  // no newline at the end
        expected.append(Array("last".utf8))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).txt")
        try Data(data).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        #expect(fd >= 0)
        var reader = LineReader(fd: fd, closeWhenDone: true, chunkSize: chunkSize)
        var lines: [[UInt8]] = []
        while let line = try reader.nextLine() { lines.append(line) }
        #expect(lines == expected)
    }
}
