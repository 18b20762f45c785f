# Shortcuts for the commands in README.md.
.PHONY: setup test bench bench-peers bench-weights bench-store fuzz

setup:
	bash scripts/setup.sh

test:
	bash scripts/setup.sh && swift build && bash scripts/with-postgres.sh swift test

# The performance page docs/performance.md (sizes 2,640 to 1,000,000; a few minutes).
bench:
	bash scripts/bench.sh

# The same with the R and pandas+statsmodels peers of ../shared/peers, timed and compared number by number.
bench-peers:
	bash scripts/bench.sh --peers 2640 10000 100000 1000000

# Calibration speed: raking 1,000,000 rows to three margins of 64 categories (docs/performance-weights.md).
bench-weights:
	bash scripts/bench-weights.sh

# The archive: import N rows into a store, index the stored wave beside the CSV (docs/performance-store.md).
bench-store:
	bash scripts/bench-store.sh 100000 1000000

# The readers under libFuzzer and AddressSanitizer (fuzz/): 60 s per harness, or SECONDS_PER_HARNESS=600 make fuzz.
fuzz:
	bash scripts/fuzz.sh $${SECONDS_PER_HARNESS:-60}
