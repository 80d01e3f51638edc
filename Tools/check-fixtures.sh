#!/bin/sh
# Checks the export fixtures against Docs/export-format.xsd with xmllint:
#   - every Fixtures/exports/*.xml must validate;
#   - every Fixtures/malformed/ entry of manifest.json with "structural": true must be rejected.
# Exits 1 on any mismatch, 2 if a tool is missing.
#
# xmllint runs with --nonet and never with --noent, --loaddtd or --xinclude. Its output for a
# malformed fixture is never shown: on some documents (external parameter entities in an internal
# subset) xmllint reads the named file even without --loaddtd and prints what it read. For the same
# reason the manifest marks every "hostile" fixture structural: false, so none is fed to xmllint.
#
# Usage: Tools/check-fixtures.sh   (from anywhere; paths are relative to the package root)

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
schema="$root/Docs/export-format.xsd"
exports="$root/Fixtures/exports"
malformed="$root/Fixtures/malformed"
manifest="$malformed/manifest.json"

command -v xmllint >/dev/null 2>&1 || {
    echo "check-fixtures: xmllint not found (Debian/Ubuntu: apt-get install libxml2-utils)" >&2
    exit 2
}

# Prints the file name of every manifest entry with "structural": true, one a line.
structural_entries() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$manifest" <<'EOF'
import json, sys
for e in json.load(open(sys.argv[1], encoding="utf-8")):
    if e.get("structural") is True:
        print(e["file"])
EOF
    elif command -v jq >/dev/null 2>&1; then
        jq -r '.[] | select(.structural == true) | .file' "$manifest"
    else
        echo "check-fixtures: python3 or jq is needed to read $manifest" >&2
        return 2
    fi
}

failures=0
checked=0
out=$(mktemp "${TMPDIR:-/tmp}/check-fixtures.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM

# 1. Valid exports pass.
found=0
for f in "$exports"/*.xml; do
    [ -e "$f" ] || continue
    found=1
    checked=$((checked + 1))
    if xmllint --noout --nonet --schema "$schema" "$f" >"$out" 2>&1; then
        echo "ok    valid       ${f#"$root"/}"
    else
        echo "FAIL  valid       ${f#"$root"/} does not validate:"
        sed 's/^/      /' "$out"
        failures=$((failures + 1))
    fi
done
if [ "$found" -eq 0 ]; then
    echo "FAIL  no fixtures in ${exports#"$root"/}"
    failures=$((failures + 1))
fi

# 2. Structural malformed fixtures are rejected.
[ -f "$manifest" ] || { echo "check-fixtures: $manifest not found" >&2; exit 2; }
entries=$(structural_entries) || exit 2
if [ -z "$entries" ]; then
    echo "FAIL  no structural entries in ${manifest#"$root"/}"
    failures=$((failures + 1))
fi
while IFS= read -r name; do
    [ -n "$name" ] || continue
    f="$malformed/$name"
    checked=$((checked + 1))
    if [ ! -f "$f" ]; then
        echo "FAIL  structural  Fixtures/malformed/$name is listed but missing"
        failures=$((failures + 1))
        continue
    fi
    if xmllint --noout --nonet --schema "$schema" "$f" >/dev/null 2>&1; then
        echo "FAIL  structural  Fixtures/malformed/$name validates, but must be rejected"
        failures=$((failures + 1))
    else
        echo "ok    structural  Fixtures/malformed/$name rejected"
    fi
done <<EOF
$entries
EOF

echo "check-fixtures: $checked checked, $failures failed"
[ "$failures" -eq 0 ]
