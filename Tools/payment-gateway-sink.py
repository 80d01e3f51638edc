#!/usr/bin/env python3
"""A reference payment gateway server for Docs/payment-gateway.md: HTTP on 127.0.0.1, in memory.

Usage: Tools/payment-gateway-sink.py PORT [--decline KEY=CODE[:ADVICE]]... [--decline-all CODE[:ADVICE]]
                                          [--decline-below INVOICE=N[:CODE[:ADVICE]]]...
                                          [--delay-ms MS] [--not-processed N] [--log FILE] [--calls-log FILE] [--port-file FILE]

- POST /charges (JSON body, Idempotency-Key header equal to the body's idempotencyKey): the first
  request with a key "charges" (approved with charge id ch_1, ch_2, ..., or declined as --decline /
  --decline-all say) and stores the answer; a repeated key gets the stored answer (200) when its
  body is the same, 409 when it differs. A bad request is 400 (no key, not JSON, keys differ).
- GET /charges/<key percent-encoded>: the stored answer (200), or 404.
- GET /counts: per idempotency key, the charge calls and the real charges (first calls), the
  conflicts (409), and per invoice the approved real charges: {"keys": {KEY: {"calls": N,
  "charges": N, "conflicts": N}}, "invoices": {INVOICE: {"approved": N}}, "calls": N, "charges": N}.
- --decline-below INVOICE=N[:CODE[:ADVICE]] (repeatable): the attempts of INVOICE (the body's
  "invoice") numbered below N decline with CODE (default do_not_honor), from N on they are approved;
  INVOICE * stands for every invoice not named. A hard decline for good: --decline-below inv-3=1000:stolen_card.
  Precedence: --decline KEY, then --decline-below, then --decline-all, else approved.
- --delay-ms MS: each new charge is made (stored and logged) at once, and its answer sent MS
  milliseconds later, so a client killed meanwhile was charged without knowing it (the kill test).
- --not-processed N: the first N charge requests (of keys not seen before) are answered 503
  {"status":"not-processed","idempotencyKey":KEY} and nothing is charged or stored, as a server
  whose provider is down answers (Docs/payment-gateway.md, "Not sent"): the client sends the same
  key again later.
- --log FILE appends one line per real charge: {"key":"...","answer":{...}} (a replay is not logged),
  so a test can count charges per key. --calls-log FILE appends one line per charge call:
  {"key":"...","result":"charged"|"replay"|"conflict"|"not-processed"}.

PORT 0 picks a free port; --port-file FILE writes the port used. Standard library only; stops on
SIGTERM / SIGINT. It is an illustration of the contract (one process, memory only), not a product.
"""
import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time
import urllib.parse

MAX_BODY = 1024 * 1024


class Gateway:
    def __init__(self, declines, decline_all, log, below=None, calls_log=None, delay_ms=0, not_processed=0):
        self.not_processed = not_processed
        self.declines = declines
        self.decline_all = decline_all
        self.below = below or {}
        self.delay = delay_ms / 1000.0
        self.log = open(log, "a", encoding="utf-8") if log else None
        self.calls_log = open(calls_log, "a", encoding="utf-8") if calls_log else None
        self.lock = threading.Lock()
        self.stored = {}
        self.counts = {}
        self.approved = {}

    def count(self, key, result):
        entry = self.counts.setdefault(key, {"calls": 0, "charges": 0, "conflicts": 0})
        entry["calls"] += 1
        if result == "charged":
            entry["charges"] += 1
        if result == "conflict":
            entry["conflicts"] += 1
        if self.calls_log:
            self.calls_log.write(json.dumps({"key": key, "result": result}, sort_keys=True, separators=(",", ":")) + "\n")
            self.calls_log.flush()

    def decline_for(self, key, parsed):
        if key in self.declines:
            return self.declines[key]
        invoice, attempt = parsed.get("invoice"), parsed.get("attempt")
        rule = self.below.get(invoice) if isinstance(invoice, str) else None
        rule = rule or self.below.get("*")
        if rule and isinstance(attempt, int):
            below, code, advice = rule
            return (code, advice) if attempt < below else None
        return self.decline_all

    def charge(self, key, body, parsed):
        answer = self.charge_now(key, body, parsed)
        if answer[2] and self.delay:
            time.sleep(self.delay)
        return answer[0], answer[1]

    def charge_now(self, key, body, parsed):
        with self.lock:
            if key in self.stored:
                previous_body, answer = self.stored[key]
                if previous_body == body:
                    self.count(key, "replay")
                    return 200, answer, False
                self.count(key, "conflict")
                return 409, {"error": "the key was used with another body"}, False
            if self.not_processed > 0:
                self.not_processed -= 1
                self.count(key, "not-processed")
                return 503, {"status": "not-processed", "idempotencyKey": key}, False
            decline = self.decline_for(key, parsed)
            if decline:
                answer = {"status": "declined", "declineCode": decline[0]}
                if decline[1]:
                    answer["adviceCode"] = decline[1]
            else:
                answer = {"status": "approved", "charge": "ch_%d" % (len(self.stored) + 1)}
            self.stored[key] = (body, answer)
            self.count(key, "charged")
            if answer["status"] == "approved" and isinstance(parsed.get("invoice"), str):
                self.approved[parsed["invoice"]] = self.approved.get(parsed["invoice"], 0) + 1
            if self.log:
                self.log.write(json.dumps({"key": key, "answer": answer}, sort_keys=True, separators=(",", ":")) + "\n")
                self.log.flush()
            return 200, answer, True

    def summary(self):
        with self.lock:
            return {"keys": {key: dict(value) for key, value in sorted(self.counts.items())},
                    "invoices": {invoice: {"approved": count} for invoice, count in sorted(self.approved.items())},
                    "calls": sum(value["calls"] for value in self.counts.values()),
                    "charges": sum(value["charges"] for value in self.counts.values())}

    def lookup(self, key):
        with self.lock:
            if key in self.stored:
                return 200, self.stored[key][1]
            return 404, {"error": "no charge with this key"}


def make_handler(gateway):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def answer(self, status, value):
            data = json.dumps(value, separators=(",", ":")).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if self.path != "/charges":
                return self.answer(404, {"error": "POST /charges"})
            if length > MAX_BODY:
                return self.answer(413, {"error": "the body is too large"})
            body = self.rfile.read(length)
            key = self.headers.get("Idempotency-Key")
            try:
                parsed = json.loads(body)
            except ValueError:
                return self.answer(400, {"error": "the body is not JSON"})
            if not key or not isinstance(parsed, dict) or parsed.get("idempotencyKey") != key:
                return self.answer(400, {"error": "Idempotency-Key must equal the body's idempotencyKey"})
            self.answer(*gateway.charge(key, body, parsed))

        def do_GET(self):
            if self.path == "/counts":
                return self.answer(200, gateway.summary())
            if not self.path.startswith("/charges/"):
                return self.answer(404, {"error": "GET /charges/<key>"})
            key = urllib.parse.unquote(self.path[len("/charges/"):], errors="strict")
            self.answer(*gateway.lookup(key))

    return Handler


def decline(text):
    code, _, advice = text.partition(":")
    return code, advice or None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--decline", action="append", default=[], metavar="KEY=CODE[:ADVICE]")
    parser.add_argument("--decline-all", metavar="CODE[:ADVICE]")
    parser.add_argument("--decline-below", action="append", default=[], metavar="INVOICE=N[:CODE[:ADVICE]]")
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--not-processed", type=int, default=0, metavar="N")
    parser.add_argument("--log")
    parser.add_argument("--calls-log")
    parser.add_argument("--port-file")
    arguments = parser.parse_args()
    if not 0 <= arguments.delay_ms <= 60000:
        parser.error("--delay-ms takes 0 to 60000")
    below = {}
    for item in arguments.decline_below:
        invoice, _, rest = item.rpartition("=")
        number, _, code = rest.partition(":")
        if not invoice or not number.isdigit():
            parser.error("--decline-below takes INVOICE=N[:CODE[:ADVICE]]")
        code, advice = decline(code) if code else ("do_not_honor", None)
        below[invoice] = (int(number), code, advice)
    declines = {}
    for item in arguments.decline:
        key, _, rest = item.rpartition("=")
        if not key or not rest:
            parser.error("--decline takes KEY=CODE[:ADVICE]")
        declines[key] = decline(rest)
    gateway = Gateway(declines, decline(arguments.decline_all) if arguments.decline_all else None, arguments.log,
                      below=below, calls_log=arguments.calls_log, delay_ms=arguments.delay_ms,
                      not_processed=max(0, arguments.not_processed))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), make_handler(gateway))
    if arguments.port_file:
        with open(arguments.port_file + ".tmp", "w") as handle:
            handle.write(str(server.server_address[1]))
        os.replace(arguments.port_file + ".tmp", arguments.port_file)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
