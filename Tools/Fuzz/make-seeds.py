#!/usr/bin/env python3
"""Writes the seed files of Tools/Fuzz/Corpus-events/, Tools/Fuzz/Corpus-workflows/ and six workflow-* files of
Fixtures/fuzz-crashers/. The corpora get 
`fixture-*` copied from Fixtures/events/ (whole files, each line alone, Fixtures/events/invalid/) and
Fixtures/expected/*/workflows/, `seed-*` handmade hostile inputs. Other files of those folders are
inputs libFuzzer found (named by their SHA-1); this script leaves them alone.
Run: python3 Tools/Fuzz/make-seeds.py"""
import glob, json, os
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
ev_dir = os.path.join(here, "Corpus-events")
wf_dir = os.path.join(here, "Corpus-workflows")
os.makedirs(ev_dir, exist_ok=True)
os.makedirs(wf_dir, exist_ok=True)
LIMIT = 10 * 1024

def put(folder, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) <= LIMIT:
        open(os.path.join(folder, name), "wb").write(data)

# --- events: fixtures
for path in sorted(glob.glob(os.path.join(root, "Fixtures/events/*.jsonl"))):
    base = os.path.basename(path)[:-6]
    data = open(path, "rb").read()
    put(ev_dir, "fixture-%s.jsonl" % base, data)
    for n, line in enumerate(data.split(b"\n"), 1):
        if line.strip():
            put(ev_dir, "fixture-%s-line%02d.jsonl" % (base, n), line)
for path in sorted(glob.glob(os.path.join(root, "Fixtures/events/invalid/*.json"))):
    if os.path.basename(path) != "manifest.json":
        put(ev_dir, "fixture-invalid-%s" % os.path.basename(path), open(path, "rb").read())

# --- events: handmade
def ev(i, type_, at, contact=None, **extra):
    e = {"id": "h-%d" % i, "type": type_, "occurredAt": at, "contact": contact or {"id": "c-1"}}
    e.update(extra)
    return json.dumps(e, separators=(",", ":"), ensure_ascii=False)
order = {"id": "o-1", "source": "cart", "lines": [{"product": "prod-grinder", "quantity": 1}], "chargeMode": "card", "gateway": "stripe"}
named = {"firstName": "Ada", "lastName": "Byrne", "email": "ada@example.com", "timezone": "Pacific/Kiritimati",
         "fields": {"_FuzzDate": "9999-12-31", "Birthday": "0000-01-01"}}
seeds = {
    "huge-numbers": ev(1, "payment.succeeded", "2025-01-01T00:00:00Z", named,
                       order={**order, "lines": [{"product": "p", "quantity": 9223372036854775807}]},
                       payment={"index": 9223372036854775807, "amount": {"minor": -9223372036854775808, "currency": "USD"}}),
    "bigger-than-int64": ev(2, "payment.failed", "2025-01-01T00:00:00Z", named, order=order,
                            payment={"index": 1, "amount": {"minor": 99999999999999999999999, "currency": "USD"}, "declineCode": "x"}),
    "far-future-and-past": "\n".join([ev(3, "tag.added", "0000-01-01T00:00:00+23:59", named, tag="tag-a"),
                                      ev(4, "tag.added", "9999-12-31T23:59:59-23:59", named, tag="tag-b"),
                                      ev(22, "tag.added", "9999-12-31T23:59:60-23:59", named, tag="tag-c")]),
    "leap-second-nanos": ev(5, "cart.login", "2016-12-31T23:59:60.999999999+14:00"),
    "out-of-order-duplicate": "\n".join([ev(6, "cart.login", "2025-03-30T02:30:00+01:00"), ev(6, "cart.login", "2025-03-30T02:30:00+01:00"),
                                         ev(7, "cart.login", "2025-03-29T00:00:00Z")]),
    "crlf-lines": ev(8, "cart.login", "2025-01-01T00:00:00Z") + "\r\n\r\n  \t\r\n" + ev(9, "cart.login", "2025-01-01T00:00:01Z") + "\r",
    "names-with-control-characters": ev(10, "contact.created", "2025-01-01T00:00:00Z",
                                        {"firstName": "Bob\r\nBcc: x@example.com", "lastName": "\u0000\u001b[31m", "email": "b@example.com\r\n"}),
    "nul-in-id": ev(11, "cart.login", "2025-01-01T00:00:00Z", {"id": "c\u0000"}),
    "deep-nesting": '{"id":"h-12","type":"cart.login","occurredAt":"2025-01-01T00:00:00Z","contact":' + "[" * 200 + "]" * 200 + "}",
    "card-expiring-far": ev(13, "card.expiring", "2025-01-01T00:00:00Z", named, card={"id": "card-1", "expires": "9999-12", "daysUntilExpiry": 9223372036854775807}),
    "autocharge-attempts": ev(14, "payment.autocharge_failed", "2025-01-01T00:00:00Z", named, order=order,
                              payment={"index": 2, "amount": {"minor": 100, "currency": "EUR"}, "declineCode": "insufficient_funds"},
                              autocharge={"attempt": 9223372036854775807, "invoice": "inv-1"}),
    "unicode-escapes": '{"id":"h-15","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"\\ud800\\udc00\\u0000"}',
    "many-lines-same-contact": "\n".join(ev(100 + i, "tag.added", "2025-01-01T00:%02d:00Z" % i, named, tag="tag-%d" % i) for i in range(40)),
}
for name, text in seeds.items():
    put(ev_dir, "seed-%s.jsonl" % name, text)
put(ev_dir, "seed-invalid-utf8.jsonl", b'{"id":"h-20","type":"cart.login","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c\xff\xc0\x80\xed\xa0\x80"}}')
put(ev_dir, "seed-bom-and-nul.jsonl", b'\xef\xbb\xbf{"id":"h-21","type":"cart.login","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"}}\x00\n\x00')

# --- workflows: fixtures
for path in sorted(glob.glob(os.path.join(root, "Fixtures/expected/*/workflows/*.json"))):
    migration = path.split(os.sep)[-3]
    put(wf_dir, "fixture-%s-%s" % (migration, os.path.basename(path)), open(path, "rb").read())

# --- workflows: handmade
SETTINGS = {"accountTimezone": "Europe/Dublin", "allowReentry": True, "onePerOrder": False, "stopOnResponse": False, "timezone": "contact"}
def wf(wid, steps, event="tag.added", settings=None, triggers=None):
    return json.dumps({"formatVersion": 1, "id": wid, "name": "Seed " + wid, "version": 1, "status": "published", "priority": 10,
                       "triggers": triggers if triggers is not None else [{"id": "t", "event": event, "filters": []}],
                       "steps": steps, "settings": settings or SETTINGS}, indent=1, ensure_ascii=False)
def wait(i, w):
    return {"id": "w%d" % i, "type": "wait", "wait": w}
def act(i, a):
    return {"id": "a%d" % i, "type": "action", "action": a}
BIG = 10 ** 12
wseeds = {
    "huge-delay": wf("s1", [wait(1, {"until": "delay", "delay": {"days": BIG, "hours": BIG, "minutes": BIG}, "calendarDays": False, "from": "now"})]),
    "huge-calendar-wait": wf("s2", [wait(1, {"until": "delay", "delay": {"days": BIG}, "calendarDays": True, "from": "now", "at": "02:30"})]),
    "int64-calendar-wait": wf("s3", [wait(1, {"until": "delay", "delay": {"days": 9223372036854775807}, "calendarDays": True, "from": "enrollment"})]),
    "huge-field-offset": wf("s4", [wait(1, {"until": "field", "field": "contact.fields._Far", "offsetDays": BIG, "at": "09:00"}),
                                   wait(2, {"until": "field", "field": "contact.fields._Past", "offsetDays": -BIG})]),
    "huge-timeout": wf("s5", [wait(1, {"until": "event", "event": "tag.removed", "filters": [], "timeout": {"days": BIG}, "onTimeout": []}),
                              wait(2, {"until": "condition", "condition": {"field": "contact.tags", "op": "contains", "value": "x"},
                                       "timeout": {"minutes": 9223372036854775807}, "onTimeout": [act(3, {"type": "add-tag", "tag": "t"})]})]),
    "date-wait-extremes": wf("s6", [wait(1, {"until": "date", "date": "9999-12-31T23:59:59-23:59"}),
                                    wait(2, {"until": "date", "date": "0000-01-01T00:00:00+23:59"})]),
    "calendar-waits-dst": wf("s7", [wait(1, {"until": "delay", "delay": {"days": 0}, "calendarDays": True, "from": "now", "at": "01:30"}),
                                    wait(2, {"until": "delay", "delay": {"days": 1}, "calendarDays": True, "from": "enrollment", "at": "02:30"}),
                                    wait(3, {"until": "window", "window": {"days": ["sun"], "from": "01:00", "to": "01:01"}})]),
    "calls-itself-three-times": wf("s8", [{"id": "c%d" % i, "type": "call", "workflow": "s8"} for i in range(3)]),
    "enrolls-itself-three-times": wf("s9", [{"id": "e%d" % i, "type": "enroll", "workflow": "s9"} for i in range(3)]),
    "calls-and-enrolls-itself": wf("s10", [{"id": "c", "type": "call", "workflow": "s10"}, {"id": "e", "type": "enroll", "workflow": "s10"},
                                           {"id": "u", "type": "unenroll", "workflow": "s10"}]),
    "manual-trigger-calls-itself": wf("s11", [{"id": "c1", "type": "call", "workflow": "s11"}, {"id": "c2", "type": "call", "workflow": "s11"}],
                                      triggers=[{"id": "manual", "event": "manual", "filters": []}]),
    "header-fields-crlf-nul": wf("s12", [act(1, {"type": "send-email", "to": {"type": "contact"}, "from": {"name": "Bob\r\nBcc: x@example.com", "address": "b@example.com"},
                                                 "subject": "Hi\r\nBcc: evil@example.com\u0000", "text": "{{contact.FirstName}}\u001b[2J", "replyTo": "a@b\r\nX: y"})]),
    "sms-and-notify-controls": wf("s13", [act(1, {"type": "send-sms", "body": "\u0000\r\n{{contact.FirstName}}"}),
                                          act(2, {"type": "notify", "to": {"type": "owner"}, "subject": "x\ry"})]),
    "create-task-due-huge": wf("s14", [act(1, {"type": "create-task", "title": "t", "description": "d", "dueInDays": BIG, "priority": "high", "assignee": "user-1"})]),
}
# Deep nesting: ifs inside ifs, as deep as JSON allows and beyond.
def nested_if(depth):
    steps = [act(0, {"type": "add-tag", "tag": "deep"})]
    for d in range(depth):
        steps = [{"id": "if%d" % d, "type": "if", "branches": [{"name": "b", "when": {"field": "contact.tags", "op": "is-not-empty"}, "steps": steps}],
                  "otherwise": []}]
    return steps
wseeds["deep-if-10"] = wf("s15", nested_if(10))
wseeds["deep-if-40"] = wf("s16", nested_if(40))
def nested_not(depth):
    c = {"field": "tag", "op": "equals", "value": "x"}
    for _ in range(depth):
        c = {"not": c}
    return c
wseeds["deep-condition"] = wf("s17", [{"id": "g", "type": "if", "branches": [{"name": "n", "when": nested_not(70), "steps": []}], "otherwise": []}])
wseeds["deep-condition-50"] = wf("s20", [{"id": "g", "type": "if", "branches": [{"name": "n", "when": nested_not(50), "steps": []}], "otherwise": []}])
# Seeds that crashed or hung the code before issue 10's fixes live in Fixtures/fuzz-crashers/ instead
# (replayed by the tests; run-all.sh adds them to the working corpus).
crashers = {"huge-calendar-wait": "workflow-huge-calendar-wait-overflow.json", "int64-calendar-wait": "workflow-int64-calendar-wait-overflow.json",
            "huge-field-offset": "workflow-huge-field-offset-overflow.json", "calls-itself-three-times": "workflow-calls-itself-three-times-hang.json",
            "enrolls-itself-three-times": "workflow-enrolls-itself-three-times-hang.json",
            "manual-trigger-calls-itself": "workflow-manual-calls-itself-twice-hang.json"}
for name, text in wseeds.items():
    if name in crashers:
        put(os.path.join(root, "Fixtures/fuzz-crashers"), crashers[name], text)
    else:
        put(wf_dir, "seed-%s.json" % name, text)
put(wf_dir, "seed-invalid-utf8-name.json", wf("s18", []).encode().replace(b"Seed s18", b"Seed \xff\xfe\xc0\x80\xed\xa0\x80"))
put(wf_dir, "seed-nul-in-id.json", wf("s19", []).replace('"s19"', '"s\\u0000"'))
print("events:", len(os.listdir(ev_dir)), "workflows:", len(os.listdir(wf_dir)))
