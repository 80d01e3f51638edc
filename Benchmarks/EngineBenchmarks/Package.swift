// swift-tools-version:6.1
// Engine throughput benchmarks, kept in their own package so the benchmark harness and its
// dependencies stay out of the main package (Benchmarks/README.md, "Engine throughput").
import PackageDescription

// SwiftPM names a path dependency after its folder: the checkout's folder (`main`, or whatever a
// clone is called), two levels up from this package.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")

let package = Package(
    name: "EngineBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        // ordo-one/benchmark (formerly package-benchmark); on Swift 6.3 for Linux only the malloc
        // interposer trait is enabled (the default traits add a runtime interposer package).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The workload both runners share: a synthetic legacy account, its contacts and its events.
        .target(
            name: "EngineWorkload",
            dependencies: [
                .product(name: "PurchaseActionsCore", package: root),
                .product(name: "PurchaseActionsEngine", package: root),
            ]
        ),
        // The same measurement without the harness: prints events/s for 100 and 10,000 workflows.
        .executableTarget(
            name: "engine-throughput",
            dependencies: ["EngineWorkload"]
        ),
        // `swift package --disable-sandbox benchmark`: the harness's conventions (a global
        // `let benchmarks = { ... }` closure, read by generated code) are Swift 5 language mode code.
        .executableTarget(
            name: "EngineThroughput",
            dependencies: [
                "EngineWorkload",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineThroughput",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
