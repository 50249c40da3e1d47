// swift-tools-version: 6.1
import PackageDescription

// Swift 6 language mode (strict concurrency) comes with tools 6.x; ExistentialAny keeps
// existentials visible at every use site.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let nio = "swift-nio"

let package = Package(
    name: "anankor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "anankor", targets: ["anankor"]),
        .library(name: "DiscordKit", targets: ["DiscordKit"]),
        .library(name: "LavalinkKit", targets: ["LavalinkKit"]),
        .library(name: "RedisKit", targets: ["RedisKit"]),
        .library(name: "DynamoKit", targets: ["DynamoKit"]),
        .library(name: "DiscordEmulator", targets: ["DiscordEmulator"]),
        .library(name: "LavalinkEmulator", targets: ["LavalinkEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP/HTTP only: the gRPC exporter would pull in grpc-swift for nothing.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // MARK: Clients: protocol libraries with no Anankor knowledge.
        .target(
            name: "DiscordKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOWebSocket", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LavalinkKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RedisKit",
            dependencies: [
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DynamoKit",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Domain and adapters.
        .target(
            name: "AnankorCore",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnankorEmbedded",
            dependencies: [
                "AnankorCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnankorDistributed",
            dependencies: [
                "AnankorCore", "RedisKit", "DynamoKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnankorTesting",
            dependencies: [
                "AnankorCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test-only support that imports Testing (suite traits); linked by test targets only.
        .target(
            name: "AnankorTestSupport",
            dependencies: ["AnankorTesting"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnankorTelemetry",
            dependencies: [
                "AnankorCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "AnankorSettings",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Services.
        .target(
            name: "AnankorMaster",
            dependencies: [
                "AnankorCore", "AnankorTelemetry", "DiscordKit", "LavalinkKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnankorWorker",
            dependencies: [
                "AnankorCore", "AnankorTelemetry", "DiscordKit", "LavalinkKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // Wires master, workers, emulators and the embedded adapters into one process: the
        // sandbox, its scenario scripts, and the end-to-end tests share it.
        .target(
            name: "AnankorSandbox",
            dependencies: [
                "AnankorCore", "AnankorEmbedded", "AnankorMaster", "AnankorWorker",
                "DiscordKit", "LavalinkKit", "DiscordEmulator", "LavalinkEmulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "AnankorDoctor",
            dependencies: [
                "AnankorCore", "AnankorSettings", "AnankorDistributed", "DiscordKit", "LavalinkKit", "RedisKit", "DynamoKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Emulators.
        .target(
            name: "EmulatorServing",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DiscordEmulator",
            dependencies: [
                "EmulatorServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LavalinkEmulator",
            dependencies: [
                "EmulatorServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The executable (thin: parses arguments, wires modules).
        .executableTarget(
            name: "anankor",
            dependencies: [
                "DiscordEmulator", "LavalinkEmulator", "DiscordKit",
                "AnankorMaster", "AnankorWorker", "AnankorSandbox", "AnankorSettings", "AnankorTelemetry",
                "AnankorDoctor", "AnankorEmbedded", "AnankorDistributed", "AnankorCore", "RedisKit", "LavalinkKit",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (run with `swift run -c release <name>`).
        .executableTarget(
            name: "DiscordKitBenchmark",
            dependencies: ["DiscordKit"],
            path: "Benchmarks/DiscordKitBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RedisKitBenchmark",
            dependencies: ["RedisKit", "AnankorTesting"],
            path: "Benchmarks/RedisKitBenchmark",
            swiftSettings: swiftSettings
        ),

        // The load generator of issue 8 (docs/performance.md): emulators in-process, Anankor, the
        // null bot and the Python peer as processes.
        .executableTarget(
            name: "AnankorBenchmark",
            dependencies: [
                "AnankorCore", "AnankorMaster", "AnankorTesting", "DiscordKit", "DiscordEmulator", "LavalinkEmulator",
                "RedisKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
            ],
            path: "Benchmarks/AnankorBenchmark",
            swiftSettings: swiftSettings
        ),
        // Fault injection against real anankor processes with a total-queue checker
        // (docs/reliability.md): `swift run -c release AnankorChaos [--smoke]`.
        .executableTarget(
            name: "AnankorChaos",
            dependencies: [
                "AnankorSandbox", "AnankorTesting", "DiscordEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOFoundationCompat", package: nio),
            ],
            path: "Benchmarks/AnankorChaos",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests.
        .testTarget(
            name: "DiscordKitTests",
            dependencies: [
                "DiscordKit", "DiscordEmulator", "AnankorTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DiscordEmulatorTests",
            dependencies: [
                "DiscordEmulator",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LavalinkKitTests",
            dependencies: [
                "LavalinkKit", "LavalinkEmulator", "AnankorTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LavalinkEmulatorTests",
            dependencies: [
                "LavalinkEmulator",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: nio),
                .product(name: "NIOPosix", package: nio),
                .product(name: "NIOHTTP1", package: nio),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisKitTests",
            dependencies: ["RedisKit", "AnankorTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DynamoKitTests",
            dependencies: ["DynamoKit", "AnankorTesting", "AnankorTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorCoreTests",
            dependencies: ["AnankorCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorTelemetryTests",
            dependencies: [
                "AnankorTelemetry",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorSettingsTests",
            dependencies: ["AnankorSettings"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorMasterTests",
            dependencies: [
                "AnankorMaster", "AnankorCore", "DiscordKit", "DiscordEmulator",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorDoctorTests",
            dependencies: [
                "AnankorDoctor", "AnankorSettings", "AnankorTesting", "DiscordEmulator", "LavalinkEmulator",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnankorWorkerTests",
            dependencies: [
                "AnankorWorker", "AnankorCore", "AnankorEmbedded", "AnankorTesting", "DiscordKit", "LavalinkKit",
                "DiscordEmulator", "LavalinkEmulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Users' view of the whole system, through the emulators' control APIs, in both modes.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AnankorSandbox", "AnankorMaster", "AnankorWorker", "AnankorCore", "AnankorEmbedded",
                "AnankorDistributed", "AnankorTesting", "AnankorTestSupport", "RedisKit", "DynamoKit",
                "DiscordEmulator", "LavalinkEmulator", "LavalinkKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // One contract suite per port, each run against both adapters.
        .testTarget(
            name: "PortContractTests",
            dependencies: ["AnankorCore", "AnankorEmbedded", "AnankorDistributed", "AnankorTesting", "AnankorTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
