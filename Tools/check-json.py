#!/usr/bin/env python3
"""Independent checks of the JSON files PurchaseActions writes and documents.

    check-json.py --schema SCHEMA [--canonical] FILE...     every file (or every line of a .jsonl)
                                                             must validate; with --canonical, each
                                                             .json file must be byte-identical to
                                                             json.dumps(indent=2, sort_keys=True,
                                                             ensure_ascii=False) plus a newline
    check-json.py --schema SCHEMA --invalid MANIFEST         every file the manifest lists must be
                                                             refused, with an error at its "path"

Uses Python's jsonschema (draft 2020-12), which shares no code with the Swift side. Prints one line
per problem and exits 1 if there is any.
"""
import argparse
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    sys.exit("check-json.py: needs Python's jsonschema (pip install jsonschema)")


def validator(schema_path):
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def documents(path):
    """(label, value) for a .json file, or for each line of a .jsonl file."""
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8")
    if path.endswith(".jsonl"):
        return [(f"{path}:{number}", json.loads(line)) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    return [(path, json.loads(text))]


def check_valid(check, files, canonical):
    problems = []
    for path in files:
        for label, value in documents(path):
            for error in sorted(check.iter_errors(value), key=lambda e: e.json_path):
                problems.append(f"{label}: {error.json_path}: {error.message}")
        if canonical and path.endswith(".json"):
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
            if text != json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n":
                problems.append(f"{path}: not in canonical form")
    return problems


def check_invalid(check, manifest_path):
    problems = []
    folder = os.path.dirname(manifest_path)
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    for entry in manifest:
        path = os.path.join(folder, entry["file"])
        for label, value in documents(path):
            paths = sorted({error.json_path for error in check.iter_errors(value)})
            if not paths:
                problems.append(f"{label}: accepted, but must be refused ({entry.get('why', '')})")
            elif entry["path"] not in paths:
                problems.append(f"{label}: refused at {paths}, expected at {entry['path']}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--canonical", action="store_true")
    parser.add_argument("--invalid", metavar="MANIFEST")
    parser.add_argument("files", nargs="*")
    arguments = parser.parse_args()
    check = validator(arguments.schema)
    problems = check_invalid(check, arguments.invalid) if arguments.invalid else check_valid(check, arguments.files, arguments.canonical)
    for problem in problems:
        print(problem)
    count = len(arguments.files) if not arguments.invalid else "manifest"
    print(f"check-json.py: {arguments.schema}: {len(problems)} problem(s) in {count} file(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
