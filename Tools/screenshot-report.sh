#!/usr/bin/env bash
# Renders a migration-report.html with headless Chromium into a PNG, with its first workflow
# sections opened (the page's script expands an outline when its section opens). Made by hand for
# Docs/migration-report.png; Chromium stays out of CI.
#   Tools/screenshot-report.sh [report.html] [out.png]
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-Fixtures/expected/membership-site/migration-report.html}
out=${2:-Docs/migration-report.png}
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
# Open the first two sections of each kind (slots, action sets, ...).
python3 - "$report" "$page" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
head, sep, rest = text.partition("<div id=workflows>")
parts = re.split(r"(<h3>)", rest)
for index, part in enumerate(parts):
    parts[index] = re.sub(r"<details( class=[an])?><summary>", r"<details\1 open><summary>", part, count=2)
open(sys.argv[2], "w", encoding="utf-8").write(head + sep + "".join(parts))
PY
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,4200 \
  --virtual-time-budget=2000 --screenshot="$out" "file://$page" 2>/dev/null
echo "wrote $out"
