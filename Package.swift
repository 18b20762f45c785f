// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sipas",
    products: [
        .executable(name: "sipas", targets: ["sipas"]),
        .library(name: "SIPASLinearAlgebra", targets: ["SIPASLinearAlgebra"]),
        .library(name: "SIPASInstrument", targets: ["SIPASInstrument"]),
        .library(name: "SIPASData", targets: ["SIPASData"]),
        .library(name: "SIPASDesign", targets: ["SIPASDesign"]),
        .library(name: "SIPASEstimation", targets: ["SIPASEstimation"]),
        .library(name: "SIPASSynthetic", targets: ["SIPASSynthetic"]),
        .library(name: "SIPASAnalysis", targets: ["SIPASAnalysis"]),
        .library(name: "SIPASReport", targets: ["SIPASReport"]),
        .library(name: "SIPASModels", targets: ["SIPASModels"]),
        .library(name: "SIPASSampling", targets: ["SIPASSampling"]),
        .library(name: "SIPASSupport", targets: ["SIPASSupport"]),
        .library(name: "SIPASStore", targets: ["SIPASStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
    ],
    targets: [
        // C shims: module maps and headers only.
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .systemLibrary(name: "CRmath", path: "Sources/CRmath"),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine"),
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter"),
        .systemLibrary(name: "CExpat", path: "Sources/CExpat"),
        .systemLibrary(name: "CZlibCRC", path: "Sources/CZlibCRC"),
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),

        // The bottom layer: what every module may use and that holds no survey idea: writing output files, seeded random
        // streams, distribution functions (libRmath), the parallel map, quantiles and medians, Welch df.
        .target(name: "SIPASSupport", dependencies: ["CRmath"]),
        // Dense column-major matrices and least squares; the only code that calls LAPACK.
        .target(name: "SIPASLinearAlgebra", dependencies: ["CLAPACK", "SIPASSupport"]),
        // Questionnaires: contents -> factors -> criteria, scales, missing codes, presets.
        .target(name: "SIPASInstrument", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Columnar response tables, the CSV, Excel (.xlsx), SPSS (.sav) and Stata (.dta) readers, the SPSS/Stata
        // writer, and the ledger of excluded rows.
        .target(name: "SIPASData", dependencies: ["SIPASInstrument", "SIPASSupport", "CExpat", "CZlibCRC", "CReadStat",
                                                  .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Survey designs (strata, multi-stage clusters, weights, FPC) and linearized variance.
        .target(name: "SIPASDesign", dependencies: ["SIPASData", "SIPASLinearAlgebra", "SIPASSupport", .product(name: "Yams", package: "Yams")]),
        // Index formulas, estimates with influence values, intervals, distributions.
        .target(name: "SIPASEstimation", dependencies: ["SIPASInstrument", "SIPASData", "SIPASDesign", "SIPASSupport"]),
        // Deterministic synthetic SIPAS-like survey data with known truth, and the coverage study built on it.
        .target(name: "SIPASSynthetic", dependencies: ["SIPASLinearAlgebra", "SIPASInstrument", "SIPASData", "SIPASDesign", "SIPASEstimation", "SIPASSupport"]),
        // Regression (OLS/WLS, robust and cluster SEs, VIF, condition number) and scale reliability.
        .target(name: "SIPASModels", dependencies: ["SIPASLinearAlgebra", "SIPASEstimation", "SIPASData", "SIPASDesign", "SIPASInstrument", "SIPASSupport"]),
        // Sample size, allocation, systematic/random/PPS selection, reserve and re-check draws, fieldwork accounting.
        .target(
            name: "SIPASSampling",
            dependencies: ["SIPASInstrument", "SIPASSupport", .product(name: "Yams", package: "Yams")]),
        // The survey archive: waves (answers as codes, the instrument they were collected with, the design) in SQLite
        // (a file) or PostgreSQL (a server, through postgres-nio).
        .target(name: "SIPASStore", dependencies: ["SIPASData", "SIPASDesign", "SIPASInstrument", "CSQLite",
                                                   .product(name: "PostgresNIO", package: "postgres-nio"),
                                                   .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "NIOPosix", package: "swift-nio"),
                                                   .product(name: "Logging", package: "swift-log")]),
        // The annual analysis, computed once: indices, comparisons, province changes, drivers, fieldwork.
        .target(name: "SIPASAnalysis", dependencies: ["SIPASEstimation", "SIPASData", "SIPASInstrument", "SIPASModels", "SIPASDesign", "SIPASSupport"]),
        // Renderers: text tables, CSV, JSON; the publishable report (model, Markdown, HTML with SVG, XLSX).
        .target(name: "SIPASReport", dependencies: ["SIPASAnalysis", "SIPASEstimation", "SIPASData", "SIPASInstrument", "SIPASModels", "SIPASDesign", "SIPASSupport", "SIPASSynthetic", "CXLSXWriter"]),
        // The commands, the REPL and scripts (docs/architecture.md has the module map, checked by ArchitectureTests).
        .target(
            name: "SIPASCommandLine",
            dependencies: [
                "SIPASInstrument", "SIPASData", "SIPASDesign", "SIPASEstimation", "SIPASSynthetic", "SIPASAnalysis", "SIPASReport",
                "SIPASModels", "CEditLine", "SIPASSampling", "SIPASSupport", "SIPASStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "sipas", dependencies: ["SIPASCommandLine"]),
        // The raking benchmark (scripts/bench-weights.sh): a program that prints numbers, not a test.
        .executableTarget(name: "sipas-bench-weights", dependencies: ["SIPASDesign", "SIPASSupport"], path: "Benchmarks/Weights"),
        // The sufficient-statistics benchmark: the index from rows and from IndexStatistics, timed and compared.
        .executableTarget(name: "sipas-bench-statistics", dependencies: ["SIPASEstimation", "SIPASData", "SIPASDesign", "SIPASInstrument", "SIPASSupport"],
                          path: "Benchmarks/Statistics"),

        .testTarget(
            name: "SIPASTests",
            dependencies: [
                "SIPASLinearAlgebra", "SIPASInstrument", "SIPASData", "SIPASDesign", "SIPASEstimation", "SIPASSynthetic",
                "SIPASAnalysis", "SIPASReport", "SIPASCommandLine", "SIPASModels", "SIPASSampling", "SIPASSupport", "SIPASStore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
