#!/bin/sh
# Runs the engine's test suites under AddressSanitizer (Docs/engine.md, "Checked storage"): a read
# or write out of bounds, a use after free (an unowned link that outlived its object) or a leak of
# the engine's unsafe storage stops the run with ASan's report.
#
#   Tools/asan.sh [FILTER]        (default FILTER: PurchaseActionsEngineTests)
#
# Builds into its own scratch folder, .build-asan (ignored by git), so it neither reuses nor spoils
# the normal debug build; the first run builds the package with instrumentation (several minutes on
# a 2-core machine), later runs only what changed. Prints the time the build and the tests took.
#
# Leak checking is off by default (ASAN_OPTIONS=detect_leaks=0): LeakSanitizer reports about 34 KB
# in some 400 allocations made by PurchaseActionsCore's JSON decoding and by the tests' static data,
# none in the engine (Docs/engine.md, "Checked storage"). ASAN_OPTIONS=detect_leaks=1 Tools/asan.sh
# turns it on.
set -eu
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
cd "$(dirname "$0")/.."
filter=${1:-PurchaseActionsEngineTests}
start=$(date +%s)
swift build --build-tests --sanitize=address --scratch-path .build-asan
built=$(date +%s)
swift test --skip-build --sanitize=address --scratch-path .build-asan --filter "$filter"
end=$(date +%s)
echo "asan.sh: build $((built - start)) s, tests ($filter) $((end - built)) s"
