// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "MyApp",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/example/PurchaseActions.git", branch: "main"),
    ],
    targets: [
        .executableTarget(
            name: "MyApp",
            dependencies: [
                .product(name: "PurchaseActions", package: "PurchaseActions"),
                // Optional: the durable runtime on SQLite, and the outbox's deliverers.
                .product(name: "PurchaseActionsSQLite", package: "PurchaseActions"),
                .product(name: "PurchaseActionsDelivery", package: "PurchaseActions"),
            ]
        ),
    ]
)
