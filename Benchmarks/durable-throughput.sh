#!/usr/bin/env bash
# Durable runtime figures (Benchmarks/README.md, "Durable runtime"): builds the benchmark package
# Benchmarks/DurableBenchmarks in release mode and runs durable-throughput, which prints the disk's
# fsync rate and SQLite's commit and batched-row rates (before and after), events/s through the
# durable runtime (one commit per event, group commit, worker batches) and wake-ups fired with
# 10,000 and 1,000,000 pending.
#
#   Benchmarks/durable-throughput.sh [durable-throughput arguments]
#   Benchmarks/durable-throughput.sh --skip-wakeups                 # events only (about 1 min)
#   Benchmarks/durable-throughput.sh --pending 10000,1000000 --rounds 5
#   Benchmarks/durable-throughput.sh --enrollments 1000000          # only N enrollments end to end:
#       send-email / wait 1 day / add-tag; ingest N events, advance a day, fire N wake-ups; file size
#       (about 3 GB in --folder for 1,000,000 while it runs; removed after)
#
# The databases go to $TMPDIR/durable-bench (or --folder DIR: put it on the disk you measure);
# the 1,000,000-pending store takes about 1 GB there while it runs and is removed after.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/DurableBenchmarks"
echo "build: swift build -c release --product durable-throughput"
swift build -c release --product durable-throughput
echo "run: .build/release/durable-throughput $*"
exec .build/release/durable-throughput "$@"
