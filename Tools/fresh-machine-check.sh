#!/usr/bin/env bash
# Tools/fresh-machine-check.sh: README's "Set-up" tried on a machine with only the prerequisites
# (Swift, libxml2-dev, libsqlite3-dev, tzdata), without a container engine.
#
# Usage (as root, from anywhere; a full build and two test runs: about 7 minutes on two cores, and
# SwiftPM fetches the dependencies over the network as on a fresh machine):
#
#     sudo Tools/fresh-machine-check.sh
#
# It clones the repository's committed HEAD into $FRESH_DIR (default /tmp/fresh-machine-check;
# uncommitted changes are not part of the check), then, in a private mount namespace
# (`unshare -m`), lays a copy of /usr/bin without the optional tools over /usr/bin (hidden:
# python*, pip*, pydoc*, xmllint, xmlcatalog, dot), puts empty folders over /usr/local/bin and
# ~/.pyenv, and runs with an empty HOME (so SwiftPM fetches the dependencies itself) and the PATH
# of a fresh shell plus the Swift toolchain's folder. There it checks that
#
#   1. the main job works:  swift run import-actions Fixtures/exports/course-creator.xml --force
#   2. the tests pass:      swift test   (the tests needing a hidden tool are skipped, with reasons)
#   3. CI's mode fails:     PURCHASE_ACTIONS_REQUIRE_TOOLS=1 swift test --skip-build
#                           (every skipped test fails instead, naming the missing tool)
#   4. without zone files (tzdata hidden too): import-actions still works, and purchase-actions
#      simulate says that tzdata is missing (tzdata is a prerequisite because the engine needs it)
#
# Logs stay in $FRESH_DIR (main-job.log, test.log, require-tools.log, no-tzdata.log). Exit status 0
# when all four hold, 1 otherwise.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ "$(id -u)" = 0 ] || { echo "fresh-machine-check: needs root (unshare -m and mount --bind)" >&2; exit 2; }
  command -v unshare >/dev/null || { echo "fresh-machine-check: needs unshare (util-linux)" >&2; exit 2; }
  repo=$(cd "$(dirname "$0")/.." && pwd)
  work=${FRESH_DIR:-/tmp/fresh-machine-check}
  swift=$(command -v swift) || { echo "fresh-machine-check: swift is not on PATH" >&2; exit 2; }
  toolchain=$(dirname "$(readlink -f "$swift")")
  case "$toolchain" in
    /usr/bin) echo "fresh-machine-check: the Swift toolchain lives in /usr/bin; this check hides parts of /usr/bin and expects the toolchain elsewhere (e.g. /opt/swift)" >&2; exit 2 ;;
  esac

  rm -rf "$work"
  mkdir -p "$work/home" "$work/empty"
  git clone -q "$repo" "$work/clone"
  echo "fresh-machine-check: clone of $(git -C "$work/clone" log -1 --format='%h %s' | cut -c1-80)"

  # /usr/bin without the optional tools: hard links where /usr/bin and $work share a file system,
  # a copy otherwise.
  cp -al /usr/bin "$work/usr-bin" 2>/dev/null || { rm -rf "$work/usr-bin"; cp -a /usr/bin "$work/usr-bin"; }
  (cd "$work/usr-bin" && rm -f python* pip* pydoc* xmllint xmlcatalog dot)

  exec unshare -m --propagation private "$0" --inside "$work" "$toolchain"
fi

# --- Inside the private mount namespace -----------------------------------------------------------
work=$2
toolchain=$3
mount --bind "$work/usr-bin" /usr/bin
mount --bind "$work/empty" /usr/local/bin
[ -d /root/.pyenv ] && mount --bind "$work/empty" /root/.pyenv
[ -n "${SUDO_USER:-}" ] && [ -d "/home/$SUDO_USER/.pyenv" ] && mount --bind "$work/empty" "/home/$SUDO_USER/.pyenv"

fresh() {
  env -i HOME="$work/home" LANG=C.UTF-8 TERM=dumb \
    PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$toolchain" "$@"
}
cd "$work/clone"
status=0

echo "fresh-machine-check: hidden tools (each should say 'missing'):"
for tool in python3 python xmllint dot; do
  if fresh sh -c "command -v $tool"; then echo "  $tool: STILL VISIBLE"; status=1; else echo "  $tool: missing"; fi
done
fresh swift --version 2>&1 | head -1

echo "fresh-machine-check: 1. main job"
if fresh swift run import-actions Fixtures/exports/course-creator.xml --force >"$work/main-job.log" 2>&1 \
  && [ -f course-creator/migration-report.json ]; then
  echo "  ok: $(tail -1 "$work/main-job.log")"
else
  echo "  FAILED (see $work/main-job.log):"; tail -20 "$work/main-job.log"; status=1
fi

echo "fresh-machine-check: 2. swift test"
if fresh swift test >"$work/test.log" 2>&1; then
  echo "  ok: $(grep 'Test run with' "$work/test.log" | tail -1 || true)"
else
  echo "  FAILED (see $work/test.log):"; { grep -E 'recorded an issue|error:' "$work/test.log" || true; } | head -30; status=1
fi
skips=$(grep -c 'skipped: "needs ' "$work/test.log" || true)
echo "  $skips tests or suites skipped for a missing tool; the reasons:"
{ grep -o 'skipped: "needs [^"]*"' "$work/test.log" || true; } | sort | uniq -c | sed 's/^/  /'

echo "fresh-machine-check: 3. PURCHASE_ACTIONS_REQUIRE_TOOLS=1 swift test --skip-build (must fail)"
if fresh env PURCHASE_ACTIONS_REQUIRE_TOOLS=1 swift test --skip-build >"$work/require-tools.log" 2>&1; then
  echo "  FAILED: the tests passed although tools are missing (see $work/require-tools.log)"; status=1
else
  named=$(grep -c 'is missing and PURCHASE_ACTIONS_REQUIRE_TOOLS=1 requires it' "$work/require-tools.log" || true)
  others=$({ grep 'recorded an issue' "$work/require-tools.log" || true; } | grep -vc 'is missing and PURCHASE_ACTIONS_REQUIRE_TOOLS=1' || true)
  echo "  failed as it should: $named failures name a missing tool, $others other failures"
  { grep -o '[^:]* is missing and PURCHASE_ACTIONS_REQUIRE_TOOLS=1 requires it' "$work/require-tools.log" || true; } | sort | uniq -c | sed 's/^/  /'
  [ "$named" -gt 0 ] && [ "$others" = 0 ] || status=1
fi

echo "fresh-machine-check: 4. without zone files (tzdata hidden as well)"
mount --bind "$work/empty" /usr/share/zoneinfo
products=$(fresh swift build --show-bin-path)
{
  fresh "$products/import-actions" Fixtures/exports/course-creator.xml --force && echo "import-actions: exit 0"
  fresh "$products/purchase-actions" simulate --export Fixtures/exports/course-creator.xml \
    --events Fixtures/events/course-creator.jsonl --until 30d >/dev/null && echo "simulate: exit 0" || echo "simulate: exit $?"
} >"$work/no-tzdata.log" 2>&1 || true
if grep -q '^import-actions: exit 0' "$work/no-tzdata.log"; then
  echo "  ok: import-actions needs no zone files"
else
  echo "  FAILED: import-actions without zone files (see $work/no-tzdata.log)"; status=1
fi
echo "  simulate without zone files: $(grep -m1 -o 'error: .*' "$work/no-tzdata.log" | cut -c1-200 || true)"
echo "  $(grep -m1 '^simulate' "$work/no-tzdata.log" || true)"

echo "fresh-machine-check: $([ $status = 0 ] && echo passed || echo FAILED); logs in $work"
exit $status
