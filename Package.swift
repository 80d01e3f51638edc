// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PurchaseActions",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PurchaseActions", targets: ["PurchaseActions"]),
        .library(name: "LegacyImport", targets: ["LegacyImport"]),
        .executable(name: "import-actions", targets: ["import-actions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // libxml2, found through pkg-config; Debian's libxml2-dev provides it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Model and logic: pure values, no I/O.
        .target(
            name: "PurchaseActions",
            swiftSettings: upcoming
        ),
        // The libxml2 streaming reader for export format v1.
        .target(
            name: "LegacyImport",
            dependencies: ["PurchaseActions", "CLibXML2"],
            swiftSettings: upcoming
        ),
        // The `import-actions` commands, as a library so tests can run them in-process.
        .target(
            name: "ImportActionsCLI",
            dependencies: [
                "PurchaseActions", "LegacyImport",
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
            name: "PurchaseActionsTests",
            dependencies: [
                "PurchaseActions",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "LegacyImportTests",
            dependencies: ["LegacyImport", "PurchaseActions"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ImportActionsEndToEndTests",
            dependencies: ["ImportActionsCLI", "import-actions", "PurchaseActions"],
            swiftSettings: upcoming
        ),
    ],
    swiftLanguageModes: [.v6]
)
