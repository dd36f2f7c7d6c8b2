#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Governance
import Kafka
import Pipeline
import RecordFile

extension BenchStages {
    /// (e) The reference issue 11 measures the pipeline against: a kcat
    /// consume→produce pipe over the same raw events on the same broker,
    /// `kcat -C … | kcat -P …` with kcat's own defaults, timed from the start of the
    /// two processes until the producer has delivered every record and exited.
    ///
    /// Keys and values are framed by the bytes 0x1F and 0x1E (no generated record
    /// holds them; a newline may sit in a hostile one), and the producer partitions by
    /// murmur2 as the bench's and every Java producer do, so the copy lands on the
    /// partitions the original is on (the mock keeps 5 MiB per partition). The copy
    /// is counted afterwards: a pipe that split, merged or lost records fails the stage.
    func kcatPipe(kcat: URL, to topic: String) throws -> StageFigure {
        let raw = records.filter { $0.topic == Topic.rawEvents }
        let bytes = raw.reduce(0) { $0 + ($1.value?.count ?? 0) }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("governor-bench-\(getpid())-kcat.log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let handle = try FileHandle(forWritingTo: errors)
        defer { try? handle.close() }

        let pipe = Process()
        pipe.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Positional parameters, so no broker list or path is ever parsed by the shell.
        pipe.arguments = ["-c", #"""
            "$0" -b "$1" -C -t "$2" -o beginning -e -q -K '\x1f' -D '\x1e' |
            "$0" -b "$1" -P -t "$3" -K '\x1f' -D '\x1e' -X partitioner=murmur2_random
            """#, kcat.path, config.bootstrapServers, Topic.rawEvents, topic]
        pipe.standardInput = FileHandle.nullDevice
        pipe.standardOutput = handle
        pipe.standardError = handle
        let start = ContinuousClock.now
        try pipe.run()
        pipe.waitUntilExit()
        let seconds = (ContinuousClock.now - start).seconds
        let log = String(decoding: (FileManager.default.contents(atPath: errors.path) ?? Data()).suffix(2_000), as: UTF8.self)
        guard pipe.terminationStatus == 0 else {
            throw BenchError("the kcat pipe exited with status \(pipe.terminationStatus):\n\(log)")
        }
        let copied = try recordCount(of: topic)
        guard copied == raw.count else {
            throw BenchError("the kcat pipe copied \(copied) of \(raw.count) raw-events records to \(topic):\n\(log)")
        }
        return StageFigure(records: raw.count, bytes: bytes, seconds: seconds)
    }

    /// Records a topic holds now (high minus low watermark over its partitions).
    private func recordCount(of topic: String) throws -> Int {
        let consumer = try KafkaConsumer(config: config, settings: ConsumerSettings(groupID: nil), logger: logger)
        defer { try? consumer.close() }
        var count: Int64 = 0
        for p in 0..<Int32(try consumer.partitionCount(of: topic)) {
            let marks = try consumer.queryWatermarkOffsets(topic: topic, partition: p)
            count += marks.high - marks.low
        }
        return Int(count)
    }

    /// `kcat` on the PATH, if any.
    static func kcatOnPath() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("kcat")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
