#!/usr/bin/env bash
# The reliability test of issue 13: the worker (`purchase-actions run --drain`) processes a stream of
# events with waits of days and external effects while this script `kill -9`s it at random moments
# and restarts it; the JSON-POST deliverer sends every effect to a separate delivery sink
# (Tools/delivery-sink.py) that logs each delivery with its idempotency key.
#
# Usage: Tools/crash-test.sh [--rounds N] [--keep DIR] [--days D] [--buyers B] [--seed S]
#                            [--fail-every N] [--no-storage-faults] [--bin DIR]
#
#   --rounds N     kill -9 the worker N times in all (default 50; CI's short form: 5)
#   --keep DIR     keep the working folder (databases, sink logs, worker logs) in DIR (new or empty)
#   --days D       days of buyers (default 6); each day is one events file, the clock then runs on
#                  30 days so every wait (up to 14 days) fires
#   --buyers B     buyers per day (default 25): each buys the grinder of the bundled export
#                  Fixtures/exports/physical-goods-store.xml (emails now and a Brew School sequence
#                  with waits of 1, 3, 7 and 14 days); every 4th also has a checkout error first
#   --seed S       seed of the kill moments (default: random, printed so a run can be repeated)
#   --fail-every N the sink answers 500 to every Nth delivery (retries with backoff; default off)
#   --no-storage-faults  skip the read-only and disk-full checks (they need `unshare -m`: root, or
#                  unprivileged user and mount namespaces)
#   --bin DIR      folder holding purchase-actions and import-actions (default: `swift build`'s)
#
# What it does:
# 1. imports the export (import-actions), writes the events (one file per day), checks them with
#    `purchase-actions simulate`, and publishes the import into two databases;
# 2. the reference: for each day, adds the day's file to the events folder and runs
#    `run --drain --clock <day>T23:00:00Z --deliver-to <sink A>` once, uninterrupted; then the clock
#    runs on (+30 days, then hourly for retries);
# 3. the crash run: the same steps against sink B, but each step's worker is started and killed at a
#    random moment (kill -9) until that step's share of the N kills has landed, then run to the end;
#    on the middle day, a worker meets a read-only database folder, and another runs out of disk (a
#    small tmpfs): each must stop with a clear error, and the run goes on from what they left;
# 4. compares: raw deliveries and distinct keys of both sinks; the crash run's distinct keys must
#    equal the reference's, every duplicate must carry the same key and content (kind, details) as
#    the reference's delivery of that key; `purchase-actions log --json` and `enrollments --json` of
#    both databases must be equal, and neither outbox may hold a pending or dead row.
# Exit 0 when every check holds, 1 when one fails, 2 on a usage or set-up error.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
rounds=50 keep="" days=6 buyers=25 seed="" fail_every=0 storage_faults=1 bin=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
number() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "crash-test: $1 takes a whole number (got '$2')" >&2; exit 2; }; }
while (($#)); do
  case "$1" in
    --rounds) number "$1" "${2-}"; rounds="$2"; shift 2 ;;
    --keep) [[ -n "${2-}" ]] || usage; keep="$2"; shift 2 ;;
    --days) number "$1" "${2-}"; days="$2"; shift 2 ;;
    --buyers) number "$1" "${2-}"; buyers="$2"; shift 2 ;;
    --seed) number "$1" "${2-}"; seed="$2"; shift 2 ;;
    --fail-every) number "$1" "${2-}"; fail_every="$2"; shift 2 ;;
    --no-storage-faults) storage_faults=0; shift ;;
    --bin) [[ -n "${2-}" ]] || usage; bin="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "crash-test: unknown argument '$1'" >&2; usage ;;
  esac
done
((days >= 1 && days <= 365)) || { echo "crash-test: --days is 1 to 365" >&2; exit 2; }
((buyers >= 1 && buyers <= 1000)) || { echo "crash-test: --buyers is 1 to 1000" >&2; exit 2; }
((rounds <= 10000)) || { echo "crash-test: --rounds is at most 10000" >&2; exit 2; }
[[ -n "$seed" ]] || seed=$(( (RANDOM << 15) | RANDOM ))
RANDOM=$((seed % 32768))
command -v python3 >/dev/null || { echo "crash-test: python3 is required" >&2; exit 2; }

# --- the binaries -------------------------------------------------------------------------------
if [[ -z "$bin" ]]; then
  (cd "$repo" && swift build --product purchase-actions >&2 && swift build --product import-actions >&2)
  bin="$(cd "$repo" && swift build --show-bin-path)"
fi
pa="$bin/purchase-actions" ia="$bin/import-actions"
[[ -x "$pa" && -x "$ia" ]] || { echo "crash-test: no purchase-actions / import-actions in $bin" >&2; exit 2; }

# --- the working folder and clean-up -----------------------------------------------------------
if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  [[ -z "$(ls -A "$keep")" ]] || { echo "crash-test: --keep $keep is not empty" >&2; exit 2; }
  work="$(cd "$keep" && pwd)"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/crash-test.XXXXXX")"
fi
started_pids=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$keep" ]] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/logs" "$work/days"
say() { printf '%s\n' "$*"; }
now_ms() { date +%s%3N; }
fail_setup() { echo "crash-test: $*" >&2; exit 2; }

say "crash test: rounds=$rounds days=$days buyers=$buyers seed=$seed fail-every=$fail_every work=$work"

# --- 1. the import, the events, the databases --------------------------------------------------
"$ia" "$repo/Fixtures/exports/physical-goods-store.xml" -o "$work/migration" -q >"$work/logs/import.txt" 2>&1 \
  || fail_setup "import-actions failed: $(tail -3 "$work/logs/import.txt")"

python3 - "$work/days" "$days" "$buyers" <<'PY'
import datetime, json, sys
folder, days, buyers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = datetime.datetime(2025, 4, 1, tzinfo=datetime.timezone.utc)
def line(event):
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)
for day in range(days):
    date = start + datetime.timedelta(days=day)
    with open(f"{folder}/day-{day + 1:04d}.jsonl", "w", encoding="utf-8") as out:
        for buyer in range(buyers):
            at = date + datetime.timedelta(hours=8, seconds=30 * buyer)
            stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
            contact = {"id": f"crash-c-{day + 1}-{buyer + 1}", "firstName": f"Buyer{buyer + 1}",
                       "lastName": f"Day{day + 1}", "email": f"buyer-{day + 1}-{buyer + 1}@example.com"}
            if buyer % 3 != 2:
                contact["fields"] = {"_GrindPreference": ["Pour-over", "Espresso"][buyer % 2]}
            if buyer % 4 == 3:
                out.write(line({"id": f"crash-err-{day + 1}-{buyer + 1}", "type": "order.errored", "occurredAt": stamp(at),
                                "contact": contact,
                                "order": {"id": f"crash-oe-{day + 1}-{buyer + 1}", "source": "order-form",
                                          "lines": [{"product": "prod-grinder", "quantity": 1}], "chargeMode": "card", "gateway": "stripe"},
                                "error": {"code": "gateway_timeout", "message": "The gateway did not answer."}}) + "\n")
                contact = {"id": contact["id"]}
                at += datetime.timedelta(seconds=10)
            out.write(line({"id": f"crash-pay-{day + 1}-{buyer + 1}", "type": "payment.succeeded", "occurredAt": stamp(at),
                            "contact": contact,
                            "order": {"id": f"crash-o-{day + 1}-{buyer + 1}", "source": "cart",
                                      "lines": [{"product": "prod-grinder", "quantity": 1}], "chargeMode": "card", "gateway": "stripe"},
                            "payment": {"index": 1, "amount": {"minor": 10600, "currency": "EUR"}}}) + "\n")
PY
cat "$work"/days/day-*.jsonl >"$work/all-events.jsonl"
"$pa" simulate --workflows "$work/migration" --events "$work/all-events.jsonl" --until 45d >"$work/logs/simulate.txt" 2>&1 \
  || fail_setup "the generated events do not simulate cleanly: $(tail -3 "$work/logs/simulate.txt")"
say "events: $(wc -l <"$work/all-events.jsonl") in $days files; simulate: $(tail -1 "$work/logs/simulate.txt")"

# The steps: one per day (its file added, the clock at 23:00 that day), then the clock runs on 30
# days (every wait fires), then hourly steps so retries after failed deliveries come due.
steps=()
for ((day = 1; day <= days; day++)); do
  steps+=("$(printf 'day-%04d.jsonl' "$day") $(date -u -d "2025-04-01 +$((day - 1)) days" +%Y-%m-%d)T23:00:00Z")
done
last="$(date -u -d "2025-04-01 +$((days - 1)) days" +%Y-%m-%d)"
steps+=("- $(date -u -d "$last +30 days" +%Y-%m-%d)T23:00:00Z")
for ((hour = 1; hour <= 9; hour++)); do
  steps+=("- $(date -u -d "$last +31 days" +%Y-%m-%d)T$(printf '%02d' "$hour"):00:00Z")
done

for run in reference crash; do
  mkdir -p "$work/$run/events"
  "$pa" publish "$work/migration" --database "$work/$run/purchase-actions.sqlite" >"$work/logs/$run-publish.txt" 2>&1 \
    || fail_setup "publish failed ($run): $(tail -3 "$work/logs/$run-publish.txt")"
done

start_sink() { # name → sets sink_url
  local name="$1"
  rm -f "$work/$name.port"
  python3 "$repo/Tools/delivery-sink.py" 0 "$work/$name-deliveries.jsonl" --fail-every "$fail_every" \
    --port-file "$work/$name.port" >"$work/logs/$name-sink.txt" 2>&1 &
  started_pids+=("$!")
  local tries=0
  until [[ -s "$work/$name.port" ]]; do
    ((++tries < 100)) || fail_setup "the delivery sink did not start: $(cat "$work/logs/$name-sink.txt")"
    sleep 0.05
  done
  sink_url="http://127.0.0.1:$(cat "$work/$name.port")/deliveries"
  : >>"$work/$name-deliveries.jsonl"
}

# run_worker RUN CLOCK URL LOG → starts the worker in the background, sets worker_pid
run_worker() {
  "$pa" run --database "$work/$1/purchase-actions.sqlite" --events "$work/$1/events" --drain \
    --clock "$2" --deliver-to "$3" >>"$4" 2>&1 &
  worker_pid=$!
}

# --- 2. the reference: one uninterrupted run per step ------------------------------------------
start_sink reference
reference_url="$sink_url"
declare -A step_ms=()
step_index=0
for step in "${steps[@]}"; do
  read -r file clock <<<"$step"
  [[ "$file" == "-" ]] || cp "$work/days/$file" "$work/reference/events/"
  log="$work/logs/reference-$step_index.txt"
  begin=$(now_ms)
  run_worker reference "$clock" "$reference_url" "$log"
  status=0; { wait "$worker_pid"; } 2>/dev/null || status=$?
  step_ms[$step_index]=$(( $(now_ms) - begin ))
  ((status == 0)) || fail_setup "the reference worker failed at $clock (exit $status): $(tail -3 "$log")"
  step_index=$((step_index + 1))
done
say "reference: ${#steps[@]} worker runs, $(wc -l <"$work/reference-deliveries.jsonl") deliveries"

# --- 3. the crash run ---------------------------------------------------------------------------
start_sink crash
crash_url="$sink_url"
kills=0 missed=0 restarts=0
fault_notes=()
fault_failures=0
middle=$(( (days + 1) / 2 - 1 ))

# storage_faults_now CLOCK: a worker whose database folder is read-only, then a worker whose
# database sits on a tmpfs too small for the day; each must stop with a clear error (not 0, not a
# crash), and the run goes on from what they left. (A folder cannot turn read-only under a worker
# that holds the database open for writing: Linux refuses that remount with EBUSY; so the worker
# starts on the read-only folder. The disk fills up while the worker runs.)
storage_faults_now() {
  local clock="$1" db_dir="$work/crash" log status size
  unshare -m true 2>/dev/null || { fault_notes+=("storage faults: skipped (unshare -m not permitted here)"); return; }
  log="$work/logs/crash-read-only.txt"
  status=0
  unshare -m bash -c '
    mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99
    exec "$2" run --database "$1/purchase-actions.sqlite" --events "$1/events" --drain --clock "$3" --deliver-to "$4" >>"$5" 2>&1
    ' _ "$db_dir" "$pa" "$clock" "$crash_url" "$log" || status=$?
  case "$status" in
    0) fault_notes+=("read-only folder: the worker exited 0; a clear error was expected"); fault_failures=$((fault_failures + 1)) ;;
    99) fault_notes+=("read-only folder: could not set up the read-only mount; not checked") ;;
    70|1[2-9][0-9]|2[0-9][0-9]) fault_notes+=("read-only folder: exit $status (an internal error or a crash, not a clear error): $(tail -1 "$log" | cut -c1-200)"); fault_failures=$((fault_failures + 1)) ;;
    *) fault_notes+=("read-only folder: exit $status: $(grep -v '^[[:space:]]*$' "$log" | tail -1 | cut -c1-200)") ;;
  esac
  log="$work/logs/crash-disk-full.txt"
  size=$(( $(du -sk "$db_dir" | cut -f1) + 48 ))
  status=0
  # The tmpfs is mounted over the database's own folder (so every path the worker stores, such as
  # its events files' positions, is the one it always had), filled with a copy of it; what the
  # worker leaves there (the file and its WAL: what it committed) replaces the database after.
  rm -rf "$work/.db-copy" "$work/.db-left"
  cp -a "$db_dir" "$work/.db-copy"
  mkdir "$work/.db-left"
  unshare -m bash -c '
    mount -t tmpfs -o size="$6"k tmpfs "$1" && cp -a "$7"/. "$1"/ || exit 99
    result=0
    "$2" run --database "$1/purchase-actions.sqlite" --events "$1/events" --drain --clock "$3" --deliver-to "$4" >>"$5" 2>&1 || result=$?
    cp -a "$1"/purchase-actions.sqlite* "$8"/ || exit 98
    exit $result' _ "$db_dir" "$pa" "$clock" "$crash_url" "$log" "$size" "$work/.db-copy" "$work/.db-left" || status=$?
  if ((status != 99 && status != 98)); then
    rm -f "$db_dir"/purchase-actions.sqlite*
    mv "$work/.db-left"/* "$db_dir"/
  fi
  rm -rf "$work/.db-copy" "$work/.db-left"
  case "$status" in
    0) fault_notes+=("disk full (tmpfs ${size} KiB): the day fit; not provoked") ;;
    99) fault_notes+=("disk full: could not set up the tmpfs; not checked") ;;
    98) fault_notes+=("disk full: could not copy the database back from the tmpfs; the run goes on from the database as it was before") ;;
    70|1[2-9][0-9]|2[0-9][0-9]) fault_notes+=("disk full (tmpfs ${size} KiB): exit $status (an internal error or a crash, not a clear error): $(tail -1 "$log" | cut -c1-200)"); fault_failures=$((fault_failures + 1)) ;;
    *) fault_notes+=("disk full (tmpfs ${size} KiB): exit $status: $(grep -v '^[[:space:]]*$' "$log" | tail -1 | cut -c1-200)") ;;
  esac
}

step_index=0
steps_left=${#steps[@]}
for step in "${steps[@]}"; do
  read -r file clock <<<"$step"
  [[ "$file" == "-" ]] || cp "$work/days/$file" "$work/crash/events/"
  log="$work/logs/crash-$step_index.txt"
  if ((storage_faults && step_index == middle)); then storage_faults_now "$clock"; fi
  # This step's share of the kills still to land; the window of kill moments starts at the
  # reference's duration for the step and halves after each run that ended before its moment.
  share=$(( (rounds - kills + steps_left - 1) / steps_left ))
  window=$(( step_ms[$step_index] > 20 ? step_ms[$step_index] : 20 ))
  landed=0 tries=0
  while ((landed < share && tries < 20 * share)); do
    tries=$((tries + 1))
    delay=$(( (RANDOM * 32768 + RANDOM) % window ))
    run_worker crash "$clock" "$crash_url" "$log"
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$worker_pid" 2>/dev/null || true
    status=0; { wait "$worker_pid"; } 2>/dev/null || status=$?
    restarts=$((restarts + 1))
    if ((status == 137)); then
      landed=$((landed + 1)); kills=$((kills + 1))
      printf '  kill %d at %d ms (step %d, %s)\n' "$kills" "$delay" "$step_index" "$clock" >>"$work/logs/kills.txt"
    elif ((status == 0)); then
      missed=$((missed + 1))
      window=$(( window / 2 > 5 ? window / 2 : 5 ))
    else
      echo "crash-test: the worker failed at $clock after a restart (exit $status):" >&2
      tail -5 "$log" >&2
      exit 1
    fi
  done
  # Then to the end, uninterrupted.
  status=0
  run_worker crash "$clock" "$crash_url" "$log"; { wait "$worker_pid"; } 2>/dev/null || status=$?
  ((status == 0)) || { echo "crash-test: the worker failed at $clock (exit $status):" >&2; tail -5 "$log" >&2; exit 1; }
  step_index=$((step_index + 1)); steps_left=$((steps_left - 1))
done
say "crash run: $kills kills (kill -9) of $rounds asked, $restarts restarts, $missed runs ended before their kill moment"
for note in "${fault_notes[@]}"; do say "  $note"; done

# --- 4. the comparison --------------------------------------------------------------------------
for run in reference crash; do
  db="$work/$run/purchase-actions.sqlite"
  "$pa" log --database "$db" --json >"$work/$run-log.jsonl"
  "$pa" enrollments --database "$db" --json >"$work/$run-enrollments.jsonl"
  "$pa" outbox --database "$db" --json >"$work/$run-outbox.jsonl"
  "$pa" outbox --database "$db" --dead --json >"$work/$run-outbox-dead.jsonl"
done

python3 - "$work" "$rounds" "$kills" "$fault_failures" <<'PY'
import collections, json, sys
work, rounds, kills, fault_failures = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
failures = []
if fault_failures:
    failures.append(f"{fault_failures} storage faults did not stop the worker with an error")

def deliveries(name):
    rows = []
    with open(f"{work}/{name}-deliveries.jsonl", encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            if not line.endswith("\n"):
                failures.append(f"{name} sink log: line {number} is partial")
                continue
            rows.append(json.loads(line))
    return rows

reference, crash = deliveries("reference"), deliveries("crash")
def content(row): return (row["kind"], row["detailsSha256"])
ref_by_key = collections.defaultdict(set)
for row in reference: ref_by_key[row["key"]].add(content(row))
crash_by_key = collections.defaultdict(list)
for row in crash: crash_by_key[row["key"]].append(row)

print(f"deliveries   reference: {len(reference)} raw, {len(ref_by_key)} distinct keys")
duplicates = len(crash) - len(crash_by_key)
print(f"             crash run: {len(crash)} raw, {len(crash_by_key)} distinct keys, {duplicates} duplicates"
      f" ({sum(1 for rows in crash_by_key.values() if len(rows) > 1)} keys delivered more than once)")
if len(reference) != len(ref_by_key):
    failures.append(f"the uninterrupted run delivered {len(reference) - len(ref_by_key)} duplicates")
if not ref_by_key:
    failures.append("the uninterrupted run delivered nothing: the test proves nothing")
missing = sorted(set(ref_by_key) - set(crash_by_key))
extra = sorted(set(crash_by_key) - set(ref_by_key))
if missing: failures.append(f"{len(missing)} keys never delivered in the crash run, e.g. {missing[:3]}")
if extra: failures.append(f"{len(extra)} keys delivered only in the crash run, e.g. {extra[:3]}")
mixed = [key for key, rows in crash_by_key.items()
         if len({content(row) for row in rows} | ref_by_key.get(key, set())) > 1]
if mixed: failures.append(f"{len(mixed)} keys carried different content across deliveries, e.g. {mixed[:3]}")
print(f"keys         crash == reference: {'yes' if not missing and not extra else 'NO'};"
      f" every duplicate the same key and content: {'yes' if not mixed else 'NO'}")

def lines(name):
    with open(f"{work}/{name}", encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file if line.strip()]

for what in ("log", "enrollments"):
    ref, cr = lines(f"reference-{what}.jsonl"), lines(f"crash-{what}.jsonl")
    if ref == cr:
        verdict = "equal"
    elif sorted(ref) == sorted(cr):
        verdict = "equal as sets, in another order"
        failures.append(f"the final {what} lists the same rows in another order")
    else:
        verdict = "DIFFERENT"
        first = next((i for i, (a, b) in enumerate(zip(ref, cr)) if a != b), min(len(ref), len(cr)))
        failures.append(f"the final {what} differs: {len(ref)} vs {len(cr)} rows, first difference at row {first + 1}"
                        f"\n    reference: {ref[first][:300] if first < len(ref) else '(none)'}"
                        f"\n    crash:     {cr[first][:300] if first < len(cr) else '(none)'}")
    print(f"{what:<12} reference {len(ref)} rows, crash run {len(cr)} rows: {verdict}")
    if not ref: failures.append(f"the final {what} is empty: the test proves nothing")

for name in ("reference", "crash"):
    states = collections.Counter()
    for number, line in enumerate(lines(f"{name}-outbox.jsonl"), 1):
        try:
            states[json.loads(line).get("state", "?")] += 1
        except ValueError:
            failures.append(f"{name}: line {number} of `outbox --json` is not one JSON object: {line[:120]}")
            break
    dead = len(lines(f"{name}-outbox-dead.jsonl"))
    print(f"outbox       {name}: {dict(sorted(states.items()))}, dead {dead}")
    if dead: failures.append(f"the {name} outbox holds {dead} dead rows")
    if states.get("pending"): failures.append(f"the {name} outbox holds {states['pending']} pending rows")

if kills < rounds:
    failures.append(f"only {kills} of the {rounds} kills asked landed on a running worker")
if failures:
    print("FAILED:")
    for failure in failures: print(f"  - {failure}")
    sys.exit(1)
print("PASSED: every effect delivered, duplicates only of the same key, final state equal to the uninterrupted run")
PY
