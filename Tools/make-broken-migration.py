#!/usr/bin/env python3
"""Writes Fixtures/workflows/broken-migration: an import's output folder with one instance of each
kind of problem `purchase-actions validate` reports (its manifest.json lists them with file, line
and JSON path; ValidateTests checks them). Run from the repository root; the output is committed."""
import json, os, shutil

root = "Fixtures/workflows/broken-migration"
shutil.rmtree(root + "/workflows", ignore_errors=True)  # manifest.json stays
shutil.rmtree(root + "/templates", ignore_errors=True)
os.makedirs(root + "/workflows")
os.makedirs(root + "/templates")

def write(path, value):
    with open(os.path.join(root, path), "w") as f:
        f.write(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

settings = {"accountTimezone": "Europe/Dublin", "allowReentry": True, "onePerOrder": False, "stopOnResponse": False,
            "timezone": "account", "defaultSender": {"name": "Shop", "address": "shop@example.com"}}

def workflow(id, steps, triggers, status="published", **extra):
    w = {"formatVersion": 1, "id": id, "name": id, "version": 1, "status": status, "priority": 0,
         "triggers": triggers, "steps": steps, "settings": dict(settings)}
    w.update(extra)
    return w

manual = [{"id": "run", "event": "manual", "filters": []}]

# A valid account.json (the format of import-actions' output): physical-goods-store's, with
# membership-site's plans pointed at one of its products. The workflows name "-ghost" ids it lacks.
account = json.load(open("Fixtures/expected/physical-goods-store/account.json"))
plans = json.load(open("Fixtures/expected/membership-site/account.json"))["catalogue"]["subscriptionPlans"]
product = next(iter(account["catalogue"]["products"]))
for plan in plans.values():
    plan["product"] = product
account["catalogue"]["subscriptionPlans"] = plans
write("account.json", account)

email = {"type": "send-email", "to": {"type": "contact"}, "subject": "Welcome, {{contact.FirstName}}", "text": "Hello"}
write("templates/tpl-welcome.json", {"formatVersion": 1, "id": "tpl-welcome", "kind": "email", "name": "Welcome", "action": email})
write("templates/tpl-reminder.json", {"formatVersion": 1, "id": "tpl-reminder", "kind": "email", "name": "Reminder (SMS)",
                                      "action": {"type": "send-sms", "message": "Reminder"}})
write("templates/tpl-unused.json", {"formatVersion": 1, "id": "tpl-unused", "kind": "email", "name": "Unused", "action": email})
write("templates/tpl-broken.json", {"formatVersion": 1, "id": "tpl-broken", "kind": "postcard", "name": "Broken", "action": email})

def action(id, body):
    return {"id": id, "type": "action", "action": body}

write("workflows/slot.main.json", workflow("slot.main", [
    action("welcome", {"type": "send-email", "template": "tpl-welcome"}),
    action("tag", {"type": "add-tag", "tag": "tag-ghost"}),
    {"id": "run", "type": "call", "workflow": "action-set.gone"},
    {"id": "follow-up", "type": "enroll", "workflow": "sequence.paused"},
    action("lost", {"type": "send-email", "template": "tpl-gone"}),
    action("mixed", {"type": "send-email", "template": "tpl-reminder", "to": {"type": "contact"}, "subject": "x", "text": "x"}),
    action("owner", {"type": "assign-owner", "user": "user-ghost"}),
    action("cancel", {"type": "cancel-subscription", "subscriptionPlan": "plan-ghost"}),
    action("order", {"type": "create-order", "autocharge": False, "paymentPlan": "pp-ghost",
                     "lines": [{"bundle": "bun-ghost", "quantity": 1}]}),
    {"id": "wait", "type": "wait", "wait": {"until": "field", "field": "contact.fields.FristName", "offsetDays": 0}},
    {"id": "done", "type": "goal", "goal": {"name": "Upgraded", "event": "contact.updated",
                                            "filters": [{"field": "contact.fields._Nope", "op": "is-not-empty"}]}},
], [{"id": "paid", "event": "payment.succeeded",
     "filters": [{"field": "order.products", "op": "contains", "value": "prod-ghost"}]}]))

write("workflows/sequence.paused.json", workflow("sequence.paused", [{"id": "end", "type": "exit"}], manual, status="draft"))
write("workflows/orphan.json", workflow("orphan", [{"id": "end", "type": "exit"}], []))
w = workflow("orphan", [{"id": "end", "type": "exit"}], manual)
w["settings"]["accountTimezone"] = "Mars/Olympus"
write("workflows/wrong-name.json", w)
write("workflows/schema.json", dict(workflow("schema", [], manual), version=0))
with open(root + "/workflows/syntax.json", "w") as f:
    f.write('{\n  "formatVersion": 1,\n  "id": "syntax",\n  "name": "no closing brace"\n')
