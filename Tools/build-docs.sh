#!/usr/bin/env bash
# Builds the DocC archives of the library modules with the toolchain's `docc`, from symbol graphs the
# compiler emits, and fails on any DocC warning (a broken link, a missing symbol, a bad directive).
#
#   Tools/build-docs.sh              # all four: PurchaseActions PurchaseActionsCore LegacyImport PurchaseActionsEngine
#   Tools/build-docs.sh LegacyImport # some of them
#
# Output: .build/docs/<Module>.doccarchive (outside git). The symbol graphs are built in their own
# scratch folder, .build/docs-build, so the flags they need do not invalidate the tests' build.
# Preview one with: docc preview Sources/<Module>/<Module>.docc --additional-symbol-graph-dir .build/docs/symbol-graphs/<Module> (after a run)
set -euo pipefail
cd "$(dirname "$0")/.."

swift_bin=$(readlink -f "$(command -v swift)")
docc=${DOCC:-$(dirname "$swift_bin")/docc}
[ -x "$docc" ] || docc=$(command -v docc || true)
[ -n "$docc" ] && [ -x "$docc" ] || { echo "error: no docc next to $swift_bin (set DOCC=/path/to/docc)" >&2; exit 1; }

modules=("$@")
((${#modules[@]})) || modules=(PurchaseActions PurchaseActionsCore LegacyImport PurchaseActionsEngine)
out=.build/docs
scratch=.build/docs-build
# The compiler writes a module's graph when it compiles the module, so the graphs live with the
# scratch build they come from; if one is missing, build from scratch.
all=$scratch/symbol-graphs
graphs=$out/symbol-graphs
for module in PurchaseActions PurchaseActionsCore LegacyImport PurchaseActionsEngine; do
  [ -s "$all/$module.symbols.json" ] || { rm -rf "$scratch"; break; }
done
mkdir -p "$all"
rm -rf "$graphs"

start=$(date +%s)
# One build of the umbrella target compiles the four modules; each emits its symbol graph.
swift build --scratch-path "$scratch" --target PurchaseActions \
  -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$all" \
  -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
[ "${PIPESTATUS[0]}" = 0 ] || { echo "error: the build for the symbol graphs failed" >&2; exit 1; }
for module in "${modules[@]}"; do
  [ -s "$all/$module.symbols.json" ] || { echo "error: no symbol graph $all/$module.symbols.json (did the build fail?)" >&2; exit 1; }
done
echo "symbol graphs: $(( $(date +%s) - start ))s"

status=0
for module in "${modules[@]}"; do
  catalogue=Sources/$module/$module.docc
  [ -d "$catalogue" ] || { echo "error: no catalogue $catalogue" >&2; status=1; continue; }
  mkdir -p "$graphs/$module"
  # The module's own graph and its extensions of other modules' types (Module@Other.symbols.json).
  cp "$all/$module".symbols.json "$graphs/$module/"
  cp "$all/$module"@*.symbols.json "$graphs/$module/" 2>/dev/null || true
  rm -rf "$out/$module.doccarchive"
  log=$(mktemp)
  if ! "$docc" convert "$catalogue" \
      --fallback-display-name "$module" --fallback-bundle-identifier "com.purchaseactions.$module" \
      --additional-symbol-graph-dir "$graphs/$module" \
      --output-path "$out/$module.doccarchive" --warnings-as-errors >"$log" 2>&1; then
    cat "$log" >&2
    echo "error: DocC of $module has warnings or errors (above)" >&2
    status=1
  else
    echo "$out/$module.doccarchive"
  fi
  rm -f "$log"
done
echo "docs: $(( $(date +%s) - start ))s"
exit $status
