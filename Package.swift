// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PurchaseActions",
    platforms: [.macOS(.v15)],
    products: [
        // What an app adds: the model, the reader, the engine and the conveniences that tie them
        // together, in one `import PurchaseActions`.
        .library(name: "PurchaseActions", targets: ["PurchaseActions"]),
        // The parts, for an app that needs only one of them.
        .library(name: "PurchaseActionsCore", targets: ["PurchaseActionsCore"]),
        .library(name: "LegacyImport", targets: ["LegacyImport"]),
        .library(name: "PurchaseActionsEngine", targets: ["PurchaseActionsEngine"]),
        // The durable runtime: the engine's state in SQLite (GRDB), exactly-once, across restarts.
        .library(name: "PurchaseActionsSQLite", targets: ["PurchaseActionsSQLite"]),
        // Deliverers of the outbox: a recording file, JSON POST over HTTP (AsyncHTTPClient).
        .library(name: "PurchaseActionsDelivery", targets: ["PurchaseActionsDelivery"]),
        // Failed-payment dunning: policies, declines, card-network budgets, safe charging, simulation.
        .library(name: "PurchaseActionsDunning", targets: ["PurchaseActionsDunning"]),
        .executable(name: "import-actions", targets: ["import-actions"]),
        .executable(name: "purchase-actions", targets: ["purchase-actions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // libxml2, found through pkg-config; Debian's libxml2-dev provides it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // The umbrella an app imports: re-exports the core, the reader and the engine, and adds what
        // reads and writes files and speaks Foundation (loaders, the engine from an export, Date / URL).
        .target(
            name: "PurchaseActions",
            dependencies: [
                "PurchaseActionsCore", "LegacyImport", "PurchaseActionsEngine", "PurchaseActionsDunning",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        // Model and logic: pure values, no I/O.
        .target(
            name: "PurchaseActionsCore",
            swiftSettings: upcoming
        ),
        // The libxml2 streaming reader for export format v1.
        .target(
            name: "LegacyImport",
            dependencies: ["PurchaseActionsCore", "CLibXML2"],
            swiftSettings: upcoming
        ),
        // The rules engine: enrollments, steps, waits on a virtual clock, the execution log, and the
        // ports it calls (contacts, effects, store, zone data) with in-memory implementations.
        .target(
            name: "PurchaseActionsEngine",
            dependencies: ["PurchaseActionsCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: upcoming
        ),
        // Failed-payment dunning: the policy model, decline classes, card-network retry budgets, the
        // payment gateway port, the dunning process and its simulator. Pure: no Foundation, no I/O.
        .target(
            name: "PurchaseActionsDunning",
            dependencies: ["PurchaseActionsCore"],
            swiftSettings: upcoming
        ),
        // The durable runtime on SQLite (GRDB; Debian's libsqlite3-dev): the stores behind the
        // engine's ports, published workflow versions, the outbox, and the actor that commits
        // events in groups (Docs/operations.md).
        .target(
            name: "PurchaseActionsSQLite",
            dependencies: [
                "PurchaseActionsCore", "PurchaseActionsEngine", "PurchaseActionsDunning", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        // The outbox's deliverers (the engine's `Deliverer` port): a recording file of JSON Lines
        // and JSON POST to a URL (AsyncHTTPClient).
        .target(
            name: "PurchaseActionsDelivery",
            dependencies: [
                "PurchaseActionsCore", "PurchaseActionsEngine", "PurchaseActionsDunning",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        // What both command-line tools share: exit statuses and the error → exit status mapping,
        // the reader limit options, input checks, the escaped terminal output.
        .target(
            name: "CommandLineSupport",
            dependencies: [
                "PurchaseActions", "PurchaseActionsCore", "LegacyImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        // The `purchase-actions` commands (simulate, ...), as a library so tests can run them.
        .target(
            name: "PurchaseActionsCLI",
            dependencies: [
                "PurchaseActions", "PurchaseActionsCore", "PurchaseActionsEngine", "LegacyImport", "CommandLineSupport",
                "PurchaseActionsSQLite", "PurchaseActionsDelivery", "PurchaseActionsDunning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "purchase-actions",
            dependencies: ["PurchaseActionsCLI"],
            swiftSettings: upcoming
        ),
        // The `import-actions` commands, as a library so tests can run them in-process.
        // The migration report (JSON, Markdown, HTML) and the workflow pictures (Mermaid, DOT):
        // pure text from the compiled parts, no I/O.
        .target(
            name: "MigrationReport",
            dependencies: ["PurchaseActionsCore"],
            swiftSettings: upcoming
        ),
        .target(
            name: "ImportActionsCLI",
            dependencies: [
                "PurchaseActions", "PurchaseActionsCore", "LegacyImport", "CommandLineSupport", "MigrationReport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "import-actions",
            dependencies: ["ImportActionsCLI"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsCoreTests",
            dependencies: [
                "PurchaseActionsCore", "CommandLineTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsTests",
            dependencies: ["PurchaseActions", "CommandLineTesting", "DunningTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsEngineTests",
            dependencies: [
                "PurchaseActionsEngine", "PurchaseActionsCore", "LegacyImport", "CommandLineTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsCLITests",
            dependencies: ["PurchaseActionsCLI", "purchase-actions", "CommandLineSupport", "PurchaseActions", "PurchaseActionsCore", "CommandLineTesting"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsSQLiteTests",
            dependencies: [
                "PurchaseActionsSQLite", "PurchaseActionsEngine", "PurchaseActionsCore", "PurchaseActionsDunning", "PurchaseActions", "CommandLineTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsDunningTests",
            dependencies: [
                "PurchaseActionsDunning", "PurchaseActionsCore", "CommandLineTesting", "DunningTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PurchaseActionsDeliveryTests",
            dependencies: [
                "PurchaseActionsDelivery", "PurchaseActionsEngine", "PurchaseActionsCore", "CommandLineTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        // Docs/Examples: the examples the docs show, compiled and run.
        .testTarget(
            name: "DocsExampleTests",
            dependencies: ["PurchaseActions", "PurchaseActionsDelivery", "PurchaseActionsSQLite"],
            path: "Docs/Examples",
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "MigrationReportTests",
            dependencies: ["MigrationReport", "PurchaseActionsCore", "CommandLineTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "LegacyImportTests",
            dependencies: ["LegacyImport", "PurchaseActionsCore", "CommandLineTesting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ImportActionsEndToEndTests",
            dependencies: ["ImportActionsCLI", "import-actions", "CommandLineSupport", "PurchaseActionsCore", "LegacyImport", "MigrationReport", "CommandLineTesting"],
            swiftSettings: upcoming
        ),
        // Runs the built executables for the end-to-end suites (a plain target: test targets
        // cannot depend on each other).
        // Test support shared by the dunning suites: a random policy from a seed.
        .target(
            name: "DunningTesting",
            dependencies: ["PurchaseActionsDunning"],
            path: "Tests/DunningTesting",
            swiftSettings: upcoming
        ),
        .target(
            name: "CommandLineTesting",
            path: "Tests/CommandLineTesting",
            swiftSettings: upcoming
        ),
    ],
    swiftLanguageModes: [.v6]
)
