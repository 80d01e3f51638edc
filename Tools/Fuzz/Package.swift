// swift-tools-version:5.4
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM renames an executable's `main` (and links it
// with `--defsym main=<module>_main`), which collides with the `main` that libFuzzer's runtime
// provides. At 5.4 the executable has no `main` of its own (`-parse-as-library`), and libFuzzer's
// is the entry point. See README.md for the build command.
import PackageDescription

let package = Package(
    name: "PurchaseActionsFuzz",
    dependencies: [
        .package(name: "PurchaseActions", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzExportReader",
            dependencies: [.product(name: "LegacyImport", package: "PurchaseActions")]
        ),
        // The calls FuzzEvents and FuzzWorkflow make for one input (also compiled into the engine's
        // tests, which replay the crashers through them).
        .target(
            name: "FuzzHarness",
            dependencies: [
                .product(name: "PurchaseActionsCore", package: "PurchaseActions"),
                .product(name: "PurchaseActionsEngine", package: "PurchaseActions"),
            ]
        ),
        .executableTarget(name: "FuzzEvents", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "FuzzWorkflow", dependencies: ["FuzzHarness"]),
    ]
)
