// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 language mode with strict
/// concurrency comes from the tools version; a warning fails the build.
let swiftSettings: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Uchet",
    products: [
        .executable(name: "uchet", targets: ["uchet"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0")
    ],
    targets: [
        // MARK: - C libraries (Debian's packages; the Makefile installs them when missing)
        .systemLibrary(
            name: "CLibZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // MARK: - Formats
        .target(name: "CivilDate", swiftSettings: swiftSettings),
        .target(name: "SystemText", swiftSettings: swiftSettings),
        .target(name: "Digest", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .target(
            name: "FileIO",
            dependencies: ["SystemText", "Digest", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ZipIO", dependencies: ["CLibZip", "SystemText"], swiftSettings: swiftSettings),
        .target(name: "XMLStream", dependencies: ["CLibXML2", "SystemText"], swiftSettings: swiftSettings),
        .target(
            name: "Spreadsheet",
            dependencies: ["SystemText", "ZipIO", "XMLStream", "CivilDate"],
            swiftSettings: swiftSettings
        ),

        // MARK: - The school's domain
        .target(name: "StrictJSON", swiftSettings: swiftSettings),
        .target(
            name: "Records",
            dependencies: ["CivilDate", "Digest", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Policy", dependencies: ["SystemText", "FileIO", "Records", "StrictJSON", "CivilDate"], swiftSettings: swiftSettings),
        .target(name: "Settings", dependencies: ["SystemText", "FileIO", "Records", "StrictJSON"], swiftSettings: swiftSettings),
        .target(
            name: "Ingest",
            dependencies: [
                "SystemText", "FileIO", "Digest", "ZipIO", "XMLStream", "Spreadsheet", "Records", "Policy", "StrictJSON", "CivilDate",
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Ledger",
            dependencies: [
                "FileIO", "Digest", "SystemText", "Records", "Policy", "Ingest", "Settings", "CivilDate", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift")
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Pipeline",
            dependencies: [
                "FileIO", "Digest", "SystemText", "Ledger", "Ingest", "Policy", "Records", "Settings", "Spreadsheet", "StrictJSON", "CivilDate",
                .product(name: "Logging", package: "swift-log"), .product(name: "SystemPackage", package: "swift-system")
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Dossier",
            dependencies: [
                "FileIO", "Digest", "SystemText", "Ledger", "Policy", "Records", "Settings", "XMLStream", "Spreadsheet", "CivilDate",
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Attestat",
            dependencies: ["FileIO", "Ledger", "Policy", "Records", "Settings", "Spreadsheet", "StrictJSON", "CivilDate"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Archive",
            dependencies: [
                "FileIO", "Digest", "SystemText", "Ledger", "Policy", "Records", "Settings", "Dossier", "Attestat", "ZipIO", "XMLStream", "CivilDate",
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Reports",
            dependencies: [
                "FileIO", "Digest", "Ledger", "Policy", "Records", "Settings", "Spreadsheet", "XMLStream", "Attestat", "CivilDate",
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Demo",
            dependencies: ["Digest", "Spreadsheet", "Records", "CivilDate", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // MARK: - The command-line tool
        .executableTarget(
            name: "uchet",
            dependencies: [
                "FileIO", "Digest", "SystemText",
                "Spreadsheet", "Ingest", "Policy", "Records", "Settings", "CivilDate", "Ledger", "Pipeline", "StrictJSON", "Demo", "Dossier", "Attestat",
                "Archive", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "uchet-bench",
            dependencies: ["Spreadsheet", "ZipIO", "XMLStream", "Ingest", "Policy", "Settings", "CivilDate", "Ledger", "Records", "Dossier", "FileIO"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["ZipIO"], path: "Tests/Support", swiftSettings: swiftSettings),
        .target(
            name: "FuzzTargets",
            dependencies: ["Ingest", "Policy", "Records", "Spreadsheet", "CivilDate", "StrictJSON", "FileIO", "Digest", "TestSupport"],
            path: "Tests/Fuzz/Targets",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "fuzz-xlsx", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/XLSX", swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/CSV", swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-profile", dependencies: ["FuzzTargets"], path: "Tests/Fuzz/Profile", swiftSettings: swiftSettings),
        .target(
            name: "LedgerDump",
            dependencies: ["Ledger", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/LedgerDump",
            swiftSettings: swiftSettings
        ),
        .target(name: "HostileCorpus", dependencies: ["TestSupport", "ZipIO"], path: "Tests/Hostile", swiftSettings: swiftSettings),
        .executableTarget(
            name: "uchet-reliability",
            dependencies: [
                "HostileCorpus", "TestSupport", "LedgerDump", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            path: "Tests/Reliability",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CivilDateTests", dependencies: ["CivilDate"], swiftSettings: swiftSettings),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "CivilDate"], swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Records", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "Policy", "Records", "Spreadsheet", "CivilDate", "StrictJSON", "FileIO", "Digest", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AttestatTests",
            dependencies: ["Attestat", "Ledger", "Policy", "Records", "CivilDate", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "SettingsTests", dependencies: ["Settings", "Records", "StrictJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "FileIO", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "Ingest", "Policy", "Records", "CivilDate", "Digest", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DossierTests",
            dependencies: ["Dossier", "Ledger", "Ingest", "Policy", "Records", "CivilDate", "Digest", "XMLStream", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Attestat", "Demo", "Ledger", "Policy", "Settings", "Ingest", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift")
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ZipIOTests", dependencies: ["ZipIO", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "XMLStreamTests", dependencies: ["XMLStream", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SpreadsheetTests",
            dependencies: ["Spreadsheet", "ZipIO", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "uchetTests",
            dependencies: [
                "Ledger", "Spreadsheet", "ZipIO", "XMLStream", "TestSupport", "HostileCorpus", "LedgerDump", "FuzzTargets", "CivilDate",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto")
            ],
            // The golden dossier is read from the repository by path, not bundled.
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        )
    ]
)
