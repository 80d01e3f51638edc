#!/usr/bin/env python3
"""A reference payment gateway server for Docs/payment-gateway.md: HTTP on 127.0.0.1, in memory.

Usage: Tools/payment-gateway-sink.py PORT [--decline KEY=CODE[:ADVICE]]... [--decline-all CODE[:ADVICE]]
                                          [--log FILE] [--port-file FILE]

- POST /charges (JSON body, Idempotency-Key header equal to the body's idempotencyKey): the first
  request with a key "charges" (approved with charge id ch_1, ch_2, ..., or declined as --decline /
  --decline-all say) and stores the answer; a repeated key gets the stored answer (200) when its
  body is the same, 409 when it differs. A bad request is 400 (no key, not JSON, keys differ).
- GET /charges/<key percent-encoded>: the stored answer (200), or 404.
- --log FILE appends one line per real charge: {"key":"...","answer":{...}} (a replay is not logged),
  so a test can count charges per key.

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
import urllib.parse

MAX_BODY = 1024 * 1024


class Gateway:
    def __init__(self, declines, decline_all, log):
        self.declines = declines
        self.decline_all = decline_all
        self.log = open(log, "a", encoding="utf-8") if log else None
        self.lock = threading.Lock()
        self.stored = {}

    def charge(self, key, body):
        with self.lock:
            if key in self.stored:
                previous_body, answer = self.stored[key]
                return (200, answer) if previous_body == body else (409, {"error": "the key was used with another body"})
            decline = self.declines.get(key, self.decline_all)
            if decline:
                answer = {"status": "declined", "declineCode": decline[0]}
                if decline[1]:
                    answer["adviceCode"] = decline[1]
            else:
                answer = {"status": "approved", "charge": "ch_%d" % (len(self.stored) + 1)}
            self.stored[key] = (body, answer)
            if self.log:
                self.log.write(json.dumps({"key": key, "answer": answer}, sort_keys=True, separators=(",", ":")) + "\n")
                self.log.flush()
            return 200, answer

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
            self.answer(*gateway.charge(key, body))

        def do_GET(self):
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
    parser.add_argument("--log")
    parser.add_argument("--port-file")
    arguments = parser.parse_args()
    declines = {}
    for item in arguments.decline:
        key, _, rest = item.rpartition("=")
        if not key or not rest:
            parser.error("--decline takes KEY=CODE[:ADVICE]")
        declines[key] = decline(rest)
    gateway = Gateway(declines, decline(arguments.decline_all) if arguments.decline_all else None, arguments.log)
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
