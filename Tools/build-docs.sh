#!/usr/bin/env bash
# Builds the DocC archives of the library modules with the toolchain's `docc`, from symbol graphs the
# compiler emits, and fails on any DocC warning (a broken link, a missing symbol, a bad directive).
#
#   Tools/build-docs.sh              # all seven: PurchaseActions PurchaseActionsCore LegacyImport PurchaseActionsEngine
#                                    #          PurchaseActionsDunning PurchaseActionsSQLite PurchaseActionsDelivery
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

library=(PurchaseActions PurchaseActionsCore LegacyImport PurchaseActionsEngine PurchaseActionsDunning PurchaseActionsSQLite PurchaseActionsDelivery)
modules=("$@")
((${#modules[@]})) || modules=("${library[@]}")
for module in "${modules[@]}"; do
  [[ " ${library[*]} " == *" $module "* ]] || { echo "error: $module is not a library module (${library[*]})" >&2; exit 1; }
done
out=.build/docs
scratch=.build/docs-build
# The compiler writes a module's graph when it compiles the module, so the graphs live with the
# scratch build they come from; if one is missing, build from scratch.
all=$scratch/symbol-graphs
graphs=$out/symbol-graphs
for module in "${modules[@]}"; do
  [ -s "$all/$module.symbols.json" ] || { rm -rf "$scratch"; break; }
done
mkdir -p "$all"
rm -rf "$graphs"

start=$(date +%s)
# The umbrella target compiles the core, the reader, the engine and dunning; the SQLite runtime and the
# deliverers are built beside it (same scratch folder, same flags), each only when asked for.
# Each module emits its graph; extensions of another module's types as extension blocks, so a
# link like ``PurchaseActionsEngine/OutboxMessage/deliveryLine`` (PurchaseActionsDelivery) resolves.
targets=()
for module in "${modules[@]}"; do
  case "$module" in
    PurchaseActionsSQLite|PurchaseActionsDelivery) targets+=("$module") ;;
    *) [[ " ${targets[*]} " == *" PurchaseActions "* ]] || targets=(PurchaseActions "${targets[@]}") ;;
  esac
done
for target in "${targets[@]}"; do
  swift build --scratch-path "$scratch" --target "$target" \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$all" -Xswiftc -emit-extension-block-symbols \
    -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "error: the build of $target for the symbol graphs failed" >&2; exit 1; }
done
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
