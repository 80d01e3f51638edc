#!/usr/bin/env python3
"""Writes the events fixtures for the format's maxima and header fields (Docs/events.md, "Limits"):

    Fixtures/events/limits.jsonl               one valid event per maximum, each value AT its maximum
    Fixtures/events/invalid/<name>.json        the same events one past the maximum, and header
                                               fields holding control characters; each added to
                                               Fixtures/events/invalid/manifest.json with its path

Run from the package root after changing a maximum; the decoder's tests and Python's jsonschema
(Tools/check-json.py) both read the results.
"""
import copy
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EXAMPLES = os.path.join(ROOT, "Fixtures/events/examples.jsonl")
INVALID = os.path.join(ROOT, "Fixtures/events/invalid")

examples = {}
for line in open(EXAMPLES, encoding="utf-8"):
    if line.strip():
        event = json.loads(line)
        examples.setdefault(event["type"], event)


def base(kind, event_id):
    event = copy.deepcopy(examples[kind])
    event["id"] = event_id
    return event


STANDARD = ["Birthday", "City", "Company", "ContactType", "Country", "EmailAddress2", "JobTitle", "Leadsource", "OwnerID", "Phone1",
            "PostalCode", "State", "StreetAddress1", "StreetAddress2"]


def customs(count):
    return ["_F%03d" % index for index in range(count)]


def cases(at_maximum):
    """(name, json path, why, event) for each maximum, at it or one past it."""
    step = 0 if at_maximum else 1
    out = []

    e = base("payment.succeeded", "limit-quantity")
    e["order"]["lines"][0]["quantity"] = 1_000_000 + step
    out.append(("quantity-past-maximum", "$.order.lines[0].quantity", "a line's quantity is 1 to 1,000,000", e))

    e = base("payment.succeeded", "limit-index")
    e["payment"]["index"] = 100_000 + step
    e["order"]["paymentPlan"] = "pp-vip-3"
    out.append(("payment-index-past-maximum", "$.payment.index", "a payment index is 1 to 100,000", e))

    e = base("payment.succeeded", "limit-amount")
    e["payment"]["amount"]["minor"] = 9_007_199_254_740_991 + step
    out.append(("amount-past-maximum", "$.payment.amount.minor", "an amount is 0 to 2^53 - 1 minor units", e))

    e = base("payment.autocharge_failed", "limit-attempt")
    e["autocharge"]["attempt"] = 1000 + step
    out.append(("attempt-past-maximum", "$.autocharge.attempt", "an automatic charge attempt is 1 to 1,000", e))

    e = base("card.expiring", "limit-days")
    e["card"]["daysUntilExpiry"] = 100_000 + step
    out.append(("days-until-expiry-past-maximum", "$.card.daysUntilExpiry", "daysUntilExpiry is 0 to 100,000", e))

    e = base("payment.succeeded", "limit-lines")
    e["order"]["lines"] = [{"product": "prod-foundations-vip", "quantity": 1}] * (1000 + step)
    out.append(("lines-past-maximum", "$.order.lines", "an order has 1 to 1,000 lines", e))

    e = base("contact.updated", "limit-fields")
    e["contact"]["fields"] = {name: "x" for name in (STANDARD + customs(200 - len(STANDARD) + step))}
    out.append(("fields-past-maximum", "$.contact.fields", "an event sets at most 200 contact fields", e))

    e = base("contact.updated", "limit-changed")
    e["changed"] = STANDARD + customs(200 - len(STANDARD) + step)
    out.append(("changed-past-maximum", "$.changed", "changed lists at most 200 fields", e))

    e = base("cart.login", "limit-tags")
    e["contact"]["tags"] = ["tag-%04d" % index for index in range(1000 + step)]
    out.append(("tags-past-maximum", "$.contact.tags", "an event applies at most 1,000 tags", e))

    e = base("contact.updated", "limit-field-value")
    e["contact"]["fields"] = {"_MemberLevel": "é" * (10_000 + step)}
    out.append(("field-value-past-maximum", "$.contact.fields['_MemberLevel']", "a field value is at most 10,000 characters (not bytes)", e))

    e = base("cart.login", "limit-name")
    e["contact"].update({"firstName": "é" * (255 + step), "lastName": "Ó Briain", "email": "tomas@example.com"})
    out.append(("first-name-past-maximum", "$.contact.firstName", "a name is at most 255 characters (not bytes)", e))

    e = base("cart.login", "limit-email")
    e["contact"].update({"firstName": "Tomás", "lastName": "Ó Briain", "email": "t" * (254 - 12 + step) + "@example.com"})
    out.append(("email-past-maximum", "$.contact.email", "an email address is at most 254 characters", e))

    e = base("email.clicked", "limit-link")
    e["link"] = "https://example.com/" + "a" * (4000 - 20 + step)
    out.append(("link-past-maximum", "$.link", "a link is at most 4,000 characters", e))

    e = base("order.errored", "limit-message")
    e["error"]["message"] = "é" * (1000 + step)
    out.append(("error-message-past-maximum", "$.error.message", "an error message is at most 1,000 characters", e))

    e = base("cart.login", "limit-first-year")
    e["occurredAt"] = "0001-01-01T00:00:00Z" if at_maximum else "0000-12-31T23:59:59Z"
    out.append(("occurred-at-year-zero", "$.occurredAt", "times are in the years 0001 to 9999", e))

    e = base("cart.login", "limit-last-year")
    e["occurredAt"] = "9999-12-31T00:00:59-23:59"  # 9999-12-31T23:59:59Z, the last second, after the offset
    if at_maximum:
        out.append(("", "", "", e))

    # A fraction of 9 digits, the most (4 to 9 used to trap the parser); 10 digits are refused.
    e = base("cart.login", "limit-fraction")
    e["occurredAt"] = "2025-01-14T10:03:27.123456789-07:00" if at_maximum else "2025-01-14T10:03:27.1234567890-07:00"
    out.append(("occurred-at-fraction-past-maximum", "$.occurredAt", "a fraction of a second has at most 9 digits", e))

    e = base("card.expiring", "limit-expires")
    e["card"]["expires"] = "0001-01" if at_maximum else "0000-12"
    out.append(("card-expires-year-zero", "$.card.expires", "a card expires in the years 0001 to 9999", e))
    return out


HEADER = [
    ("id-with-line-feed", "$.id", "an id is printable ASCII: a line feed in it would forge a line of output",
     lambda e: e.update({"id": "evt-1\nerror: forged"})),
    ("first-name-header-injection", "$.contact.firstName", "a name may become part of an email header: CR LF would start a new header",
     lambda e: e["contact"].update({"firstName": "Bob\r\nBcc: everyone@example.com", "lastName": "Smith", "email": "bob@example.com"})),
    ("last-name-nul", "$.contact.lastName", "NUL is a control character, refused in names",
     lambda e: e["contact"].update({"firstName": "Bob", "lastName": "Sm\u0000ith", "email": "bob@example.com"})),
    ("first-name-escape", "$.contact.firstName", "an ANSI escape in a name would colour or move a terminal",
     lambda e: e["contact"].update({"firstName": "\u001b[2J\u001b[31mBob", "lastName": "Smith", "email": "bob@example.com"})),
    ("email-header-injection", "$.contact.email", "an email address becomes a To header: CR LF would add one",
     lambda e: e["contact"].update({"firstName": "Bob", "lastName": "Smith", "email": "bob@example.com\r\nBcc: everyone@example.com"})),
    ("field-value-line-separator", "$.contact.fields.Company", "a field value can be merged into a subject: U+2028 is a line break",
     lambda e: e["contact"].update({"fields": {"Company": "Acme\u2028Bcc: everyone@example.com"}})),
    ("link-with-line-feed", "$.link", "a link has no white space or control character",
     lambda e: e.update({"link": "https://example.com/\n"})),
]


def main():
    with open(os.path.join(ROOT, "Fixtures/events/limits.jsonl"), "w", encoding="utf-8") as handle:
        for _, _, _, event in cases(True):
            handle.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    manifest_path = os.path.join(INVALID, "manifest.json")
    manifest = json.load(open(manifest_path, encoding="utf-8"))
    entries = []
    for name, path, why, event in cases(False):
        if name:
            entries.append((name, path, why + ("; one past it is refused" if "past" in name else ""), event))
    for name, path, why, change in HEADER:
        kind = "email.clicked" if name.startswith("link") else "contact.updated" if name.startswith("field") else "cart.login"
        event = base(kind, "header-" + name)
        if kind == "contact.updated":
            event["changed"] = ["Company"]
        change(event)
        entries.append((name, path, why, event))
    names = {name + ".json" for name, _, _, _ in entries}
    manifest = [entry for entry in manifest if entry["file"] not in names]
    for name, path, why, event in entries:
        with open(os.path.join(INVALID, name + ".json"), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(event, ensure_ascii=False, indent=2) + "\n")
        manifest.append({"file": name + ".json", "path": path, "why": why})
    with open(manifest_path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


main()
