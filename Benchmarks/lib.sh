# Shared by the benchmark scripts; sourced, not run.

# find_reader: unless $xmllint_only is 1, builds import-actions in release mode when $build is 1,
# and sets $reader to the binary (keeping a --import-actions PATH the user gave). Needs $ROOT and die.
find_reader() {
  [[ $xmllint_only == 0 ]] || return 0
  if [[ $build == 1 ]]; then
    command -v swift >/dev/null || die "swift is needed to build import-actions (or pass --import-actions PATH)"
    echo "build: swift build -c release --product import-actions"
    (cd "$ROOT" && swift build -c release --product import-actions)
  fi
  if [[ -z $reader ]]; then
    reader="$ROOT/.build/release/import-actions"
    if [[ ! -x $reader ]] && command -v swift >/dev/null; then
      reader="$(cd "$ROOT" && swift build -c release --show-bin-path)/import-actions"
    fi
  fi
  [[ -x $reader ]] || die "import-actions not found at $reader (build it, or pass --import-actions PATH)"
}
