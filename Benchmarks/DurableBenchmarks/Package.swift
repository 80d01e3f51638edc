// swift-tools-version:6.1
// Durable runtime benchmarks (Benchmarks/README.md, "Durable runtime"), in their own package so the
// main package stays free of them. Run through Benchmarks/durable-throughput.sh.
import PackageDescription

// SwiftPM names a path dependency after its folder: the checkout's folder, two levels up.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")

let package = Package(
    name: "DurableBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // Events/s through DurableRuntime (one commit per event, group commit, worker batches) beside
        // the disk's fsync rate and SQLite's commit and batched-row rates; wake-ups with 10,000 and
        // 1,000,000 pending. Sources/durable-throughput/Workload.swift is a link to the engine
        // benchmark's workload (the same product-slot account, contacts and events).
        .executableTarget(
            name: "durable-throughput",
            dependencies: [
                .product(name: "PurchaseActionsCore", package: root),
                .product(name: "PurchaseActionsEngine", package: root),
                .product(name: "PurchaseActionsSQLite", package: root),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
