// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "EventGovernor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "governor", targets: ["governor"]),
        // For Benchmarks/ (a separate package), which can only use products.
        .library(name: "GovernorCore", targets: ["JSON", "Governance", "RecordFile"]),
        .library(name: "GovernorPipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // The system librdkafka plus a header-only shim for what Swift cannot call.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // The system jemalloc, linked into the executable as the process's allocator:
        // the pipeline's threads allocate and free librdkafka messages and Swift buffers
        // across threads, where jemalloc used 13–18 % less CPU per event than glibc's malloc on the
        // means measured (docs/BENCHMARKS.md, session 15).
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // The Swift face of librdkafka. Knows nothing about governance.
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // topics.yaml: the project's topics, their keys and the co-partitioning rule.
        .target(
            name: "Topology",
            dependencies: ["Kafka", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The one HTTP layer (Hummingbird): /metrics, /healthz, /readyz and the routes of each command.
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Fast, order-preserving JSON over raw bytes, shared by every layer.
        .target(name: "JSON", swiftSettings: strictSettings),
        // The JSON-lines record files of SPEC §12.1 (produce, check, demo --input).
        .target(name: "RecordFile", dependencies: ["JSON"], swiftSettings: strictSettings),
        // The governance rules: pure, synchronous, value types, stream time passed in.
        .target(
            name: "Governance",
            dependencies: [
                "JSON",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // Actors, changelog, committer, config table: governance inside Kafka.
        .target(
            name: "Pipeline",
            dependencies: [
                "Kafka", "Governance", "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // DLQ review: the SQLite index of events-dlq (and the usage tables), its
        // follower, filters and replays.
        .target(
            name: "Review",
            dependencies: [
                "Kafka", "Governance", "JSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // `governor console`: the operators' web app over the review index.
        .target(
            name: "Console",
            dependencies: [
                "Review", "Governance", "JSON", "Kafka", "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "governor",
            dependencies: [
                "CJemalloc", "Kafka", "Governance", "Pipeline", "JSON", "RecordFile", "Topology", "HTTPServing", "Review", "Console",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], swiftSettings: strictSettings),
        .testTarget(
            name: "TopologyTests",
            dependencies: ["Topology", "Kafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "HTTPServingTests",
            dependencies: [
                "HTTPServing", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "JSONTests",
            dependencies: ["JSON", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RecordFileTests", dependencies: ["RecordFile", "JSON"], swiftSettings: strictSettings),
        .testTarget(
            name: "GovernanceTests",
            dependencies: [
                "Governance", "JSON", "RecordFile",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReviewTests",
            dependencies: ["Review", "Kafka", "Topology", "Governance", "JSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "HTTPServing", "Review", "Kafka", "Topology", "Governance", "JSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Kafka", "Governance", "JSON", "RecordFile", "Topology", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
