#!/usr/bin/env python3
"""Failures for the dunning simulation benchmark (Benchmarks/README.md, "Dunning simulation").

Writes events of the events format v1 (Docs/events.md), one a line, in time order, to stdout or
--out: one `payment.autocharge_failed` (attempt 1) per failing subscription, spread over the first
--spread-days days, with a decline code from a realistic mix (soft, hard, advice codes, expired
cards), a card (Visa 60 %, Mastercard 30 %, Amex 5 %, none 5 %; every tenth contact has two
subscriptions on one card), and what happens next for some: a card update (6 %), a payment made
another way (5 %), a cancellation (2 %). Deterministic: the same --seed gives the same bytes.

    Benchmarks/generate-failures.py --count 100000 --seed 14 --out /tmp/failures.jsonl
"""
import argparse
import datetime
import json
import random
import sys

CODES = [
    ("insufficient_funds", None, 40), ("do_not_honor", None, 15), ("do_not_honor", "24", 2), ("do_not_honor", "25", 4),
    ("do_not_honor", "26", 2), ("do_not_honor", "27", 1), ("card_velocity_exceeded", None, 5), ("expired_card", "01", 8),
    ("lost_card", None, 3), ("stolen_card", None, 1), ("processing_error", None, 5), ("issuer_unavailable", None, 4),
    ("transaction_not_allowed", None, 2), ("do_not_honor", "03", 1), ("some_new_code", None, 3),
]
NETWORKS = [("visa", 60), ("mastercard", 30), ("amex", 5), (None, 5)]


def weighted(rng, items):
    total = sum(item[-1] for item in items)
    pick = rng.randrange(total)
    for item in items:
        pick -= item[-1]
        if pick < 0:
            return item
    return items[-1]


def stamp(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="failing subscriptions (default 100000)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    parser.add_argument("--spread-days", type=int, default=30, help="first failures spread over this many days (default 30)")
    parser.add_argument("--start", default="2026-01-01T00:00:00Z", help="the first day (UTC)")
    parser.add_argument("--out", help="output file (default stdout)")
    args = parser.parse_args()
    if not 1 <= args.count <= 1_000_000:
        parser.error("--count is 1 to 1000000")
    rng = random.Random(args.seed)
    start = int(datetime.datetime.strptime(args.start, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
    events = []
    contact = 0
    card_of_contact = {}
    for index in range(args.count):
        # Every tenth contact has a second subscription (on the same card).
        if index % 10 == 9:
            owner = contact - 1
        else:
            owner = contact
            contact += 1
        network = weighted(rng, NETWORKS)[0]
        if owner not in card_of_contact:
            card_of_contact[owner] = (f"card-{owner}", network)
        card_id, card_network = card_of_contact[owner]
        code, advice, _ = weighted(rng, CODES)
        at = start + rng.randrange(args.spread_days * 86_400)
        invoice = f"inv-{index:07d}"
        plan = "plan-annual" if index % 7 == 0 else "plan-monthly"
        amount = 29_900 if plan == "plan-annual" else rng.choice([900, 2900, 4900, 9900])
        payment = {"index": 2 + rng.randrange(12), "amount": {"minor": amount, "currency": rng.choice(["USD", "USD", "USD", "EUR"])},
                   "declineCode": code, "invoice": invoice}
        if advice:
            payment["adviceCode"] = advice
        card = {"id": card_id, "expires": "2024-12" if code == "expired_card" else "2029-06"}
        if card_network:
            card["network"] = card_network
        event = {"id": f"{invoice}/attempt-1", "type": "payment.autocharge_failed", "occurredAt": stamp(at),
                 "contact": {"id": f"c-{owner}"},
                 "order": {"id": f"ord-{index}", "source": "cart", "lines": [{"subscriptionPlan": plan}], "chargeMode": "card", "gateway": "stripe"},
                 "payment": payment, "subscription": {"id": f"sub-{index}", "plan": plan},
                 "autocharge": {"attempt": 1, "invoice": invoice}}
        if rng.randrange(100) >= 3:
            event["card"] = card
        events.append((at, len(events), event))
        fate = rng.randrange(100)
        later = at + 3600 + rng.randrange(20 * 86_400)
        if fate < 6:
            new_card = f"card-{owner}-new"
            card_of_contact[owner] = (new_card, card_network)
            update = {"id": f"upd-{index}", "type": "payment_method.updated", "occurredAt": stamp(later), "contact": {"id": f"c-{owner}"},
                      "card": {"id": new_card, "expires": "2031-01", **({"network": card_network} if card_network else {})}}
            events.append((later, len(events), update))
        elif fate < 11:
            paid = {"id": f"paid-{index}", "type": "subscription.renewed", "occurredAt": stamp(later), "contact": {"id": f"c-{owner}"},
                    "order": {"id": f"ord-{index}", "source": "cart", "lines": [{"subscriptionPlan": plan}], "chargeMode": "recorded"},
                    "payment": {"index": payment["index"], "amount": payment["amount"], "invoice": invoice},
                    "subscription": {"id": f"sub-{index}", "plan": plan}}
            events.append((later, len(events), paid))
        elif fate < 13:
            cancel = {"id": f"cancel-{index}", "type": "subscription.cancelled", "occurredAt": stamp(later), "contact": {"id": f"c-{owner}"},
                      "subscription": {"id": f"sub-{index}", "plan": plan}}
            events.append((later, len(events), cancel))
    events.sort(key=lambda item: (item[0], item[1]))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    with out:
        for _, _, event in events:
            out.write(json.dumps(event, separators=(",", ":"), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
