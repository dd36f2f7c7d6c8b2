// swift-tools-version:6.1
// Micro-benchmarks of the hot pieces (ordo-one/package-benchmark), a separate
// package so that the test run and CI never build it:
//   cd Benchmarks && swift package benchmark
// Figures and how to read them: docs/BENCHMARKS.md.
import PackageDescription
import class Foundation.NSString

/// A path dependency's identity is its directory's name (the checkout's, which differs
/// between clones), not the name in its manifest.
let rootIdentity = ((#filePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
    .components(separatedBy: "/").last!.lowercased()

let package = Package(
    name: "EventGovernorBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GovernorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GovernorCore", package: rootIdentity),
                .product(name: "GovernorPipeline", package: rootIdentity),
            ],
            path: "Benchmarks/GovernorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
