#!/usr/bin/env python3
"""Writes the workflows of a migration folder whole: each action naming a template gets the
template's members it leaves out (its own win; a member written null leaves the template's out),
as Workflow.load(_:templates:) does (Docs/workflow-format.md, "Templates"), in canonical form
(sorted keys, two-space indent, as Python writes it).

    Tools/whole-workflows.py MIGRATION_FOLDER OUT_FOLDER

Tools/update-goldens.sh uses it for Fixtures/workflows/<name>/, the bare workflow files tests read
as a folder of workflows without templates.
"""
import json
import os
import sys


def hydrate_steps(steps, templates):
    if not isinstance(steps, list):
        return
    for step in steps:
        if not isinstance(step, dict):
            continue
        action = step.get("action")
        if step.get("type") == "action" and isinstance(action, dict):
            template = templates.get(action.get("template"))
            if template is not None:
                own_type, its_type = action.get("type"), template["action"].get("type")
                if own_type is None or its_type is None or own_type == its_type:
                    for name, value in template["action"].items():
                        if name not in action:
                            action[name] = value
                        elif action[name] is None:
                            del action[name]
        for branch in step.get("branches") or []:
            if isinstance(branch, dict):
                hydrate_steps(branch.get("steps"), templates)
        hydrate_steps(step.get("otherwise"), templates)
        wait = step.get("wait")
        if isinstance(wait, dict):
            hydrate_steps(wait.get("onTimeout"), templates)


def main(source, out):
    templates = {}
    folder = os.path.join(source, "templates")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                template = json.load(file)
            templates[template["id"]] = template
    os.makedirs(out, exist_ok=True)
    workflows = os.path.join(source, "workflows")
    for name in sorted(os.listdir(workflows)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(workflows, name), encoding="utf-8") as file:
            workflow = json.load(file)
        hydrate_steps(workflow.get("steps"), templates)
        with open(os.path.join(out, name), "w", encoding="utf-8") as file:
            file.write(json.dumps(workflow, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
