// swift-tools-version:6.1
// Dunning simulation benchmark (Benchmarks/README.md, "Dunning simulation"), in its own package so
// the main package stays free of it. Run through Benchmarks/dunning-simulate.sh.
import PackageDescription

// SwiftPM names a path dependency after its folder: the checkout's folder, two levels up.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")

let package = Package(
    name: "DunningBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        // Reads a failures file (Benchmarks/generate-failures.py), runs DunningSimulation.run over
        // it and prints the time to read, to simulate and to write the result's JSON.
        .executableTarget(
            name: "dunning-simulate",
            dependencies: [
                .product(name: "PurchaseActionsCore", package: root),
                .product(name: "PurchaseActionsDunning", package: root),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
