#!/usr/bin/env python3
"""Where the time inside one function goes, from a perf profile.

    perf record -e cpu-clock -F 1000 -g -o perf.data .build/release/engine-throughput --products 10000 --runs 3 --no-warmup
    perf script -i perf.data | python3 Tools/perf-under.py 0C0C6ingest 30

Reads `perf script` output (with call graphs) on stdin; keeps the samples whose stack holds a frame
whose mangled symbol contains ROOT (`0C0C6ingest` is `Engine.ingest(_:)`), so setup is left out;
prints the self and inclusive shares of those samples per symbol, demangled with
`swift demangle --simplified`. TOP (default 40) is the number of rows of each list."""
import collections, subprocess, sys
root = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
samples = []
stack = []
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        if stack: samples.append(stack)
        stack = []
        continue
    if line.startswith("\t") or line.startswith(" "):
        parts = line.strip().split(None, 1)
        if len(parts) < 2: continue
        sym = parts[1].rsplit(" (", 1)[0]
        if "+0x" in sym: sym = sym.rsplit("+0x", 1)[0]
        stack.append(sym)
if stack: samples.append(stack)
kept = [s for s in samples if any(root in f for f in s)]
n = len(kept)
selfc = collections.Counter(s[0] for s in kept)
inc = collections.Counter()
for s in kept:
    # only frames at or below the root frame
    idx = max(i for i, f in enumerate(s) if root in f)
    for f in set(s[:idx + 1]): inc[f] += 1
names = list(set(selfc) | set(inc))
out = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True).stdout.split("\n")
dem = dict(zip(names, out))
def short(s, w=150):
    d = dem.get(s, s)
    return d if len(d) <= w else d[:w] + "…"
print(f"{n} samples under {root} (of {len(samples)} in all)")
print("\nself %   symbol")
for s, c in selfc.most_common(top): print(f"{100*c/n:6.1f}   {short(s)}")
print("\ninclusive %   symbol")
for s, c in inc.most_common(top): print(f"{100*c/n:6.1f}   {short(s)}")
