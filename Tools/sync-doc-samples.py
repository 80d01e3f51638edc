#!/usr/bin/env python3
"""Copies the compiled samples into the docs that show them, so an API rename is made once:

- README.md's program (the ```swift block with @main) ← Tools/AppCheck/Sources/MyApp/App.swift
- README.md's manifest (the ```swift block with swift-tools-version) ← Tools/AppCheck/Package.swift,
  its path dependency written as the URL form README shows
- the tutorial's code files (Sources/PurchaseActions/PurchaseActions.docc/Resources/RunPurchases-0N.swift,
  AppPackage.swift) ← Docs/Examples/TutorialExample.swift and Tools/AppCheck/Package.swift

Run from anywhere: python3 Tools/sync-doc-samples.py. DocsExampleTests checks the result.
"""
import os, re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = lambda p: os.path.join(root, p)
read = lambda p: open(path(p), encoding="utf-8").read()

def write(p, text):
    if not os.path.exists(path(p)) or read(p) != text:
        open(path(p), "w", encoding="utf-8").write(text)
        print("updated", p)

LOCAL = '.package(path: "../PurchaseActions"),'
REMOTE = '.package(url: "https://github.com/example/PurchaseActions.git", branch: "main"),'
manifest = read("Tools/AppCheck/Package.swift").replace(LOCAL, REMOTE)
program = read("Tools/AppCheck/Sources/MyApp/App.swift")

def replace_block(text, marker, body):
    def swap(match):
        return "```swift\n" + body.rstrip("\n") + "\n```" if marker in match.group(1) else match.group(0)
    return re.sub(r"```swift\n(.*?)\n```", swap, text, flags=re.S)

readme = replace_block(read("README.md"), "@main", program)
readme = replace_block(readme, "// swift-tools-version", manifest)
write("README.md", readme)

# The tutorial: five steps of one file, each the last one with later parts left out.
resources = "Sources/PurchaseActions/PurchaseActions.docc/Resources/"
write(resources + "AppPackage.swift", manifest)
lines = read("Docs/Examples/TutorialExample.swift").split("\n")
final = lines[lines.index("import Foundation"):]
while final and final[-1] == "":
    final.pop()
at = lambda prefix: next(i for i, line in enumerate(final) if line.strip().startswith(prefix))
runtime, tasks, advance, why, effects = (at(p) for p in (
    "// The engine actor", "// Every buyer pays", "// Two weeks pass", "// The why-log", "// The effects recorded"))
close = at("return (why, delivered)") + 1
head, closing, helper = final[:runtime], final[close:close + 1], final[close + 1:]
steps = [
    head + closing,
    final[:tasks] + closing,
    final[:advance] + closing + helper,
    final[:effects] + closing + helper,
    final,
]
for number, step in enumerate(steps, 1):
    step = [line for i, line in enumerate(step) if not (line == "" and i + 1 < len(step) and step[i + 1] == "}")]
    write(f"{resources}RunPurchases-{number:02d}.swift", "\n".join(step) + "\n")
