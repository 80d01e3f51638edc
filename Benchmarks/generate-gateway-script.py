#!/usr/bin/env python3
"""A large gateway script for the dunning simulation benchmark (Benchmarks/README.md, "Dunning simulation").

Writes a script (Docs/gateway-script.schema.json) of --rules rules for the cards, contacts and
amounts of Benchmarks/generate-failures.py (cards `card-<n>`, contacts `c-<n>`): most rules name a
card (half of them cards no failure has), some a contact and an attempt, some a decline code and an
attempt, some only an amount range; every other answer declines. Deterministic with --seed.

    Benchmarks/generate-gateway-script.py --rules 10000 --cards 5000 --seed 1 --out /tmp/script-10k.json
"""
import argparse
import json
import random

CODES = ["insufficient_funds", "do_not_honor", "card_velocity_exceeded", "processing_error"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=10_000, help="rules (at most 10000, the format's bound)")
    parser.add_argument("--cards", type=int, default=5_000, help="the failures' contacts (cards card-0 … card-<n-1>)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rules = []
    for index in range(args.rules):
        kind = rng.randrange(10)
        if kind < 6:
            when = {"card": f"card-{rng.randrange(args.cards * 2)}", "attempt": rng.randrange(2, 6)}
        elif kind < 8:
            when = {"contact": f"c-{rng.randrange(args.cards * 2)}", "attempt": rng.randrange(2, 6)}
        elif kind < 9:
            when = {"declineCode": rng.choice(CODES), "attempt": rng.randrange(2, 9), "amountAtLeast": rng.randrange(0, 100_000)}
        else:
            low = rng.randrange(0, 100_000)
            when = {"amountAtLeast": low, "amountAtMost": low + rng.randrange(0, 50)}
        answer = {"outcome": "approved"} if rng.randrange(3) == 0 else {"outcome": "declined"}
        rules.append({"when": when, "answer": answer})
    with open(args.out, "w") as out:
        json.dump({"format": 1, "rules": rules, "default": {"outcome": "declined"}}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
