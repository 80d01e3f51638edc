#!/usr/bin/env bash
# Reader memory: peak RSS of `import-actions FILE --check --no-schema` on two exports
# with the same catalogue and N vs 10 x N action sets.
# Target: peak RSS (10 x N) <= 1.5 x peak RSS (N). See Benchmarks/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GENERATOR="$ROOT/Tools/generate-export.py"
TARGET_RATIO=1.5

out_dir="$ROOT/bench-out"
n=20000
factor=10
actions_per_set=8
tags=20000
products=5000
templates=2000
body_bytes=2048
seed=42
runs=1
build=1
reader=""
xmllint_only=0
regenerate=0
strict=0

usage() {
  cat <<EOF
Usage: Benchmarks/reader-memory.sh [options]

Generates two exports (Tools/generate-export.py, fixed seed) with the same
catalogue ($tags tags, $products products, $templates email templates with ~$body_bytes-byte
bodies, ...) and N = $n vs $factor x N action sets, builds import-actions in release
mode, runs

  .build/release/import-actions FILE --check --no-schema

on each under /usr/bin/time -f %M and prints both peak RSS figures and their
ratio. Target: ratio <= $TARGET_RATIO (memory follows the catalogue, not the number
of action sets). xmllint --stream is measured on both files too, as a reference.

Options:
  --out-dir DIR          scratch directory (default: bench-out/ in the package root;
                         ignored by git)
  --n N                  action sets in the small export (default: $n)
  --factor F             the large export has F x N action sets (default: $factor)
  --actions-per-set K    (default: $actions_per_set)
  --tags N               catalogue tags (default: $tags)
  --products N           catalogue products (default: $products)
  --templates N          catalogue email templates (default: $templates)
  --template-body-bytes B  size of each template body (default: $body_bytes)
  --seed N               generator seed (default: $seed)
  --runs N               runs per file; the largest peak RSS counts (default: $runs)
  --no-build             do not run swift build; use the existing binary
  --import-actions PATH  reader binary (implies --no-build;
                         default: .build/release/import-actions)
  --xmllint-only         measure xmllint --stream only (no build, no reader)
  --regenerate           regenerate the exports even if matching ones exist
  --strict               exit 1 when the ratio is above the target
  -h, --help             this help

Exports are reused when the generator and its arguments are unchanged (a .key
file next to each records both).

Needs: python3, GNU time at /usr/bin/time (apt-get install -y time), swift
(unless --no-build), xmllint for the reference figures (apt-get install -y
libxml2-utils; skipped when missing).
EOF
}

die() { echo "reader-memory: $*" >&2; exit 1; }
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer"; }
natural() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out-dir) out_dir=${2:?--out-dir needs a value}; shift 2 ;;
    --n) n=${2:?--n needs a value}; shift 2 ;;
    --factor) factor=${2:?--factor needs a value}; shift 2 ;;
    --actions-per-set) actions_per_set=${2:?--actions-per-set needs a value}; shift 2 ;;
    --tags) tags=${2:?--tags needs a value}; shift 2 ;;
    --products) products=${2:?--products needs a value}; shift 2 ;;
    --templates) templates=${2:?--templates needs a value}; shift 2 ;;
    --template-body-bytes) body_bytes=${2:?--template-body-bytes needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --no-build) build=0; shift ;;
    --import-actions) reader=${2:?--import-actions needs a path}; build=0; shift 2 ;;
    --xmllint-only) xmllint_only=1; build=0; shift ;;
    --regenerate) regenerate=1; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "reader-memory: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
positive --n "$n"; positive --factor "$factor"; positive --runs "$runs"
natural --actions-per-set "$actions_per_set"; natural --tags "$tags"; natural --products "$products"
natural --templates "$templates"; natural --template-body-bytes "$body_bytes"
[[ $seed =~ ^-?[0-9]+$ ]] || die "--seed must be an integer"

# ---------------------------------------------------------------- tools
if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true >/dev/null 2>&1; }; then
  die "GNU time is needed at /usr/bin/time: apt-get install -y time"
fi
command -v python3 >/dev/null || die "python3 is needed to generate the exports"
[[ -f $GENERATOR ]] || die "generator not found: $GENERATOR"
have_xmllint=0
command -v xmllint >/dev/null && have_xmllint=1
if [[ $xmllint_only == 1 && $have_xmllint == 0 ]]; then
  die "xmllint is needed: apt-get install -y libxml2-utils"
fi

mkdir -p "$out_dir"
tmp=$(mktemp -d "$out_dir/.memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- exports
catalogue_args=(--tags "$tags" --products "$products" --templates "$templates"
                --template-body-bytes "$body_bytes" --actions-per-set "$actions_per_set" --seed "$seed")
catalogue_tag="t$tags-p$products-e$templates-b$body_bytes-k$actions_per_set-seed$seed"

# generate SETS: prints the path of an export with SETS action sets.
generate() {
  local sets=$1
  local file="$out_dir/memory-$catalogue_tag-n$sets.xml"
  local args=("${catalogue_args[@]}" --action-sets "$sets")
  local key
  key="$(sha256sum "$GENERATOR" | cut -c1-16) ${args[*]}"
  if [[ $regenerate == 0 && -f $file && -f $file.key && "$(cat "$file.key")" == "$key" ]]; then
    echo "export: reusing $file" >&2
  else
    echo "export: generating $file (python3 Tools/generate-export.py ${args[*]})" >&2
    rm -f "$file.key"
    python3 "$GENERATOR" "${args[@]}" -o "$file" >&2
    echo "$key" >"$file.key"
  fi
  echo "$file"
}

small=$(generate "$n")
large=$(generate "$((n * factor))")
small_mb=$(awk -v b="$(stat -c %s "$small")" 'BEGIN { printf "%.1f", b / 1e6 }')
large_mb=$(awk -v b="$(stat -c %s "$large")" 'BEGIN { printf "%.1f", b / 1e6 }')

# ---------------------------------------------------------------- reader binary
# shellcheck source=Benchmarks/lib.sh
source "$ROOT/Benchmarks/lib.sh"
find_reader

# ---------------------------------------------------------------- measuring
# peak LABEL CMD...: runs CMD $runs times under /usr/bin/time -f %M; prints the
# largest peak RSS (KiB).
peak() {
  local label=$1; shift
  local i rss status max=0
  for ((i = 1; i <= runs; i++)); do
    status=0
    /usr/bin/time -f '%M' -o "$tmp/time" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    if [[ $status != 0 ]]; then
      echo "error: $label failed with exit status $status: $*" >&2
      tail -n 20 "$tmp/stderr" >&2
      exit 1
    fi
    rss=$(tail -n 1 "$tmp/time")
    (( rss > max )) && max=$rss
  done
  echo "$max"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo
echo "small: $small ($n action sets, $small_mb MB)"
echo "large: $large ($((n * factor)) action sets, $large_mb MB)"
printf '%-38s %16s %16s %8s\n' "peak RSS (MiB)" "N=$n" "N=$((n * factor))" "ratio"

if [[ $have_xmllint == 1 ]]; then
  xs=$(peak xmllint xmllint --stream --noout "$small")
  xl=$(peak xmllint xmllint --stream --noout "$large")
  printf '%-38s %16s %16s %8s\n' "xmllint --stream --noout (reference)" "$(mib "$xs")" "$(mib "$xl")" "$(ratio "$xl" "$xs")"
fi
if [[ $xmllint_only == 1 ]]; then
  echo "(--xmllint-only: reader not measured)"
  exit 0
fi

rs=$(peak import-actions "$reader" "$small" --check --no-schema)
rl=$(peak import-actions "$reader" "$large" --check --no-schema)
r=$(ratio "$rl" "$rs")
printf '%-38s %16s %16s %8s\n' "import-actions --check --no-schema" "$(mib "$rs")" "$(mib "$rl")" "$r"
if awk -v r="$r" -v t="$TARGET_RATIO" 'BEGIN { exit !(r <= t) }'; then verdict=PASS; else verdict=FAIL; fi
echo "ratio large/small: $r (target <= $TARGET_RATIO): $verdict"
if [[ $verdict == FAIL && $strict == 1 ]]; then
  exit 1
fi
