#!/usr/bin/env bash
# Before/after throughput of two reader binaries against xmllint --stream, interleaved on one file:
# each round times xmllint, reader A and reader B one after the other, so load from other work on
# the machine falls on all three alike. Prints each run, then best and median of each and the
# ratio reader/xmllint (MB/s over MB/s). See Benchmarks/README.md.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: Benchmarks/reader-throughput-ab.sh FILE READER_A READER_B [ROUNDS=9]" >&2
  exit 2
fi
file=$1 a=$2 b=$3 rounds=${4:-9}
command -v xmllint >/dev/null || { echo "xmllint is needed: apt-get install -y libxml2-utils" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$file" >/dev/null # warm the page cache
for ((i = 1; i <= rounds; i++)); do
  for tool in xmllint A B; do
    case $tool in
      xmllint) cmd=(xmllint --stream --noout "$file") ;;
      A) cmd=("$a" "$file" --check --no-schema) ;;
      B) cmd=("$b" "$file" --check --no-schema) ;;
    esac
    /usr/bin/time -f '%e' -o "$tmp/t" "${cmd[@]}" >/dev/null 2>"$tmp/err" || { echo "$tool failed:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
    echo "$i $tool $(tail -n 1 "$tmp/t")" | tee -a "$tmp/all"
  done
done
python3 - "$tmp/all" "$(stat -c %s "$file")" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    _, tool, seconds = line.split()
    times.setdefault(tool, []).append(float(seconds))
mb = int(sys.argv[2]) / 1e6
for tool, values in times.items():
    print(f"{tool:8} best {min(values):6.2f} s ({mb / min(values):6.1f} MB/s)  median {statistics.median(values):6.2f} s ({mb / statistics.median(values):6.1f} MB/s)")
for tool in ("A", "B"):
    rounds = [x / r for x, r in zip(times["xmllint"], times[tool])]
    print(f"ratio {tool}/xmllint: of bests {min(times['xmllint']) / min(times[tool]):.3f}, of medians "
          f"{statistics.median(times['xmllint']) / statistics.median(times[tool]):.3f}, per-round median {statistics.median(rounds):.3f}")
PY
