#!/usr/bin/env bash
# Builds the three fuzz targets and runs each for a number of seconds; exits non-zero on any crash,
# trap, timeout (an input over 10 s), out-of-memory (over 2048 MB) or failed build.
#
#   Tools/Fuzz/run-all.sh [seconds-per-target] [target ...]
#   Tools/Fuzz/run-all.sh                    # 600 s each: FuzzExportReader, FuzzEvents, FuzzWorkflow
#   Tools/Fuzz/run-all.sh 60 FuzzWorkflow    # one target, one minute
#
# Environment:
#   FUZZ_WORK=dir       where the working corpora, logs and artifacts go (default: a new /tmp/fuzz-run.*)
#   FUZZ_KEEP_GOING=1   fork mode: go on past a crash, timeout or out-of-memory and collect them all
#                       (still exits 1 when any was found); by default a target stops at its first
#   FUZZ_NO_BUILD=1     use the binaries already in .build-fuzz/release
# Other FUZZ_* variables reach the harnesses (FUZZ_SCHEMA=0: see README.md).
#
# Each target starts from a copy of its committed corpus plus its crashers in Fixtures/fuzz-crashers/
# (so a fixed crasher is checked first), and writes to the copy only. Exit status: 0 all clean,
# 1 something found (the artifacts are listed), 2 build or usage error.
set -u
cd "$(dirname "$0")" || exit 2
here=$(pwd)
crashers=$(cd ../../Fixtures/fuzz-crashers && pwd) || exit 2

seconds=${1:-600}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [seconds-per-target] [FuzzExportReader|FuzzEvents|FuzzWorkflow ...]" >&2; exit 2 ;; esac
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzExportReader FuzzEvents FuzzWorkflow)

if ! command -v swift > /dev/null && [ -x /opt/swift/usr/bin/swift ]; then export PATH=/opt/swift/usr/bin:$PATH; fi

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
    echo "== building (release, -sanitize=fuzzer,address)"
    if ! swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library; then
        echo "run-all: the build failed" >&2
        exit 2
    fi
fi

work=${FUZZ_WORK:-$(mktemp -d /tmp/fuzz-run.XXXXXX)}
mkdir -p "$work" || exit 2
# LeakSanitizer: see README.md (libxml2's schema leak; Swift statics); the Swift backtracer would
# catch traps before libFuzzer does and write no artifact.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export SWIFT_BACKTRACE=enable=no

failed=0
for target in "${targets[@]}"; do
    case $target in
        FuzzExportReader) corpus=Corpus dict=export.dict pattern='*.xml' ;;
        FuzzEvents) corpus=Corpus-events dict=events.dict pattern='events-*' ;;
        FuzzWorkflow) corpus=Corpus-workflows dict=workflow.dict pattern='workflow-*' ;;
        *) echo "run-all: unknown target $target" >&2; exit 2 ;;
    esac
    binary=$here/.build-fuzz/release/$target
    [ -x "$binary" ] || { echo "run-all: no $binary (build first)" >&2; exit 2; }
    dir=$work/$target
    rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/artifacts"
    cp "$corpus"/* "$dir/corpus/"
    find "$crashers" -maxdepth 1 -type f -name "$pattern" -exec cp {} "$dir/corpus/" \;
    mode=()
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    echo "== $target: ${seconds}s, corpus $(ls "$dir/corpus" | wc -l) files, log $dir/log.txt"
    # The outer timeout is a backstop only: libFuzzer stops itself after -max_total_time.
    (cd "$dir" && timeout -s KILL $((seconds + 600)) "$binary" -dict="$here/$dict" "${mode[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" > "$dir/log.txt" 2>&1)
    status=$?
    found=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$dir/log.txt" | sed "s/^/   /"
    if [ -n "$found" ] || [ $status -ne 0 ]; then
        failed=1
        echo "!! $target: exit status $status; found:"
        for file in $found; do echo "   $file"; done
        grep -E 'ERROR: (libFuzzer|AddressSanitizer)|SUMMARY' "$dir/log.txt" | sort | uniq -c | head -10 | sed "s/^/   /"
    else
        echo "ok $target: ran clean for ${seconds}s"
    fi
done
echo "== work folder: $work (working corpora to merge: see README.md, \"Minimise the corpus\")"
exit $failed
