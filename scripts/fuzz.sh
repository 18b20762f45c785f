#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer harnesses of fuzz/ (CSV, Excel workbook and instrument readers) with
# AddressSanitizer and runs each for SECONDS seconds (default 60), starting from the test fixtures as the seed
# corpus. A crash, a hang (> 10 s on one input) or a sanitizer report stops that harness and leaves the input
# in fuzz/findings/ (reproduce: fuzz/.build/release/FuzzCSV fuzz/findings/FuzzCSV-crash-…). Run after
# scripts/setup.sh, from the repository root:  bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
seconds=${1:-60}
flags=(-c release --package-path fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -use-ld=lld)
swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
# Leaks are not checked: Foundation's FileManager.contents(atPath:) keeps a 4 KB buffer for an empty file
# (FoundationEssentials readBytesFromFile), which LeakSanitizer reports on the first empty input.
export ASAN_OPTIONS=detect_leaks=0
mkdir -p fuzz/findings
fixtures=Tests/SIPASTests/Fixtures
status=0
run() {  # harness, seed folders…
    local name=$1; shift
    mkdir -p "$work/$name"
    echo "== $name ($seconds s)"
    if "$bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="fuzz/findings/$name-" "$work/$name" "$@" > "$work/$name.log" 2>&1; then
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$work/$name.log" || true
    else
        status=1
        tail -n 40 "$work/$name.log"
    fi
}
run FuzzCSV "$fixtures/good-csv" "$fixtures/bad-csv"
run FuzzXLSX "$fixtures/xlsx"
mkdir -p "$work/instrument-seeds"
cp "$fixtures/mini.yaml" docs/guide/instrument-template.yaml "$work/instrument-seeds/"
run FuzzInstrument "$work/instrument-seeds"
exit $status
