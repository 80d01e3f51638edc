#!/usr/bin/env bash
# The kill test of the worker's dunning (issue 14): a crash between a charge and its record never
# charges twice. The worker (`purchase-actions run --drain --clock ... --gateway URL`) runs a
# published dunning policy against the reference payment gateway (Tools/payment-gateway-sink.py),
# which declines some attempts by number, approves others, holds each answer a moment after it
# charged (so a kill lands between the charge and the worker's record), and counts per idempotency
# key the charge calls and the real charges. This script kill -9s the worker at random moments and
# restarts it, then compares with a run without kills.
#
# Usage: Tools/crash-test-dunning.sh [--long] [--kills N] [--invoices I] [--seed S] [--delay-ms MS]
#                                    [--keep DIR] [--bin DIR]
#
#   (default)      the short form: 12 kills, 12 invoices, seed 1, about a minute (CI, the Swift test)
#   --long         the long form, by hand: 150 kills, 40 invoices, a random seed (printed)
#   --kills N      kill -9 the worker N times in all (at most 10000)
#   --invoices I   failed invoices (1 to 500); invoice k is declined hard (stolen_card, never
#                  retried) when k % 5 == 0, approved at attempt 2, 3 or 5 when k % 5 is 1, 2 or 3,
#                  and declined soft to the end (the final action) when k % 5 == 4
#   --seed S       seed of the kill moments (the short form's is 1)
#   --delay-ms MS  how long the gateway holds each new charge's answer (default 40): the window in
#                  which a kill leaves a charge made but not recorded
#   --keep DIR     keep the working folder (databases, gateway logs, worker logs) in DIR (new or empty)
#   --bin DIR      folder holding purchase-actions (default: `swift build`'s)
#
# What it does:
# 1. copies Fixtures/dunning/worker (the policy and a workflow) and publishes it into two databases;
#    writes the failures (payment.autocharge_failed, attempt 1) of I invoices over two days;
# 2. the reference: for each step (the failures file added at its day's end, then every 12 hours for
#    11 days), `run --drain --clock <step> --gateway <gateway A>` once, uninterrupted;
# 3. the kill run: the same steps against gateway B, but each step's worker is started and killed
#    (kill -9) at a random moment until that step's share of the kills has landed, then run to the end;
# 4. checks: no invoice was charged successfully twice, no key was ever sent with another body
#    (409), the keys charged are the reference's, no charge row is left pending, and the final
#    `dunning invoices --json` and `dunning timeline --json` (without the store's sequence numbers)
#    equal the reference's. It prints the charge calls that came back for a key already charged:
#    each is a kill between a charge and its record, answered by the gateway with its first result.
# Exit 0 when every check holds, 1 when one fails, 2 on a usage or set-up error.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
kills=12 invoices=12 seed=1 delay_ms=40 keep="" bin="" long=0 kills_given="" invoices_given="" seed_given=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
number() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "crash-test-dunning: $1 takes a whole number (got '$2')" >&2; exit 2; }; }
while (($#)); do
  case "$1" in
    --long) long=1; shift ;;
    --kills) number "$1" "${2-}"; kills_given="$2"; shift 2 ;;
    --invoices) number "$1" "${2-}"; invoices_given="$2"; shift 2 ;;
    --seed) number "$1" "${2-}"; seed_given="$2"; shift 2 ;;
    --delay-ms) number "$1" "${2-}"; delay_ms="$2"; shift 2 ;;
    --keep) [[ -n "${2-}" ]] || usage; keep="$2"; shift 2 ;;
    --bin) [[ -n "${2-}" ]] || usage; bin="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "crash-test-dunning: unknown argument '$1'" >&2; usage ;;
  esac
done
if ((long)); then kills=150 invoices=40 seed=$(( (RANDOM << 15) | RANDOM )); fi
kills="${kills_given:-$kills}" invoices="${invoices_given:-$invoices}" seed="${seed_given:-$seed}"
((kills <= 10000)) || { echo "crash-test-dunning: --kills is at most 10000" >&2; exit 2; }
((invoices >= 1 && invoices <= 500)) || { echo "crash-test-dunning: --invoices is 1 to 500" >&2; exit 2; }
((delay_ms <= 5000)) || { echo "crash-test-dunning: --delay-ms is at most 5000" >&2; exit 2; }
RANDOM=$((seed % 32768))
command -v python3 >/dev/null || { echo "crash-test-dunning: python3 is required" >&2; exit 2; }

if [[ -z "$bin" ]]; then
  (cd "$repo" && swift build --product purchase-actions >&2)
  bin="$(cd "$repo" && swift build --show-bin-path)"
fi
pa="$bin/purchase-actions"
[[ -x "$pa" ]] || { echo "crash-test-dunning: no purchase-actions in $bin" >&2; exit 2; }

if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  [[ -z "$(ls -A "$keep")" ]] || { echo "crash-test-dunning: --keep $keep is not empty" >&2; exit 2; }
  work="$(cd "$keep" && pwd)"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/crash-test-dunning.XXXXXX")"
fi
started_pids=()
cleanup() {
  local pid
  # SIGKILL: under a test harness SIGTERM may be blocked in the mask the gateway inherits, and
  # waiting for it would hang.
  for pid in "${started_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$keep" ]] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/logs" "$work/folder"
say() { printf '%s\n' "$*"; }
now_ms() { date +%s%3N; }
fail_setup() { echo "crash-test-dunning: $*" >&2; exit 2; }
began=$(now_ms)

say "dunning kill test: kills=$kills invoices=$invoices seed=$seed delay-ms=$delay_ms work=$work"

# --- 1. the folder, the failures, the databases -------------------------------------------------
cp -R "$repo/Fixtures/dunning/worker/workflows" "$repo/Fixtures/dunning/worker/dunning-policy.yaml" "$work/folder/"
sink_rules=()
python3 - "$work/failures.jsonl" "$invoices" >"$work/sink-rules.txt" <<'PY'
import datetime, json, sys
path, count = sys.argv[1], int(sys.argv[2])
start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.timezone.utc)
with open(path, "w", encoding="utf-8") as out:
    for k in range(1, count + 1):
        invoice = f"kt-inv-{k}"
        at = start + datetime.timedelta(minutes=37 * k)
        kind = k % 5
        code = "stolen_card" if kind == 0 else ("insufficient_funds" if k % 2 else "do_not_honor")
        event = {"id": f"{invoice}/attempt-1", "type": "payment.autocharge_failed", "occurredAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "contact": {"id": f"kt-c-{k}"},
                 "order": {"id": f"kt-ord-{k}", "source": "cart", "lines": [{"subscriptionPlan": "plan-monthly"}], "chargeMode": "card", "gateway": "stripe"},
                 "payment": {"index": 3, "amount": {"minor": 1900 + 100 * k, "currency": "USD"}, "declineCode": code, "invoice": invoice},
                 "subscription": {"id": f"kt-sub-{k}", "plan": "plan-monthly"},
                 "card": {"id": f"kt-card-{k}", "expires": "2029-01", "network": "mastercard" if k % 2 else "visa"},
                 "autocharge": {"attempt": 1, "invoice": invoice}}
        out.write(json.dumps(event, separators=(",", ":")) + "\n")
        below = {0: "1000:stolen_card", 1: "2", 2: "3", 3: "5", 4: "1000:do_not_honor"}[kind]
        print(f"{invoice}={below}")
PY
while read -r rule; do sink_rules+=(--decline-below "$rule"); done <"$work/sink-rules.txt"

for run in reference kill; do
  mkdir -p "$work/$run/events"
  "$pa" publish "$work/folder" --database "$work/$run/purchase-actions.sqlite" >"$work/logs/$run-publish.txt" 2>&1 \
    || fail_setup "publish failed ($run): $(tail -3 "$work/logs/$run-publish.txt")"
done

# The steps: the failures at the end of their last day, then every 12 hours for 11 days (the
# policy's four retries, two days apart, and its final action).
steps=("failures.jsonl 2026-03-03T23:00:00Z")
for ((half = 1; half <= 22; half++)); do
  steps+=("- $(date -u -d "2026-03-03T23:00:00Z + $((12 * half)) hours" +%Y-%m-%dT%H:%M:%SZ)")
done

start_sink() { # name delay → sets sink_url, sink_base
  local name="$1" delay="$2" tries=0
  rm -f "$work/$name.port"
  python3 "$repo/Tools/payment-gateway-sink.py" 0 "${sink_rules[@]}" --delay-ms "$delay" --log "$work/$name-charges.jsonl" \
    --calls-log "$work/$name-calls.jsonl" --port-file "$work/$name.port" >"$work/logs/$name-sink.txt" 2>&1 &
  started_pids+=("$!")
  until [[ -s "$work/$name.port" ]]; do
    ((++tries < 200)) || fail_setup "the payment gateway did not start: $(cat "$work/logs/$name-sink.txt")"
    sleep 0.05
  done
  sink_base="http://127.0.0.1:$(cat "$work/$name.port")"
  sink_url="$sink_base/charges"
}

run_worker() { # RUN CLOCK URL LOG → worker_pid
  "$pa" run --database "$work/$1/purchase-actions.sqlite" --events "$work/$1/events" --drain --clock "$2" \
    --gateway "$3" --gateway-timeout 10 --retention none --log-level warning >>"$4" 2>&1 &
  worker_pid=$!
}

# --- 2. the reference ---------------------------------------------------------------------------
start_sink reference 0
reference_url="$sink_url" reference_base="$sink_base"
declare -A step_ms=()
index=0
for step in "${steps[@]}"; do
  read -r file clock <<<"$step"
  [[ "$file" == "-" ]] || cp "$work/$file" "$work/reference/events/"
  log="$work/logs/reference-$index.txt"
  begin=$(now_ms)
  run_worker reference "$clock" "$reference_url" "$log"
  status=0; { wait "$worker_pid"; } 2>/dev/null || status=$?
  step_ms[$index]=$(( $(now_ms) - begin ))
  ((status == 0)) || fail_setup "the reference worker failed at $clock (exit $status): $(tail -3 "$log")"
  index=$((index + 1))
done
say "reference: ${#steps[@]} worker runs, $(wc -l <"$work/reference-charges.jsonl") charges"

# --- 3. the kill run ----------------------------------------------------------------------------
start_sink kill "$delay_ms"
kill_url="$sink_url" kill_base="$sink_base"
landed=0 missed=0 index=0 steps_left=${#steps[@]}
for step in "${steps[@]}"; do
  read -r file clock <<<"$step"
  [[ "$file" == "-" ]] || cp "$work/$file" "$work/kill/events/"
  log="$work/logs/kill-$index.txt"
  share=$(( (kills - landed + steps_left - 1) / steps_left ))
  window=$(( step_ms[$index] + 200 ))
  step_landed=0 tries=0
  while ((step_landed < share && tries < 20 * share + 20)); do
    tries=$((tries + 1))
    moment=$(( RANDOM % window ))
    run_worker kill "$clock" "$kill_url" "$log"
    sleep "$(printf '%d.%03d' $((moment / 1000)) $((moment % 1000)))"
    if kill -9 "$worker_pid" 2>/dev/null; then
      { wait "$worker_pid"; } 2>/dev/null || true
      step_landed=$((step_landed + 1))
      echo "-- killed at ${moment} ms" >>"$log"
    else
      status=0; { wait "$worker_pid"; } 2>/dev/null || status=$?
      ((status == 0)) || fail_setup "a worker of the kill run failed at $clock (exit $status): $(tail -3 "$log")"
      missed=$((missed + 1))
      window=$(( window > 100 ? window / 2 : 50 ))
    fi
  done
  landed=$((landed + step_landed))
  run_worker kill "$clock" "$kill_url" "$log"
  status=0; { wait "$worker_pid"; } 2>/dev/null || status=$?
  ((status == 0)) || fail_setup "the last worker of a kill step failed at $clock (exit $status): $(tail -3 "$log")"
  steps_left=$((steps_left - 1))
  index=$((index + 1))
done
say "kill run: $landed kills landed ($missed workers ended before their moment), $(wc -l <"$work/kill-charges.jsonl") charges"

# --- 4. the checks ------------------------------------------------------------------------------
for run in reference kill; do
  db="$work/$run/purchase-actions.sqlite"
  "$pa" dunning invoices --database "$db" --json >"$work/$run-invoices.jsonl"
  "$pa" dunning timeline --database "$db" --json --limit 1000000 >"$work/$run-timeline.jsonl"
  "$pa" outbox --database "$db" --pending --json >"$work/$run-pending.jsonl"
done
curl_counts() { python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + "/counts").read().decode())' "$1"; }
curl_counts "$reference_base" >"$work/reference-counts.json"
curl_counts "$kill_base" >"$work/kill-counts.json"

python3 - "$work" "$kills" "$landed" "$(( $(now_ms) - began ))" <<'PY'
import json, sys
work, asked, landed, elapsed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
failures = []
def lines(name):
    with open(f"{work}/{name}", encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file if line.strip()]
def counts(name):
    with open(f"{work}/{name}-counts.json", encoding="utf-8") as file:
        return json.load(file)
reference, killed = counts("reference"), counts("kill")
twice = sorted(invoice for invoice, value in killed["invoices"].items() if value["approved"] > 1)
if twice: failures.append(f"{len(twice)} invoices charged successfully more than once, e.g. {twice[:3]}")
conflicts = sorted(key for key, value in killed["keys"].items() if value["conflicts"])
if conflicts: failures.append(f"{len(conflicts)} keys sent again with another body (409), e.g. {conflicts[:3]}")
charged_twice = sorted(key for key, value in killed["keys"].items() if value["charges"] > 1)
if charged_twice: failures.append(f"{len(charged_twice)} keys charged twice by the gateway, e.g. {charged_twice[:3]}")
missing = sorted(set(reference["keys"]) - set(killed["keys"]))
extra = sorted(set(killed["keys"]) - set(reference["keys"]))
if missing: failures.append(f"{len(missing)} keys charged in the reference only, e.g. {missing[:3]}")
if extra: failures.append(f"{len(extra)} keys charged in the kill run only, e.g. {extra[:3]}")
if not reference["keys"]: failures.append("the reference charged nothing: the test proves nothing")
replays = killed["calls"] - killed["charges"]
print(f"charges      reference {reference['charges']} ({len(reference['invoices'])} approved), kill run {killed['charges']} real charges"
      f" in {killed['calls']} calls: {replays} calls for a key already charged (a kill between charge and record), answered with the first result")
print(f"             invoices charged successfully twice: {len(twice)}; keys charged twice: {len(charged_twice)}; 409s: {len(conflicts)}")

def without_sequence(text):
    value = json.loads(text)
    value.pop("sequence", None)
    return json.dumps(value, sort_keys=True)
for what, normalise in (("invoices", lambda text: text), ("timeline", without_sequence)):
    ref, kill = [normalise(l) for l in lines(f"reference-{what}.jsonl")], [normalise(l) for l in lines(f"kill-{what}.jsonl")]
    if ref == kill:
        verdict = "equal"
    else:
        verdict = "DIFFERENT"
        first = next((i for i, (a, b) in enumerate(zip(ref, kill)) if a != b), min(len(ref), len(kill)))
        failures.append(f"the final {what} differs: {len(ref)} vs {len(kill)} rows, first difference at row {first + 1}"
                        f"\n    reference: {ref[first][:400] if first < len(ref) else '(none)'}"
                        f"\n    kill run:  {kill[first][:400] if first < len(kill) else '(none)'}")
    print(f"{what:<12} reference {len(ref)} rows, kill run {len(kill)} rows: {verdict}")
    if not ref: failures.append(f"the final {what} is empty: the test proves nothing")
statuses = {}
for line in lines("reference-invoices.jsonl"):
    status = json.loads(line).get("status")
    statuses[status] = statuses.get(status, 0) + 1
print(f"             invoice statuses: {dict(sorted(statuses.items()))}")
for name in ("reference", "kill"):
    pending = [json.loads(line) for line in lines(f"{name}-pending.jsonl")]
    charges = [row for row in pending if row.get("kind") == "charge"]
    if charges: failures.append(f"the {name} outbox holds {len(charges)} pending charge rows, e.g. {charges[0].get('key')}")
if landed < asked:
    failures.append(f"only {landed} of the {asked} kills asked landed on a running worker")
print(f"time         {elapsed / 1000:.1f} s")
if failures:
    print("FAILED:")
    for failure in failures: print(f"  - {failure}")
    sys.exit(1)
print("PASSED: no invoice charged twice, every key answered with its first result, final dunning state equal to the run without kills")
PY
