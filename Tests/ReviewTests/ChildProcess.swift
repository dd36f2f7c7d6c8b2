import Foundation

// Child processes for the end-to-end review tests: `governor run` in the
// background and `governor dlq …` commands run to completion.

/// The repository root (this file is Tests/ReviewTests/ChildProcess.swift).
let reviewRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct ReviewTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `governor` executable of this build: `GOVERNOR_BINARY`, next to the test
/// bundle, or `<repo>/.build/debug/governor`.
func governorBinary() throws -> URL {
    var candidates: [URL] = []
    if let explicit = ProcessInfo.processInfo.environment["GOVERNOR_BINARY"], !explicit.isEmpty {
        candidates.append(URL(fileURLWithPath: explicit))
    }
    for bundle in [Bundle.main] + Bundle.allBundles {
        candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("governor"))
        candidates.append(bundle.bundleURL.appendingPathComponent("governor"))
    }
    if let first = CommandLine.arguments.first {
        candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("governor"))
    }
    candidates.append(reviewRepoRoot.appendingPathComponent(".build/debug/governor"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }) else {
        throw ReviewTestError("the governor executable was not found (build with `swift build --build-tests` or set GOVERNOR_BINARY)")
    }
    return found
}

/// Runs `governor arguments` to its end (at most `timeout`): exit status, stdout, stderr.
func runGovernor(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> (status: Int32, out: String, err: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("review-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outURL = directory.appendingPathComponent("out"), errURL = directory.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = try governorBinary()
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        throw ReviewTestError("governor \(arguments.joined(separator: " ")) did not finish within \(timeout)")
    }
    try out.close()
    try err.close()
    return (process.terminationStatus,
            String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// A background `governor` process (e.g. `run`), stopped by its pid when the test ends.
final class BackgroundGovernor {
    let process = Process()
    let log: URL

    init(_ arguments: [String]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("review-bg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = try governorBinary()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }
}

/// Polls `condition` every 200 ms until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
