#!/usr/bin/env bash
# Rewrites Fixtures/expected/<export>/ from Fixtures/exports/<export>.xml with the built
# import-actions (the whole migration folder, with --pictures: workflows/, templates/, account.json,
# pictures/<id>.dot and the migration report: migration-report.json, .md and .html, whose
# SHA-256 is the export's, so a changed fixture export changes its report too), and Fixtures/expected/<export>.simulation.txt with purchase-actions simulate. Run after a
# deliberate change to the compiler or the workflow format, then review the diff:
# `git diff Fixtures/expected`. Fixtures/workflows/course-creator/ is the course-creator migration's
# workflows written whole (Tools/whole-workflows.py), a folder of bare workflow files. It stops if simulating the written folder (--migration) prints
# anything but what simulating the export prints.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product import-actions
swift build --product purchase-actions
for export in Fixtures/exports/*.xml; do
  name=$(basename "$export" .xml)
  # The pictures (pictures/<id>.dot) are goldens too; the SVG files dot makes are not (they depend
  # on the Graphviz version), so they are removed.
  # The report is written without --pictures, so its HTML holds no SVG (which depends on the
  # Graphviz version); the DOT files come from a second run with --pictures.
  rm -rf "Fixtures/expected/$name/pictures"
  .build/debug/import-actions "$export" -o "Fixtures/expected/$name" --force -q
  scratch=$(mktemp -d)
  .build/debug/import-actions "$export" -o "$scratch/out" -q --pictures
  mkdir "Fixtures/expected/$name/pictures"
  cp "$scratch"/out/pictures/*.dot "Fixtures/expected/$name/pictures/"
  rm -rf "$scratch"
  # The simulation of the export's events, run on 30 days past the first event.
  .build/debug/purchase-actions simulate --export "$export" --events "Fixtures/events/$name.jsonl" --until 30d \
    > "Fixtures/expected/$name.simulation.txt"
  # The migration folder read whole runs the same.
  .build/debug/purchase-actions simulate --migration "Fixtures/expected/$name" --events "Fixtures/events/$name.jsonl" --until 30d \
    | cmp -s - "Fixtures/expected/$name.simulation.txt" \
    || { echo "simulate --migration Fixtures/expected/$name differs from simulate --export $export" >&2; exit 1; }
done
# The dunning simulations of Fixtures/dunning/expected (its README.md; DunningSimulateStreamingTests).
d=Fixtures/dunning
saas=(--policy $d/policies/saas.yaml)
three=(--failures $d/failures/three-invoices.jsonl --gateway $d/scripts/stillwater.json)
quarter=(--failures $d/failures/stillwater-quarter.jsonl --gateway $d/scripts/stillwater.json)
generated=(--policy $d/expected/busy-local.json --failures $d/expected/generated-300.jsonl --gateway $d/expected/recovering-script.json --until 60d)
compare=(--compare $d/policies/legacy.yaml)
simulate() { out=$1; shift; .build/debug/purchase-actions dunning simulate "$@" > "$d/expected/$out"; }
simulate three.txt "${saas[@]}" "${three[@]}"
simulate three.json "${saas[@]}" "${three[@]}" --json
simulate quarter-compare.txt "${saas[@]}" "${quarter[@]}" "${compare[@]}"
simulate quarter-compare.json "${saas[@]}" "${quarter[@]}" "${compare[@]}" --json
simulate generated.txt "${generated[@]}"
simulate generated.json "${generated[@]}" --json
simulate generated-compare.json "${generated[@]}" "${compare[@]}" --json
# A folder of bare workflow files (whole: no templates) for the tests of bare folders.
rm -rf Fixtures/workflows/course-creator
python3 Tools/whole-workflows.py Fixtures/expected/course-creator Fixtures/workflows/course-creator
echo "updated: $(ls Fixtures/expected | tr '\n' ' ')"
