#!/usr/bin/env bash
# Dunning simulation figures (Benchmarks/README.md, "Dunning simulation"): generates failing
# subscriptions (Benchmarks/generate-failures.py, deterministic with --seed), builds the benchmark
# package Benchmarks/DunningBenchmarks in release mode and runs dunning-simulate over them, which
# prints the seconds to read the events, to simulate, and (with --json) to write the result.
#
#   Benchmarks/dunning-simulate.sh                       # 100,000 subscriptions, 60 days, legacy policy
#   COUNT=10000 Benchmarks/dunning-simulate.sh --until 90d --json
#   Benchmarks/dunning-simulate.sh --policy policy.json --script script.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
count="${COUNT:-100000}"
seed="${SEED:-14}"
failures="${TMPDIR:-/tmp}/dunning-failures-$count-$seed.jsonl"
echo "generate: $here/generate-failures.py --count $count --seed $seed --out $failures"
python3 "$here/generate-failures.py" --count "$count" --seed "$seed" --out "$failures"
cd "$here/DunningBenchmarks"
echo "build: swift build -c release --product dunning-simulate"
swift build -c release --product dunning-simulate
echo "run: .build/release/dunning-simulate $failures --until 60d $*"
exec .build/release/dunning-simulate "$failures" --until 60d "$@"
