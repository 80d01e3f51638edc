#!/bin/sh
# Runs the engine's test suites under AddressSanitizer (Docs/engine.md, "Checked storage"): a read
# or write out of bounds, a use after free (an unowned link that outlived its object) or a leak of
# the engine's unsafe storage stops the run with ASan's report.
#
#   Tools/asan.sh [FILTER]        (default FILTER: PurchaseActionsEngineTests)
#
# Builds into its own scratch folder, .build-asan (ignored by git), so it neither reuses nor spoils
# the normal debug build; the first run builds the package with instrumentation (several minutes on
# a 2-core machine), later runs only what changed. Prints the time the tests took.
set -eu
cd "$(dirname "$0")/.."
filter=${1:-PurchaseActionsEngineTests}
start=$(date +%s)
swift build --build-tests --sanitize=address --scratch-path .build-asan
built=$(date +%s)
swift test --skip-build --sanitize=address --scratch-path .build-asan --filter "$filter"
end=$(date +%s)
echo "asan.sh: build $((built - start)) s, tests ($filter) $((end - built)) s"
