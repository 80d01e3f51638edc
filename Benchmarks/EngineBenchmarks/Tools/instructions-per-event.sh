#!/bin/sh
# Instructions per event inside Engine.ingest, counted by callgrind: a figure that does not move with
# the machine's load, for comparing two versions of the engine or two workload sizes.
#
#   Tools/instructions-per-event.sh [PRODUCTS] [EVENTS]      (defaults 100 and 20000)
#
# Builds nothing: run `swift build -c release --product engine-throughput` first. Needs valgrind.
# The workload is the engine-throughput one with 20,000 contacts (fewer than the 100,000 of the timed
# runs, so that setup under valgrind takes seconds, not minutes; the count per event is the same).
set -eu
products=${1:-100}
events=${2:-20000}
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" \
    '--toggle-collect=$s21PurchaseActionsEngine0C0C6ingest*' \
    .build/release/engine-throughput --products "$products" --events "$events" --contacts 20000 --runs 1 --no-warmup 2>&1 \
    | awk -v n="$events" -v p="$products" '/Collected/ { printf "%s product workflows: %d instructions per event (%s events)\n", p, $4 / n, n }'
