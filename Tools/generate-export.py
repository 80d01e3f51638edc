#!/usr/bin/env python3
"""Generate a synthetic, valid export (format v1, Docs/export-format.md) of any size.

The document is streamed: nothing but the catalogue's ids is kept in memory, so a
multi-gigabyte file costs the generator a few megabytes. The same arguments always
give byte-identical output.

Shape of the output:

* ``account`` with ``billing-defaults``.
* ``catalogue``: tag categories, tags, custom fields, users, products (some with
  price options), subscription plans, bundles, payment plans, email templates and
  every other template kind. Its size depends only on the catalogue options
  (--tags, --products, --templates, --users, --custom-fields,
  --template-body-bytes, --seed), never on the number of action sets, so two files
  that differ only in --action-sets share a byte-identical catalogue.
* ``sequences``: --sequences follow-up sequences with 1-6 steps each.
* ``action-sets``: ``as-1`` ... ``as-N``, each with --actions-per-set actions of
  every kind (the first actions of the file go through every kind once, so even a
  small file has all of them), ~20% of them with a leading ``rule``.
  ``run-action-set`` in ``as-i`` only references ``as-j`` with ``j > i``, so there
  is no cycle unless --cycle asks for one.
* ``purchase-actions``: the five global slots, ``product-purchase`` for ~75% of the
  products, ``subscription-purchase`` for ~50% of the plans.
* ``billing-automation``: failed / recovered autocharge and expiring card rules.

Ids are unique in the whole document; every reference points at an element that
exists; text is escaped (names contain ``&``, ``<``, quotes and non-ASCII text,
template bodies use both escapes and CDATA).
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import signal
import sys
import tempfile
import time

NAMESPACE = "urn:purchase-actions:export:v1"

# With --target-bytes the number of action sets is not known while the sequences are
# written; sequence steps only run the first SEQUENCE_RUN_TARGETS sets, and at least
# that many sets are written.
SEQUENCE_RUN_TARGETS = 10
# run-action-set in as-i references as-j with i < j <= i + FORWARD_WINDOW.
FORWARD_WINDOW = 50
RULE_PROBABILITY = 0.2

# --------------------------------------------------------------------------- escaping


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if "\n" in s or "\r" in s or "\t" in s:
        s = s.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return s


def cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


# --------------------------------------------------------------------------- word pools

WORDS = (
    "alpha bravo course bundle member premium starter growth annual monthly weekly vip "
    "coaching summit webinar ebook masterclass workshop toolkit academy mentor bonus "
    "launch upsell downsell renewal trial gold silver bronze platinum insider circle"
).split()

# Names that exercise escaping and non-ASCII text.
SPECIAL_NAMES = (
    "Tom & Jerry's <VIP> list",
    'The "Best" Customers',
    "Café Über Kunden",
    "Ünïcödé ✓ buyers",
    "Ärger & Ölpreis > 5 €",
    "顧客 (お得意様)",
    "Emoji 🚀 launch",
    "A < B && C > D",
    "Tab\there & newline\nthere",
)

MERGE_FIELDS = (
    "~Contact.FirstName~", "~Contact.LastName~", "~Contact.Email~", "~Contact.Company~",
    "~Contact._ShirtSize~", "~Owner.Email~", "~Owner.FirstName~", "~Date.Current~",
    "~Invoice.Total~", "~Product.Name~",
)

SENTENCES = (
    "Thanks for your order, {m}!",
    "Your download is ready & waiting for you.",
    "Questions? Reply to this email or write to {m}.",
    "Prices are in minor units: 4900 < 5000 is still true.",
    "Log in at https://members.example.com/login?user={m}&ref=mail to get started.",
    "We've added a bonus module \"Getting Started\" for you.",
    "Grüße aus Berlin — viele Grüße, {m}.",
    "Your next payment is due on {m}.",
    "Tip: 3 > 2 and 'quotes' are fine here.",
    "See you inside, {m}. ✓",
)

TIMEZONES = ("America/New_York", "Europe/Berlin", "America/Los_Angeles", "Australia/Sydney",
             "Asia/Tokyo", "UTC")
CURRENCIES = ("USD", "EUR", "GBP", "AUD", "CAD")
STANDARD_FIELDS = (
    "FirstName", "LastName", "Email", "EmailAddress2", "Phone1", "Company", "JobTitle",
    "StreetAddress1", "StreetAddress2", "City", "State", "PostalCode", "Country",
    "ContactType", "Leadsource", "Birthday", "DateCreated", "OwnerID",
)
CUSTOM_FIELD_NAMES = ("_ShirtSize", "_CourseLevel", "_RenewalDate", "_Newsletter", "_Plan")
CUSTOM_FIELD_TYPES = ("text", "number", "date", "yes-no", "list")
OPS_WITH_VALUE = ("equals", "not-equals", "contains", "not-contains", "starts-with",
                  "ends-with", "greater-than", "less-than", "before", "after")
OPS_NO_VALUE = ("is-empty", "is-not-empty")
STAGES = ("New", "Qualified", "Proposal", "Negotiation", "Won")
PRIORITIES = ("low", "medium", "high")
CYCLES = ("day", "week", "month", "year")

# Action kinds with their weights for the random mix.
ACTION_KINDS = (
    ("apply-tag", 20), ("remove-tag", 8), ("send-email", 18), ("http-post", 6),
    ("set-field", 8), ("run-action-set", 6), ("start-sequence", 5), ("stop-sequence", 2),
    ("create-task", 5), ("create-note", 3), ("create-appointment", 2), ("assign-owner", 2),
    ("create-order", 2), ("send-sms", 3), ("achieve-goal", 2), ("cancel-subscription", 1),
    ("complete-tasks", 1), ("create-opportunity", 1), ("send-fax", 1), ("send-letter", 1),
    ("send-voice", 1), ("send-fulfillment-list", 1),
)
SEQUENCE_ACTION_KINDS = (
    ("send-email", 10), ("apply-tag", 4), ("remove-tag", 1), ("create-task", 2),
    ("run-action-set", 2), ("send-sms", 1), ("http-post", 1), ("set-field", 1),
)

# --------------------------------------------------------------------------- output


class Sink:
    """Collects strings, writes them UTF-8-encoded on flush() and counts bytes."""

    def __init__(self, raw):
        self.raw = raw
        self.parts: list[str] = []
        self.bytes = 0

    def flush(self) -> None:
        if self.parts:
            data = "".join(self.parts).encode("utf-8")
            self.parts.clear()
            self.raw.write(data)
            self.bytes += len(data)


class Weighted:
    def __init__(self, pairs):
        self.items = [k for k, _ in pairs]
        self.cum = []
        total = 0.0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rnd) -> str:
        return self.items[bisect.bisect_right(self.cum, rnd() * self.total)]


# --------------------------------------------------------------------------- generator


class Generator:
    def __init__(self, args: argparse.Namespace):
        self.a = args
        self.seed = args.seed
        self.target = args.target_bytes
        self.n_sets = args.action_sets  # None with --target-bytes
        self.k = args.actions_per_set

        # Catalogue sizes: functions of the catalogue options only.
        self.n_tags = args.tags
        self.n_tag_cats = max(1, args.tags // 25) if args.tags else 0
        self.n_fields = args.custom_fields
        self.n_users = args.users
        self.n_products = args.products
        self.n_plans = args.products // 4
        self.n_bundles = args.products // 20
        self.n_payplans = max(1, args.products // 25) if args.products else 0
        self.n_email_tpl = args.templates
        n_other = max(1, args.templates // 10) if args.templates else 0
        self.n_task_tpl = self.n_note_tpl = self.n_appt_tpl = n_other
        self.n_letter_tpl = self.n_fax_tpl = self.n_voice_tpl = self.n_ful_tpl = n_other
        self.n_sequences = args.sequences

        self.custom_field_names = [
            CUSTOM_FIELD_NAMES[i] if i < len(CUSTOM_FIELD_NAMES) else f"_Field{i + 1}"
            for i in range(self.n_fields)
        ]
        self.contact_fields = list(STANDARD_FIELDS) + self.custom_field_names
        self.product_options: list[int] = []  # price options per product, filled by catalogue

        # Slots and billing rules are decided up front (independent of the number of
        # action sets) so --target-bytes can reserve room for them.
        r = self.rng("slots-plan")
        self.slot_products = [i for i in range(1, self.n_products + 1) if r.random() < 0.75]
        self.slot_plans = [i for i in range(1, self.n_plans + 1) if r.random() < 0.5]
        self.billing_rules = self.plan_billing_rules(r)

        self.stats = {"action-sets": 0, "actions": 0, "catalogue": 0, "steps": 0,
                      "slots": 0, "billing-rules": 0}
        self.cycle: list[int] = []
        self.need = 0  # highest action-set index referenced so far

    def rng(self, section: str) -> random.Random:
        # One independent stream per section: the catalogue does not change when the
        # number of action sets does, and the first action sets barely do.
        return random.Random(f"{self.seed}/{section}")

    # ----------------------------------------------------------------- small helpers

    @staticmethod
    def pick_index(rnd, n: int) -> int:
        return int(rnd() * n) + 1

    def name(self, r: random.Random, prefix: str, i: int) -> str:
        x = r.random()
        if x < 0.03:
            return f"{SPECIAL_NAMES[int(r.random() * len(SPECIAL_NAMES))]} {i}"
        words = " ".join(WORDS[int(r.random() * len(WORDS))] for _ in range(1 + int(x * 10) % 3))
        return f"{prefix} {i} {words}"

    def header_name(self, r: random.Random, prefix: str, i: int) -> str:
        """A name that becomes part of an email header (a user's name, a fulfillment list's name):
        the same draw as name(), with line breaks written as spaces, since the format refuses CR,
        LF, NUL, NEL, U+2028 and U+2029 there (Docs/export-format.md, "Header fields"); a tab is
        allowed and kept."""
        name = self.name(r, prefix, i)
        for brk in ("\r", "\n", "\0", "\u0085", "\u2028", "\u2029"):
            name = name.replace(brk, " ")
        return name

    def text(self, r: random.Random, nbytes: int, html: bool) -> str:
        out = []
        size = 0
        while size < nbytes or not out:
            s = SENTENCES[int(r.random() * len(SENTENCES))].format(
                m=MERGE_FIELDS[int(r.random() * len(MERGE_FIELDS))])
            if html:
                s = f"<p>{s}</p>" if r.random() < 0.7 else f"<p><b>{s}</b><br/></p>"
            out.append(s)
            size += len(s) + 1
        return "\n".join(out)

    def body_element(self, r: random.Random, tag: str, nbytes: int, html: bool, ind: str) -> str:
        t = self.text(r, nbytes, html)
        if html and r.random() < 0.5:
            return f"{ind}<{tag}>{cdata(t)}</{tag}>\n"
        return f"{ind}<{tag}>{esc_text(t)}</{tag}>\n"

    def plan_billing_rules(self, r: random.Random) -> list[str]:
        """Billing rules as attribute strings without the action-set reference."""
        rules = []
        for attempt in (1, 2, 3):
            rules.append(f'on-autocharge-failed id="ba-failed-{attempt}" attempt="{attempt}"')
        for i in range(1, self.n_products + 1):
            if r.random() < 0.1:
                rules.append(f'on-autocharge-failed id="ba-failed-prod-{i}" attempt="1" product="prod-{i}"')
        for i in range(1, self.n_plans + 1):
            if r.random() < 0.1:
                a = 1 + int(r.random() * 3)
                rules.append(f'on-autocharge-failed id="ba-failed-plan-{i}" attempt="{a}" plan="plan-{i}"')
        rules.append('on-autocharge-recovered id="ba-recovered"')
        for i in range(1, self.n_plans + 1):
            if r.random() < 0.05:
                rules.append(f'on-autocharge-recovered id="ba-recovered-plan-{i}" plan="plan-{i}"')
        for i in range(1, self.n_products + 1):
            if r.random() < 0.02:
                rules.append(f'on-autocharge-recovered id="ba-recovered-prod-{i}" product="prod-{i}"')
        for days in (30, 14, 7, 1):
            rules.append(f'on-card-expiring id="ba-expiring-{days}" days="{days}"')
        return rules

    def tail_estimate(self) -> int:
        digits = len(str(max(1, self.need, 100)))
        per_slot = len('    <product-purchase product="prod-1234" action-set=""/>\n') + 3 + digits
        est = 5 * (45 + digits) + len(self.slot_products) * per_slot
        est += len(self.slot_plans) * (per_slot + 6)
        est += sum(len(x) + 25 + digits for x in self.billing_rules)
        return est + 80

    # ----------------------------------------------------------------- document

    def generate(self, raw) -> None:
        sink = Sink(raw)
        w = sink.parts.append
        a = self.a
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(f"<!-- synthetic export: Tools/generate-export.py seed={a.seed} tags={a.tags} "
          f"products={a.products} templates={a.templates} sequences={a.sequences} -->\n")
        w(f'<export xmlns="{NAMESPACE}" version="1">\n')
        self.write_account(w)
        self.write_catalogue(sink)
        self.write_sequences(sink)
        n = self.write_action_sets(sink)
        self.write_purchase_actions(w, n)
        self.write_billing(w, n)
        w("</export>\n")
        sink.flush()
        self.bytes = sink.bytes

    def write_account(self, w) -> None:
        r = self.rng("account")
        tz = TIMEZONES[int(r.random() * len(TIMEZONES))]
        cur = CURRENCIES[int(r.random() * len(CURRENCIES))]
        w(f'  <account id="acct-synthetic-{self.seed}" name="{esc_attr("Synthetic & Co. <test> account")}" '
          f'timezone="{tz}" currency="{cur}" run-purchase-actions-on-all-orders="'
          f'{"true" if r.random() < 0.5 else "false"}">\n')
        w('    <billing-defaults max-retries="4" days-between-retries="3" days-before-autocharge="1" '
          'max-invoice-age-months="6"/>\n')
        w("  </account>\n")

    def write_catalogue(self, sink: Sink) -> None:
        r = self.rng("catalogue")
        rnd = r.random
        w = sink.parts.append
        st = self.stats
        body = self.a.template_body_bytes
        w("  <catalogue>\n")

        for i in range(1, self.n_tag_cats + 1):
            w(f'    <tag-category id="tcat-{i}" name="{esc_attr(self.name(r, "Category", i))}"/>\n')
        for i in range(1, self.n_tags + 1):
            extra = ""
            if rnd() < 0.9:
                extra += f' category="tcat-{self.pick_index(rnd, self.n_tag_cats)}"'
            if rnd() < 0.3:
                extra += f' description="{esc_attr("Applied when " + self.name(r, "event", i))}"'
            w(f'    <tag id="tag-{i}" name="{esc_attr(self.name(r, "Tag", i))}"{extra}/>\n')
            if i % 1000 == 0:
                sink.flush()
        for i, fname in enumerate(self.custom_field_names, 1):
            t = CUSTOM_FIELD_TYPES[int(rnd() * len(CUSTOM_FIELD_TYPES))]
            label = f' label="{esc_attr(fname[1:] + " (custom)")}"' if rnd() < 0.7 else ""
            w(f'    <custom-field id="cf-{i}" name="{fname}" type="{t}"{label}/>\n')
        for i in range(1, self.n_users + 1):
            w(f'    <user id="user-{i}" name="{esc_attr(self.header_name(r, "User", i))}" '
              f'email="user{i}@example.com"/>\n')
        for i in range(1, self.n_products + 1):
            price = 100 * (1 + int(rnd() * 500)) - (1 if rnd() < 0.5 else 0)
            extra = ""
            if rnd() < 0.6:
                extra += f' sku="SKU-{i:06d}"'
            if rnd() < 0.3:
                extra += ' shippable="true"'
            nopt = int(rnd() * 4) if rnd() < 0.3 else 0
            self.product_options.append(nopt)
            pname = esc_attr(self.name(r, "Product", i))
            if nopt:
                w(f'    <product id="prod-{i}" name="{pname}" price="{price}"{extra}>\n')
                for k in range(1, nopt + 1):
                    w(f'      <price-option id="prod-{i}.opt{k}" name="Option {k}" price="{price + 1000 * k}"/>\n')
                w("    </product>\n")
                st["catalogue"] += nopt
            else:
                w(f'    <product id="prod-{i}" name="{pname}" price="{price}"{extra}/>\n')
            if i % 1000 == 0:
                sink.flush()
        for i in range(1, self.n_plans + 1):
            cycle = CYCLES[int(rnd() * len(CYCLES))]
            extra = ""
            if rnd() < 0.3:
                extra += f' frequency="{1 + int(rnd() * 3)}"'
            if rnd() < 0.3:
                extra += f' trial-days="{7 * (1 + int(rnd() * 4))}"'
            if rnd() < 0.2:
                extra += ' autocharge="false"'
            if rnd() < 0.2:
                extra += f' max-retries="{1 + int(rnd() * 5)}" days-between-retries="{1 + int(rnd() * 5)}"'
            w(f'    <subscription-plan id="plan-{i}" product="prod-{self.pick_index(rnd, self.n_products)}" '
              f'name="{esc_attr(self.name(r, "Plan", i))}" price="{100 * (5 + int(rnd() * 200))}" '
              f'cycle="{cycle}"{extra}/>\n')
        for i in range(1, self.n_bundles + 1):
            w(f'    <bundle id="bundle-{i}" name="{esc_attr(self.name(r, "Bundle", i))}">\n')
            for _ in range(2 + int(rnd() * 3)):
                q = f' quantity="{1 + int(rnd() * 3)}"' if rnd() < 0.3 else ""
                w(f'      <bundle-item product="prod-{self.pick_index(rnd, self.n_products)}"{q}/>\n')
            w("    </bundle>\n")
        for i in range(1, self.n_payplans + 1):
            extra = ""
            if rnd() < 0.5:
                extra += f' first-payment="{100 * (10 + int(rnd() * 100))}"'
            if rnd() < 0.2:
                extra += ' autocharge="false"'
            if rnd() < 0.3:
                extra += ' max-retries="2" days-between-retries="4"'
            w(f'    <payment-plan id="pp-{i}" name="{esc_attr(self.name(r, "Payment plan", i))}" '
              f'payments="{2 + int(rnd() * 10)}" interval-days="{(7, 14, 30)[int(rnd() * 3)]}"{extra}/>\n')
        sink.flush()
        for i in range(1, self.n_email_tpl + 1):
            reply = f' reply-to="support+{i}@example.com"' if rnd() < 0.3 else ""
            subj = SENTENCES[int(rnd() * len(SENTENCES))].format(m=MERGE_FIELDS[int(rnd() * len(MERGE_FIELDS))])
            w(f'    <email-template id="tpl-{i}" name="{esc_attr(self.name(r, "Email", i))}" '
              f'from-name="{esc_attr("Acme & Sons")}" from-address="hello@example.com" '
              f'subject="{esc_attr(subj)}"{reply}>\n')
            x = rnd()
            if x < 0.9:
                w(self.body_element(r, "html", body, True, "      "))
            if x >= 0.7:
                w(self.body_element(r, "text", body, False, "      "))
            w("    </email-template>\n")
            if i % 100 == 0:
                sink.flush()
        small = max(16, body // 4)
        for i in range(1, self.n_task_tpl + 1):
            extra = ""
            if rnd() < 0.6 and self.n_users:
                extra += f' assign-to="user-{self.pick_index(rnd, self.n_users)}"'
            if rnd() < 0.7:
                extra += f' due-in-days="{int(rnd() * 14)}"'
            if rnd() < 0.5:
                extra += f' priority="{PRIORITIES[int(rnd() * 3)]}"'
            w(f'    <task-template id="task-{i}" title="{esc_attr(self.name(r, "Call", i))}"{extra}>\n')
            w(self.body_element(r, "description", small, False, "      "))
            w("    </task-template>\n")
        for i in range(1, self.n_note_tpl + 1):
            typ = f' type="{("Call", "Email", "Meeting", "Other")[int(rnd() * 4)]}"' if rnd() < 0.7 else ""
            if rnd() < 0.8:
                w(f'    <note-template id="note-{i}" title="{esc_attr(self.name(r, "Note", i))}"{typ}>\n')
                w(self.body_element(r, "body", small, False, "      "))
                w("    </note-template>\n")
            else:
                w(f'    <note-template id="note-{i}" title="{esc_attr(self.name(r, "Note", i))}"{typ}/>\n')
        for i in range(1, self.n_appt_tpl + 1):
            extra = ""
            if self.n_users and rnd() < 0.7:
                extra += f' assign-to="user-{self.pick_index(rnd, self.n_users)}"'
            extra += (f' in-days="{1 + int(rnd() * 10)}" at="{8 + int(rnd() * 10):02d}:{(0, 15, 30, 45)[int(rnd() * 4)]:02d}"'
                      f' duration-minutes="{(15, 30, 45, 60)[int(rnd() * 4)]}"')
            w(f'    <appointment-template id="appt-{i}" title="{esc_attr(self.name(r, "Appointment", i))}"{extra}>\n')
            w(self.body_element(r, "description", small, False, "      "))
            w("    </appointment-template>\n")
        for i in range(1, self.n_letter_tpl + 1):
            w(f'    <letter-template id="letter-{i}" name="{esc_attr(self.name(r, "Letter", i))}">\n')
            w(self.body_element(r, "body", small, False, "      "))
            w("    </letter-template>\n")
        for i in range(1, self.n_fax_tpl + 1):
            w(f'    <fax-template id="fax-{i}" name="{esc_attr(self.name(r, "Fax", i))}">\n')
            w(self.body_element(r, "body", small, False, "      "))
            w("    </fax-template>\n")
        for i in range(1, self.n_voice_tpl + 1):
            rec = f' recording="https://media.example.com/voice/{i}.mp3?v=1&amp;fmt=mp3"' if rnd() < 0.7 else ""
            w(f'    <voice-template id="voice-{i}" name="{esc_attr(self.name(r, "Voice", i))}"{rec}>\n')
            w(self.body_element(r, "script", small, False, "      "))
            w("    </voice-template>\n")
        for i in range(1, self.n_ful_tpl + 1):
            extra = ' fields="FirstName,LastName,StreetAddress1,City,PostalCode,Country"' if rnd() < 0.7 else ""
            if rnd() < 0.3:
                extra += ' queued="true"'
            w(f'    <fulfillment-list-template id="ful-{i}" name="{esc_attr(self.header_name(r, "Fulfillment", i))}" '
              f'to="warehouse{i}@example.com"{extra}/>\n')
        w("  </catalogue>\n")
        sink.flush()
        st["catalogue"] += (self.n_tag_cats + self.n_tags + self.n_fields + self.n_users + self.n_products
                            + self.n_plans + self.n_bundles + self.n_payplans + self.n_email_tpl
                            + self.n_task_tpl + self.n_note_tpl + self.n_appt_tpl + self.n_letter_tpl
                            + self.n_fax_tpl + self.n_voice_tpl + self.n_ful_tpl)

    # ----------------------------------------------------------------- actions

    def available(self, kind: str) -> bool:
        needs = {
            "apply-tag": self.n_tags, "remove-tag": self.n_tags, "send-email": self.n_email_tpl,
            "start-sequence": self.n_sequences, "stop-sequence": self.n_sequences,
            "create-task": self.n_task_tpl, "create-note": self.n_note_tpl,
            "create-appointment": self.n_appt_tpl, "assign-owner": self.n_users,
            "create-order": self.n_products + self.n_bundles + self.n_plans,
            "send-fax": self.n_fax_tpl, "send-letter": self.n_letter_tpl,
            "send-voice": self.n_voice_tpl, "send-fulfillment-list": self.n_ful_tpl,
        }
        return needs.get(kind, 1) > 0

    def rule(self, rnd, ind: str) -> str:
        match = ("all", "any", "none")[int(rnd() * 3)]
        parts = [f'{ind}<rule match="{match}">\n']
        for _ in range(1 + int(rnd() * 3)):
            x = rnd()
            if x < 0.4 and self.n_tags:
                el = "has-tag" if x < 0.25 else "lacks-tag"
                parts.append(f'{ind}  <{el} tag="tag-{self.pick_index(rnd, self.n_tags)}"/>\n')
            else:
                field = self.contact_fields[int(rnd() * len(self.contact_fields))]
                if rnd() < 0.15:
                    parts.append(f'{ind}  <field name="{field}" op="{OPS_NO_VALUE[int(rnd() * 2)]}"/>\n')
                else:
                    op = OPS_WITH_VALUE[int(rnd() * len(OPS_WITH_VALUE))]
                    if op in ("before", "after"):
                        v = f"20{20 + int(rnd() * 10)}-{1 + int(rnd() * 12):02d}-{1 + int(rnd() * 28):02d}"
                    elif op in ("greater-than", "less-than"):
                        v = str(int(rnd() * 1000))
                    else:
                        v = esc_attr(("gold", "VIP & friends", "@example.com", "<none>", "Müller")[int(rnd() * 5)])
                    parts.append(f'{ind}  <field name="{field}" op="{op}" value="{v}"/>\n')
        parts.append(f"{ind}</rule>\n")
        return "".join(parts)

    def action(self, rnd, aid: str, kind: str, ind: str, set_index: int, run_target: int) -> str:
        """One action element. run_target: the action set a run-action-set runs."""
        rule = self.rule(rnd, ind + "  ") if rnd() < RULE_PROBABILITY else ""
        attrs = ""
        children = ""
        pi = self.pick_index
        if kind == "apply-tag" or kind == "remove-tag":
            attrs = f' tag="tag-{pi(rnd, self.n_tags)}"'
        elif kind == "send-email":
            attrs = f' template="tpl-{pi(rnd, self.n_email_tpl)}"'
            x = rnd()
            if x < 0.15:
                attrs += ' to="owner"'
            elif x < 0.25 and self.n_users:
                attrs += f' to="user-{pi(rnd, self.n_users)}"'
            elif x < 0.3:
                attrs += ' to="contact"'
        elif kind == "http-post":
            attrs = f' url="https://hooks.example.com/pa/{set_index}?src=export&amp;n={int(rnd() * 100)}"'
            if rnd() < 0.25:
                attrs += ' mode="all-contact-fields"'
            elif rnd() < 0.2:
                attrs += ' mode="fields"'
            params = []
            for p in range(int(rnd() * 5)):
                field = STANDARD_FIELDS[int(rnd() * len(STANDARD_FIELDS))]
                val = MERGE_FIELDS[int(rnd() * len(MERGE_FIELDS))] if rnd() < 0.8 else "a&b <c> \"d\""
                params.append(f'{ind}  <param name="p{p}_{field}" value="{esc_attr(val)}"/>\n')
            children = "".join(params)
        elif kind == "set-field":
            field = self.contact_fields[int(rnd() * len(self.contact_fields))]
            x = rnd()
            val = (MERGE_FIELDS[int(x * 100) % len(MERGE_FIELDS)] if x < 0.5
                   else ("Customer", "VIP & Partner", "Grüße", "2025-01-31", "42")[int(x * 100) % 5])
            attrs = f' field="{field}" value="{esc_attr(val)}"'
        elif kind == "run-action-set":
            attrs = f' action-set="as-{run_target}"'
        elif kind == "start-sequence" or kind == "stop-sequence":
            attrs = f' sequence="seq-{pi(rnd, self.n_sequences)}"'
        elif kind == "create-task":
            attrs = f' template="task-{pi(rnd, self.n_task_tpl)}"'
        elif kind == "create-note":
            attrs = f' template="note-{pi(rnd, self.n_note_tpl)}"'
        elif kind == "create-appointment":
            attrs = f' template="appt-{pi(rnd, self.n_appt_tpl)}"'
        elif kind == "assign-owner":
            attrs = f' user="user-{pi(rnd, self.n_users)}"'
        elif kind == "send-sms":
            if rnd() < 0.6:
                attrs = ' from="+15550100"' if rnd() < 0.5 else f' from="{esc_attr("Acme & Co")}"'
            msg = SENTENCES[int(rnd() * len(SENTENCES))].format(m=MERGE_FIELDS[int(rnd() * len(MERGE_FIELDS))])
            children = f"{ind}  <message>{esc_text(msg)}</message>\n"
        elif kind == "create-order":
            if self.n_payplans and rnd() < 0.3:
                attrs += f' payment-plan="pp-{pi(rnd, self.n_payplans)}"'
            if rnd() < 0.2:
                attrs += ' autocharge="false"'
            if rnd() < 0.2:
                attrs += f' promo-code="{esc_attr("SAVE&20")}"'
            lines = []
            for _ in range(1 + int(rnd() * 3)):
                x = rnd()
                if (x < 0.7 or not (self.n_bundles or self.n_plans)) and self.n_products:
                    p = pi(rnd, self.n_products)
                    line = f'product="prod-{p}"'
                    nopt = self.product_options[p - 1]
                    if nopt and rnd() < 0.5:
                        line += f' price-option="prod-{p}.opt{pi(rnd, nopt)}"'
                elif (x < 0.85 or not self.n_plans) and self.n_bundles:
                    line = f'bundle="bundle-{pi(rnd, self.n_bundles)}"'
                else:
                    line = f'subscription-plan="plan-{pi(rnd, self.n_plans)}"'
                if rnd() < 0.3:
                    line += f' quantity="{1 + int(rnd() * 5)}"'
                lines.append(f"{ind}  <order-line {line}/>\n")
            children = "".join(lines)
        elif kind == "achieve-goal":
            attrs = f' integration="acme{int(rnd() * 3)}" call-name="purchase_{set_index % 97}"'
        elif kind == "cancel-subscription":
            if self.n_plans and rnd() < 0.6:
                attrs = f' plan="plan-{pi(rnd, self.n_plans)}"'
        elif kind == "complete-tasks":
            if self.n_task_tpl and rnd() < 0.6:
                attrs = f' template="task-{pi(rnd, self.n_task_tpl)}"'
        elif kind == "create-opportunity":
            attrs = f' title="{esc_attr("Upsell: " + WORDS[int(rnd() * len(WORDS))] + " & more")}"'
            if rnd() < 0.6:
                attrs += f' stage="{STAGES[int(rnd() * len(STAGES))]}"'
            if self.n_users and rnd() < 0.5:
                attrs += f' owner="user-{pi(rnd, self.n_users)}"'
        elif kind == "send-fax":
            attrs = f' template="fax-{pi(rnd, self.n_fax_tpl)}"'
        elif kind == "send-letter":
            attrs = f' template="letter-{pi(rnd, self.n_letter_tpl)}"'
        elif kind == "send-voice":
            attrs = f' template="voice-{pi(rnd, self.n_voice_tpl)}"'
        elif kind == "send-fulfillment-list":
            attrs = f' template="ful-{pi(rnd, self.n_ful_tpl)}"'
        else:  # pragma: no cover
            raise AssertionError(kind)
        if rule or children:
            return f'{ind}<{kind} id="{aid}"{attrs}>\n{rule}{children}{ind}</{kind}>\n'
        return f'{ind}<{kind} id="{aid}"{attrs}/>\n'

    def write_sequences(self, sink: Sink) -> None:
        r = self.rng("sequences")
        rnd = r.random
        w = sink.parts.append
        kinds = Weighted([(k, wt) for k, wt in SEQUENCE_ACTION_KINDS if self.available(k)])
        runnable = SEQUENCE_RUN_TARGETS if self.n_sets is None else min(self.n_sets, SEQUENCE_RUN_TARGETS)
        if not self.n_sequences:
            w("  <sequences/>\n")
            return
        w("  <sequences>\n")
        for s in range(1, self.n_sequences + 1):
            st = f' send-time="{8 + int(rnd() * 10):02d}:{(0, 30)[int(rnd() * 2)]:02d}"' if rnd() < 0.7 else ""
            w(f'    <sequence id="seq-{s}" name="{esc_attr(self.name(r, "Sequence", s))}"{st}>\n')
            delay = 0
            for k in range(1, 2 + int(rnd() * 6)):
                sst = f' send-time="{7 + int(rnd() * 12):02d}:15"' if rnd() < 0.2 else ""
                w(f'      <step id="seq-{s}.s{k}" delay-days="{delay}"{sst}>\n')
                for m in range(1, 2 + int(rnd() * 3)):
                    kind = kinds.pick(rnd)
                    target = 0
                    if kind == "run-action-set":
                        if runnable:
                            target = self.pick_index(rnd, runnable)
                            self.need = max(self.need, target)
                        else:
                            kind = "apply-tag" if self.n_tags else "http-post"
                    w(self.action(rnd, f"seq-{s}.s{k}.a{m}", kind, "        ", 0, target))
                    self.stats["actions"] += 1
                w("      </step>\n")
                self.stats["steps"] += 1
                delay += 1 + int(rnd() * 7)
            w("    </sequence>\n")
            sink.flush()
        w("  </sequences>\n")

    def write_action_sets(self, sink: Sink) -> int:
        r = self.rng("action-sets")
        rnd = r.random
        w = sink.parts.append
        kinds_all = [k for k, _ in ACTION_KINDS if self.available(k)]
        weighted = Weighted([(k, wt) for k, wt in ACTION_KINDS if self.available(k)])
        fallback = "apply-tag" if self.n_tags else "set-field"
        target_mode = self.n_sets is None
        n_fixed = self.n_sets or 0
        k_per_set = self.k
        action = self.action
        flush = sink.flush

        cycle_at = None
        if self.a.cycle and not target_mode:
            cycle_at = max(1, (n_fixed - 2) // 2)
        tail = self.tail_estimate() if target_mode else 0
        minimum = SEQUENCE_RUN_TARGETS if target_mode else 0

        actions_written = 0
        finishing = False  # target mode: size reached, only fill in referenced sets
        i = 0
        w("  <action-sets>\n")
        while True:
            i += 1
            if target_mode:
                if finishing and i > self.need:
                    break
            elif i > n_fixed:
                break
            if target_mode and self.a.cycle and cycle_at is None and (
                    sink.bytes + tail >= self.target // 2 or finishing):
                cycle_at = i
            # Highest set index a forward reference from as-i may use.
            if target_mode:
                limit = self.need if finishing else i + FORWARD_WINDOW
            else:
                limit = min(n_fixed, i + FORWARD_WINDOW)
            name = self.name(r, "Action set", i)
            if k_per_set == 0 and cycle_at not in (i, i - 1, i - 2):
                w(f'    <action-set id="as-{i}" name="{esc_attr(name)}"/>\n')
            else:
                w(f'    <action-set id="as-{i}" name="{esc_attr(name)}">\n')
                for k in range(1, k_per_set + 1):
                    if actions_written < len(kinds_all):
                        kind = kinds_all[actions_written]
                    else:
                        kind = weighted.pick(rnd)
                    target = 0
                    if kind == "run-action-set":
                        if limit > i:
                            target = i + 1 + int(rnd() * (limit - i))
                            if target > self.need:
                                self.need = target
                        else:
                            kind = fallback
                    w(action(rnd, f"as-{i}.a{k}", kind, "      ", i, target))
                    actions_written += 1
                if cycle_at is not None and cycle_at <= i <= cycle_at + 2:
                    # as-a -> as-a+1 -> as-a+2 -> as-a: the only backward reference.
                    target = cycle_at if i == cycle_at + 2 else i + 1
                    self.need = max(self.need, cycle_at + 2)
                    w(f'      <run-action-set id="as-{i}.cycle" action-set="as-{target}"/>\n')
                    actions_written += 1
                    self.cycle.append(i)
                w("    </action-set>\n")
            flush()
            if target_mode and not finishing and i >= minimum and sink.bytes + tail >= self.target:
                finishing = True
        n = i - 1
        w("  </action-sets>\n")
        self.stats["action-sets"] = n
        self.stats["actions"] += actions_written
        return n

    def write_purchase_actions(self, w, n: int) -> None:
        if n == 0:
            w("  <purchase-actions/>\n")
            return
        r = self.rng("slots")
        rnd = r.random
        pi = self.pick_index
        w("  <purchase-actions>\n")
        for slot in ("on-login", "contact-creation", "successful-purchase", "failed-purchase", "error-purchase"):
            w(f'    <{slot} action-set="as-{pi(rnd, n)}"/>\n')
        for p in self.slot_products:
            w(f'    <product-purchase product="prod-{p}" action-set="as-{pi(rnd, n)}"/>\n')
        for p in self.slot_plans:
            w(f'    <subscription-purchase plan="plan-{p}" action-set="as-{pi(rnd, n)}"/>\n')
        w("  </purchase-actions>\n")
        self.stats["slots"] = 5 + len(self.slot_products) + len(self.slot_plans)

    def write_billing(self, w, n: int) -> None:
        if n == 0:
            w("  <billing-automation/>\n")
            return
        r = self.rng("billing")
        rnd = r.random
        w("  <billing-automation>\n")
        for rule in self.billing_rules:
            w(f'    <{rule} action-set="as-{self.pick_index(rnd, n)}"/>\n')
        w("  </billing-automation>\n")
        self.stats["billing-rules"] = len(self.billing_rules)


# --------------------------------------------------------------------------- CLI


def parse_size(text: str) -> int:
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    mult = 1
    for suffix, m in (("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)):
        if t.endswith(suffix):
            t, mult = t[:-1], m
            break
    try:
        value = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 5000000, 200M, 1.5G)")
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return int(value * mult)


def count(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    if v < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return v


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="generate-export.py",
        description="Generate a synthetic, valid PurchaseActions export (format v1,\n"
                    "Docs/export-format.md) of any size, streamed to a file or stdout.\n"
                    "Same arguments, same bytes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Examples:\n"
               "  Tools/generate-export.py -o small.xml --action-sets 50\n"
               "  Tools/generate-export.py --target-bytes 200M --seed 42 -o bench-out/export-200M.xml\n"
               "  Tools/generate-export.py --cycle --action-sets 100 | import-actions /dev/stdin --check\n"
               "The catalogue depends only on --tags/--products/--templates/--users/--custom-fields/\n"
               "--template-body-bytes/--seed, never on the number of action sets.",
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--action-sets", type=count, metavar="N", default=None,
                      help="number of action sets (as-1 ... as-N); default 1000 unless --target-bytes")
    size.add_argument("--target-bytes", type=parse_size, metavar="B",
                      help="instead of --action-sets: write action sets until the file is about B bytes "
                           "(suffixes K, M, G are powers of 1024: 200M = 209715200)")
    p.add_argument("--actions-per-set", type=count, metavar="K", default=8,
                   help="actions in each action set (default %(default)s)")
    p.add_argument("--tags", type=count, metavar="N", default=200, help="tags in the catalogue, plus tags/25 tag categories (default %(default)s)")
    p.add_argument("--products", type=count, metavar="N", default=100,
                   help="products (plus products/4 subscription plans, products/20 bundles, "
                        "products/25 payment plans; default %(default)s)")
    p.add_argument("--templates", type=count, metavar="N", default=50,
                   help="email templates, plus templates/10 of each other template kind (default %(default)s)")
    p.add_argument("--template-body-bytes", type=count, default=512, metavar="BYTES",
                   help="approximate size of each email template's html/text body (default %(default)s)")
    p.add_argument("--users", type=count, metavar="N", default=10, help="users in the catalogue (default %(default)s)")
    p.add_argument("--custom-fields", type=count, metavar="N", default=20, help="custom fields in the catalogue (default %(default)s)")
    p.add_argument("--sequences", type=count, metavar="N", default=20, help="follow-up sequences, 1-6 steps each (default %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    p.add_argument("--cycle", action="store_true",
                   help="inject a run-action-set cycle of three sets (as-a -> as-a+1 -> as-a+2 -> as-a, "
                        "in the middle of the file) for negative tests; the sets are printed on stderr")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="output file, written atomically (temporary file in the same directory, then "
                        "renamed); '-' for stdout (default)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = p.parse_args(argv)
    if args.action_sets is None and args.target_bytes is None:
        args.action_sets = 1000
    if args.cycle and args.action_sets is not None and args.action_sets < 3:
        p.error("--cycle needs at least 3 action sets")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    gen = Generator(args)
    started = time.monotonic()
    if args.output == "-":
        out = sys.stdout.buffer
        try:
            gen.generate(out)
            out.flush()
        except BrokenPipeError:
            # Reader went away (e.g. `| head`): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
    else:
        path = os.path.abspath(args.output)
        directory = os.path.dirname(path)
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
        except OSError as e:
            print(f"generate-export: cannot write {args.output}: {e.strerror}", file=sys.stderr)
            return 1
        # SIGTERM as well as Ctrl-C removes the temporary file.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "wb", buffering=1 << 20) as out:
                gen.generate(out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    elapsed = time.monotonic() - started
    if gen.cycle:
        print("generate-export: injected run-action-set cycle: "
              + " -> ".join(f"as-{i}" for i in gen.cycle + gen.cycle[:1]), file=sys.stderr)
    if not args.quiet:
        s = gen.stats
        print(f"generate-export: {gen.bytes} bytes, {s['action-sets']} action sets, {s['actions']} actions, "
              f"{s['catalogue']} catalogue entries, {args.sequences} sequences ({s['steps']} steps), "
              f"{s['slots']} slots, {s['billing-rules']} billing rules; seed {args.seed}; "
              f"{elapsed:.2f} s ({gen.bytes / 1e6 / max(elapsed, 1e-9):.1f} MB/s)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
