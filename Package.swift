// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
        .executable(name: "sluice-harness", targets: ["sluice-harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Value types and pure logic: no I/O.
        .target(name: "SluiceCore"),
        // The embedded engine on SQLite.
        .target(name: "SluiceStore", dependencies: [
            "SluiceCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Runbook and drill files: parsing and validation with file:line:column errors.
        .target(name: "SluiceRunbooks", dependencies: [
            "SluiceCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        // The redrive engine: executes plans through a backend, paced, guarded, resumable.
        .target(name: "SluiceRedrive", dependencies: ["SluiceCore", "SluiceStore", "SluiceSQS"]),
        // The Amazon SQS backend: SigV4, AWS JSON 1.0, retries.
        .target(name: "SluiceSQS", dependencies: [
            "SluiceCore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // Drills: deterministic GameDay scenarios on the embedded store in virtual time.
        .target(name: "SluiceDrills", dependencies: [
            "SluiceCore", "SluiceStore", "SluiceRunbooks", "SluiceRedrive",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Console state, update, view and frames: pure, no curses.
        .target(name: "SluiceConsole", dependencies: ["SluiceCore", "SluiceStore", "SluiceRunbooks", "SluiceRedrive"]),
        // The only code that touches ncurses.
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "SluiceTerminal", dependencies: ["CNcursesw", "SluiceConsole"]),
        // Command-line commands and wiring, kept out of the executable so tests can call them.
        .target(name: "SluiceCLI", dependencies: [
            "SluiceCore", "SluiceStore", "SluiceRunbooks", "SluiceRedrive", "SluiceSQS",
            "SluiceDrills", "SluiceConsole", "SluiceTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "sluice", dependencies: ["SluiceCLI"]),
        // Benchmarks of DESIGN.md §9, each figure beside its peer: swift run -c release sluice-bench
        .executableTarget(name: "sluice-bench", dependencies: [
            "SluiceCore", "SluiceStore", "SluiceRedrive", "SluiceSQS", "SluiceTesting", "SluiceConsole", "SluiceDrills",
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], path: "Benchmarks/SluiceBench"),
        // Test support: virtual clock, temporary stores, process runners.
        .target(name: "SluiceTesting", dependencies: ["SluiceCore", "SluiceStore"]),
        // Reliability harness: SIGKILL, concurrency, corruption and parser fuzzing checks (issue 7).
        .target(name: "SluiceHarnessKit", dependencies: [
            "SluiceCore", "SluiceStore", "SluiceRedrive", "SluiceRunbooks", "SluiceSQS", "SluiceTesting",
            "SluiceDrills", "SluiceConsole",
        ]),
        .executableTarget(name: "sluice-harness", dependencies: ["SluiceCore", "SluiceStore",
            "SluiceRedrive", "SluiceRunbooks", "SluiceSQS", "SluiceTesting", "SluiceHarnessKit"]),
        .testTarget(name: "SluiceReliabilityTests", dependencies: ["SluiceCore",
            "SluiceStore", "SluiceRedrive", "SluiceRunbooks", "SluiceSQS", "SluiceTesting", "SluiceHarnessKit"],
            exclude: ["Corpus"]),

        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceTesting"]),
        .testTarget(name: "SluiceStoreTests", dependencies: ["SluiceStore", "SluiceTesting"]),
        .testTarget(name: "SluiceCLITests", dependencies: ["SluiceCLI", "SluiceTesting"]),
        .testTarget(name: "SluiceRunbooksTests", dependencies: ["SluiceRunbooks", "SluiceTesting"]),
        .testTarget(name: "SluiceRedriveTests", dependencies: ["SluiceRedrive", "SluiceStore", "SluiceRunbooks", "SluiceTesting"]),
        .testTarget(name: "SluiceSQSTests", dependencies: ["SluiceSQS", "SluiceTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SluiceDrillsTests", dependencies: ["SluiceDrills", "SluiceRunbooks", "SluiceTesting"]),
        .testTarget(name: "SluiceConsoleTests", dependencies: ["SluiceConsole", "SluiceTerminal", "SluiceTesting", "SluiceRedrive", "SluiceRunbooks", "SluiceStore"]),
        .testTarget(name: "SluiceSQSRedriveTests", dependencies: ["SluiceRedrive", "SluiceSQS", "SluiceStore", "SluiceTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
