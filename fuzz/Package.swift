// swift-tools-version:6.0
// libFuzzer harnesses for the readers a user's file reaches first: CSV, Excel (.xlsx) and instrument files (YAML).
// Built and run by scripts/fuzz.sh (`make fuzz`); not part of the test command (they need -sanitize=fuzzer).
import PackageDescription

let fuzzer: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
let linker: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "sipas-fuzz",
    dependencies: [.package(name: "sipas", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "SIPASInstrument", package: "sipas")],
                swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]),
    ] + ["FuzzCSV", "FuzzXLSX", "FuzzInstrument"].map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport", .product(name: "SIPASData", package: "sipas"),
                                                      .product(name: "SIPASInstrument", package: "sipas")],
                          swiftSettings: fuzzer, linkerSettings: linker)
    }
)
