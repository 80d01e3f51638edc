#!/usr/bin/env python3
"""Independent answers for the timezone oracle test (Tests/PurchaseActionsCoreTests/TimeZoneOracleTests.swift).

Usage: tz-oracle.py CASES.json > ANSWERS.json

Reads the zone files the Swift test read (same folder, via ZoneInfo.from_file) and answers every
case with Python's zoneinfo, stdlib only:
  offset  {"zone", "t"}                   -> UTC offset in seconds at instant t (utcoffset)
  civil   {"zone", "t"}                   -> wall time at t, "YYYY-MM-DDTHH:MM:SS" (astimezone)
  instant {"zone", "wall"}                -> seconds of the wall time, fold=0 (timestamp())
  days    {"zone", "t", "days", "at"}     -> local date of t plus days, at "HH:MM" or t's wall time, fold=0
  window  {"zone", "t", "weekdays", "from", "to"} -> first second >= t whose wall time is on one of
                                             the weekdays (0 Sunday) in [from, to), scanning minutes
Also lists, per zone, the instants in each of the request's ranges [from, to) where utcoffset
changes: hour-by-hour scan, then bisection to the second. Answers are strings, in case order.
"""
import json
import os
import sys
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def load(folder, name):
    with open(os.path.join(folder, name), "rb") as file:
        return ZoneInfo.from_file(file, key=name)


def offset(tz, t):
    return int(datetime.fromtimestamp(t, tz).utcoffset().total_seconds())


def wall(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")


def hhmm(text):
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def transitions(tz, start, end):
    found = []
    t = start - 1  # so that a change at `start` itself is seen
    while t < end:
        step = min(3600, end - t)
        if offset(tz, t) != offset(tz, t + step):
            low, high = t, t + step  # offset(low) differs from offset(high): find the first second like high
            while high - low > 1:
                middle = (low + high) // 2
                if offset(tz, middle) == offset(tz, low):
                    low = middle
                else:
                    high = middle
            if start <= high < end:
                found.append(high)
        t += step
    return found


def window(tz, t, weekdays, opening, closing):
    lo = opening.hour * 3600 + opening.minute * 60
    hi = closing.hour * 3600 + closing.minute * 60

    def is_open(s):
        local = datetime.fromtimestamp(s, tz)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return local.isoweekday() % 7 in weekdays and lo <= seconds < hi

    if is_open(t):
        return t
    s = (t // 60 + 1) * 60
    for _ in range(60 * 24 * 40):
        if is_open(s):
            return s
        s += 60
    raise RuntimeError("window never opens")


def answer(case, zones):
    tz = zones[case["zone"]]
    kind = case["kind"]
    if kind == "offset":
        return str(offset(tz, case["t"]))
    if kind == "civil":
        return datetime.fromtimestamp(case["t"], tz).strftime("%Y-%m-%dT%H:%M:%S")
    if kind == "instant":
        return str(int(wall(case["wall"]).replace(tzinfo=tz, fold=0).timestamp()))
    if kind == "days":
        local = datetime.fromtimestamp(case["t"], tz)
        day = local.date() + timedelta(days=case["days"])
        clock = hhmm(case["at"]) if case.get("at") else local.time()
        return str(int(datetime.combine(day, clock, tzinfo=tz).timestamp()))
    if kind == "window":
        return str(window(tz, case["t"], set(case["weekdays"]), hhmm(case["from"]), hhmm(case["to"])))
    raise ValueError("unknown case kind " + kind)


def main():
    with open(sys.argv[1]) as file:
        request = json.load(file)
    zones = {name: load(request["zoneinfo"], name) for name in request["zones"]}
    result = {
        "transitions": {
            name: [t for start, end in request["ranges"] for t in transitions(tz, start, end)] for name, tz in zones.items()
        },
        "answers": [answer(case, zones) for case in request["cases"]],
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
