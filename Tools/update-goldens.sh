#!/usr/bin/env bash
# Rewrites Fixtures/expected/<export>/ from Fixtures/exports/<export>.xml with the built
# import-actions. Run after a deliberate change to the compiler or the workflow format, then review
# the diff: `git diff Fixtures/expected`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product import-actions
for export in Fixtures/exports/*.xml; do
  name=$(basename "$export" .xml)
  .build/debug/import-actions "$export" -o "Fixtures/expected/$name" --force -q
done
echo "updated: $(ls Fixtures/expected | tr '\n' ' ')"
