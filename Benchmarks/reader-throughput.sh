#!/usr/bin/env bash
# Reader throughput: `import-actions FILE --check --no-schema` against
# `xmllint --stream --noout FILE` on one large synthetic export.
# Target: reader MB/s >= 0.5 x xmllint --stream MB/s. See Benchmarks/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GENERATOR="$ROOT/Tools/generate-export.py"
TARGET_RATIO=0.5

out_dir="$ROOT/bench-out"
size=200M
seed=42
runs=3
build=1
reader=""
xmllint_only=0
regenerate=0
strict=0

usage() {
  cat <<EOF
Usage: Benchmarks/reader-throughput.sh [options]

Generates a synthetic export of at least 200 MB (Tools/generate-export.py, fixed
seed), builds import-actions in release mode, then times, best of $runs runs each:

  (a) xmllint --stream --noout FILE
  (b) .build/release/import-actions FILE --check --no-schema

and prints MB/s (1 MB = 10^6 bytes) and peak RSS of both, and the ratio
reader/xmllint. Target: ratio >= $TARGET_RATIO.

Options:
  --out-dir DIR         scratch directory (default: bench-out/ in the package root;
                        ignored by git)
  --size SIZE           export size for the generator's --target-bytes (default: $size;
                        K/M/G are powers of 1024, 200M = 209,715,200 bytes)
  --seed N              generator seed (default: $seed)
  --runs N              runs per tool; the fastest counts (default: $runs)
  --no-build            do not run swift build; use the existing binary
  --import-actions PATH reader binary to time (implies --no-build;
                        default: .build/release/import-actions)
  --xmllint-only        time xmllint only (no build, no reader)
  --regenerate          regenerate the export even if a matching one exists
  --strict              exit 1 when the ratio is below the target
  -h, --help            this help

The export is reused across runs when the generator and its arguments are
unchanged (a .key file next to it records both). Timings are taken with a warm
page cache (the file is read once before timing).

Needs: python3, xmllint (apt-get install -y libxml2-utils), GNU time at
/usr/bin/time (apt-get install -y time), swift (unless --no-build).
EOF
}

die() { echo "reader-throughput: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out-dir) out_dir=${2:?--out-dir needs a value}; shift 2 ;;
    --size) size=${2:?--size needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --no-build) build=0; shift ;;
    --import-actions) reader=${2:?--import-actions needs a path}; build=0; shift 2 ;;
    --xmllint-only) xmllint_only=1; build=0; shift ;;
    --regenerate) regenerate=1; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "reader-throughput: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ $seed =~ ^-?[0-9]+$ ]] || die "--seed must be an integer"

# ---------------------------------------------------------------- tools
if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true >/dev/null 2>&1; }; then
  die "GNU time is needed at /usr/bin/time: apt-get install -y time"
fi
command -v xmllint >/dev/null || die "xmllint is needed: apt-get install -y libxml2-utils"
command -v python3 >/dev/null || die "python3 is needed to generate the export"
[[ -f $GENERATOR ]] || die "generator not found: $GENERATOR"

mkdir -p "$out_dir"
tmp=$(mktemp -d "$out_dir/.throughput.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- export
file="$out_dir/throughput-$size-seed$seed.xml"
gen_args=(--target-bytes "$size" --seed "$seed")
key="$(sha256sum "$GENERATOR" | cut -c1-16) ${gen_args[*]}"
if [[ $regenerate == 0 && -f $file && -f $file.key && "$(cat "$file.key")" == "$key" ]]; then
  echo "export: reusing $file"
else
  echo "export: generating $file (python3 Tools/generate-export.py ${gen_args[*]})"
  rm -f "$file.key"
  /usr/bin/time -f '%e %M' -o "$tmp/gen.time" python3 "$GENERATOR" "${gen_args[@]}" -o "$file"
  read -r gen_wall gen_rss <"$tmp/gen.time"
  echo "export: generated in ${gen_wall} s, generator peak RSS $((gen_rss / 1024)) MiB"
  echo "$key" >"$file.key"
fi
bytes=$(stat -c %s "$file")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "export: $bytes bytes ($mb MB)"
if (( bytes < 200000000 )); then
  echo "warning: the export is smaller than 200 MB; the throughput target is defined on >= 200 MB" >&2
fi

# ---------------------------------------------------------------- reader binary
# shellcheck source=Benchmarks/lib.sh
source "$ROOT/Benchmarks/lib.sh"
find_reader

# ---------------------------------------------------------------- timing
# measure LABEL CMD...: runs CMD $runs times under /usr/bin/time; sets best_wall
# (fastest wall-clock seconds) and peak_rss (largest peak RSS, KiB).
measure() {
  local label=$1; shift
  local i wall rss status
  best_wall="" peak_rss=0
  for ((i = 1; i <= runs; i++)); do
    status=0
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    if [[ $status != 0 ]]; then
      echo "error: $label failed with exit status $status: $*" >&2
      tail -n 20 "$tmp/stderr" >&2
      exit 1
    fi
    read -r wall rss < <(tail -n 1 "$tmp/time")
    printf '  %-16s run %d: %6.2f s  %8.1f MiB\n' "$label" "$i" "$wall" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall
    fi
    (( rss > peak_rss )) && peak_rss=$rss
  done
  return 0
}

mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { if (s <= 0) s = 0.01; printf "%.1f", b / 1e6 / s }'; }

cat "$file" >/dev/null # warm the page cache: both tools read from memory

echo "timing: best of $runs"
measure xmllint xmllint --stream --noout "$file"
x_wall=$best_wall x_rss=$peak_rss x_mbps=$(mbps "$best_wall")

if [[ $xmllint_only == 0 ]]; then
  measure import-actions "$reader" "$file" --check --no-schema
  r_wall=$best_wall r_rss=$peak_rss r_mbps=$(mbps "$best_wall")
fi

echo
echo "file: $file ($mb MB)"
printf '%-46s %7s %10s %14s\n' "tool" "best s" "MB/s" "peak RSS MiB"
printf '%-46s %7.2f %10s %14.1f\n' "xmllint --stream --noout" "$x_wall" "$x_mbps" "$(awk -v k="$x_rss" 'BEGIN { print k / 1024 }')"
if [[ $xmllint_only == 1 ]]; then
  echo "(--xmllint-only: reader not timed)"
  exit 0
fi
printf '%-46s %7.2f %10s %14.1f\n' "import-actions --check --no-schema" "$r_wall" "$r_mbps" "$(awk -v k="$r_rss" 'BEGIN { print k / 1024 }')"
ratio=$(awk -v r="$r_mbps" -v x="$x_mbps" 'BEGIN { printf "%.2f", (x > 0 ? r / x : 0) }')
if awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { exit !(r >= t) }'; then verdict=PASS; else verdict=FAIL; fi
echo "ratio reader/xmllint: $ratio (target >= $TARGET_RATIO): $verdict"
if [[ $verdict == FAIL && $strict == 1 ]]; then
  exit 1
fi
