// swift-tools-version:6.1
// libFuzzer target over the input parsers of Event Governor (issue 14 item 4). Built
// only by scripts/fuzz with -sanitize=fuzzer, never by the main package's build. The
// sources are the main package's, through symbolic links under Sources/.
import PackageDescription

let package = Package(
    name: "GovernorFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "JSON"),
        .target(name: "RecordFile", dependencies: ["JSON"]),
        .target(
            name: "Governance",
            dependencies: [
                "JSON",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        // The fuzz entry point, compiled together with the changelog decoder sources
        // (Pipeline/Checkpoint, Pipeline/Changelog) so their internal decoders are in reach.
        .executableTarget(name: "GovernorFuzz", dependencies: ["JSON", "Governance", "RecordFile"]),
    ]
)
