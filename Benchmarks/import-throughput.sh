#!/usr/bin/env bash
# Import throughput and memory, side by side with an earlier commit's binary, in one run:
# `import-actions FILE -o DIR -q` (writing the output folder, no --pictures) on exports from
# Tools/generate-export.py. Target (issue 12): at least 4 x faster than 54e8007 on 20,000 action
# sets; peak memory flat (10 x the sets within 1.5 x the memory).
#
#   Benchmarks/import-throughput.sh                      # vs 54e8007, 20,000 sets, 3 rounds, + memory at 200,000
#   Benchmarks/import-throughput.sh --commit abc1234 --sets 5000 --no-memory
#   Benchmarks/import-throughput.sh --base PATH          # an already built binary to compare with
#
# Rounds are interleaved (base, new, base, new, ...) so a busy machine slows both alike; the best
# wall time and the best CPU time (user + sys) of each are compared; `sync` runs before each one, so
# the previous run's writes are not flushed during the next; every output is kept until the end and
# the previous ones are deleted (and, on ext4, 61 s waited) before the first
# round, so no run pays for creating files where another's were just deleted. Needs python3, git, swift,
# GNU time at /usr/bin/time. Scratch: bench-out/ (ignored by git), about 2.5 GB with --memory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
commit=54e8007 sets=20000 memory_sets=200000 rounds=3 memory=1 base="" out="$ROOT/bench-out" build=1
die() { echo "import-throughput: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --commit) commit=$2; shift 2 ;;
    --sets) sets=$2; shift 2 ;;
    --memory-sets) memory_sets=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-memory) memory=0; shift ;;
    --base) base=$2; shift 2 ;;
    --out-dir) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install -y time)"
mkdir -p "$out"
if [[ $build == 1 ]]; then
  echo "build: swift build -c release --product import-actions"
  (cd "$ROOT" && swift build -c release --product import-actions >/dev/null)
fi
new="$ROOT/.build/release/import-actions"
if [[ -z $base ]]; then
  tree="$out/base-$commit"
  if [[ ! -d $tree ]]; then
    echo "base: git worktree add $tree $commit"
    git -C "$ROOT" worktree add --detach "$tree" "$commit" >/dev/null
  fi
  echo "base: swift build -c release --product import-actions (in $tree)"
  (cd "$tree" && swift build -c release --product import-actions >/dev/null)
  base="$tree/.build/release/import-actions"
fi
[[ -x $base && -x $new ]] || die "binaries missing: $base $new"

export_for() { # N -> path of a generated export with N action sets (default catalogue, seed 42)
  local file="$out/import-n$1-seed42.xml"
  [[ -f $file ]] || python3 "$ROOT/Tools/generate-export.py" --action-sets "$1" --seed 42 -o "$file" >&2
  echo "$file"
}
runs="$out/runs"
settle() { # deletes earlier outputs, then waits out ext4's "recently deleted" window if it has no journal
  [[ -d $runs ]] || { mkdir -p "$runs"; return; }
  rm -rf "$runs"; mkdir -p "$runs"; sync
  # Without a journal, ext4 skips inodes freed in the last 60 s when it creates files, scanning past
  # each one (recently_deleted): creating 20,000 files just after deleting 20,000 costs seconds of
  # kernel time that belong to the deletion, not the import (Benchmarks/README.md).
  if [[ $(findmnt -n -o FSTYPE --target "$runs" 2>/dev/null) == ext4 ]]; then echo "settle: 61 s after deleting earlier outputs (ext4)"; sleep 61; fi
}
measure() { # binary file name -> "wall cpu rss_kb user sys"; the output stays until the end (see settle)
  sync # the previous run's files are written back now, not during this run
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$1" "$2" -o "$runs/$3" -q >/dev/null 2>"$out/stderr.txt" || {
    [[ $? == 1 ]] || { cat "$out/stderr.txt" >&2; die "$1 failed on $2"; }
  }
  awk '{printf "%.2f %.2f %d %.2f %.2f\n", $1, $2 + $3, $4, $2, $3}' "$out/time.txt"
}
best() { sort -n -k"$1" | head -1 | awk -v k="$1" '{print $k}'; }

file=$(export_for "$sets")
echo "export: $file ($(stat -L -c %s "$file") bytes, $sets action sets)"
cat "$file" >/dev/null
: >"$out/base.txt"; : >"$out/new.txt"
settle
for round in $(seq "$rounds"); do
  measure "$base" "$file" "base-$round" >>"$out/base.txt"
  measure "$new" "$file" "new-$round" >>"$out/new.txt"
  echo "round $round: base $(tail -1 "$out/base.txt")  new $(tail -1 "$out/new.txt")   (wall s, cpu s, peak KB, user s, sys s)"
done
median() { sort -n -k"$1" | awk -v k="$1" '{v[NR]=$k} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for k in 1 2 4 5; do printf '%s ' "$(median $k <"$out/base.txt")"; done | awk '{printf "base medians: wall %s, cpu %s (user %s + sys %s)\n", $1, $2, $3, $4}'
for k in 1 2 4 5; do printf '%s ' "$(median $k <"$out/new.txt")"; done | awk '{printf "new  medians: wall %s, cpu %s (user %s + sys %s)\n", $1, $2, $3, $4}'

bw=$(best 1 <"$out/base.txt") nw=$(best 1 <"$out/new.txt") bc=$(best 2 <"$out/base.txt") nc=$(best 2 <"$out/new.txt")
printf '%-28s %10s %10s %12s\n' binary "best wall" "best cpu" "peak MiB"
printf '%-28s %10s %10s %12s\n' "$commit" "$bw" "$bc" "$(awk '{print $3}' "$out/base.txt" | sort -n | tail -1 | awk '{printf "%.1f", $1/1024}')"
printf '%-28s %10s %10s %12s\n' "this tree" "$nw" "$nc" "$(awk '{print $3}' "$out/new.txt" | sort -n | tail -1 | awk '{printf "%.1f", $1/1024}')"
awk -v bw="$bw" -v nw="$nw" -v bc="$bc" -v nc="$nc" 'BEGIN {
  printf "speed-up: wall %.2f x, cpu %.2f x (target 4 x): %s\n", bw / nw, bc / nc, (bw / nw >= 4 ? "PASS" : "FAIL") }'

if [[ $memory == 1 ]]; then
  big=$(export_for "$memory_sets")
  echo "memory: $sets vs $memory_sets action sets"
  for binary in "$base" "$new"; do
    small_kb=$(measure "$binary" "$file" memory-small | awk '{print $3}')
    large_kb=$(measure "$binary" "$big" memory-large | awk '{print $3}')
    rm -rf "$runs/memory-small" "$runs/memory-large"
    awk -v b="$binary" -v s="$small_kb" -v l="$large_kb" 'BEGIN {
      printf "%s: %.1f MiB at N, %.1f MiB at 10 N: %.2f x (target 1.5 x): %s\n", b, s / 1024, l / 1024, l / s, (l / s <= 1.5 ? "PASS" : "FAIL") }'
  done
fi
rm -rf "$runs"
