#!/usr/bin/env bash
# Rewrites Fixtures/expected/<export>/ from Fixtures/exports/<export>.xml with the built
# import-actions (workflows/ and the migration report: migration-report.json, .md and .html, whose
# SHA-256 is the export's, so a changed fixture export changes its report too), and Fixtures/expected/<export>.simulation.txt with purchase-actions simulate. Run after a deliberate change to the compiler or the workflow format, then review
# the diff: `git diff Fixtures/expected`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product import-actions
swift build --product purchase-actions
for export in Fixtures/exports/*.xml; do
  name=$(basename "$export" .xml)
  .build/debug/import-actions "$export" -o "Fixtures/expected/$name" --force -q
  # The simulation of the export's events, run on 30 days past the first event.
  .build/debug/purchase-actions simulate --export "$export" --events "Fixtures/events/$name.jsonl" --until 30d \
    > "Fixtures/expected/$name.simulation.txt"
done
echo "updated: $(ls Fixtures/expected | tr '\n' ' ')"
