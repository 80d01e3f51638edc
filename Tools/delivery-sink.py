#!/usr/bin/env python3
"""A delivery sink for the crash test: an HTTP server on 127.0.0.1 that logs every POST.

Usage: Tools/delivery-sink.py PORT LOGFILE [--fail-every N] [--port-file FILE]

Every POST is answered 200 after one line is appended to LOGFILE and flushed:

    {"attempt":1,"bodySha256":"…","detailsSha256":"…","key":"e-2/1/seq-brew-school:d0.mail","kind":"send-email"}

`key` is the request's Idempotency-Key header; `kind`, `attempt` and `details` come from the JSON
body the HTTP deliverer sends ({"attempt":N,"details":{...},"key":"...","kind":"..."}).
`detailsSha256` hashes the details' canonical form (keys sorted, no spaces), so duplicates can be
checked to carry the same content. Keys are logged raw: one line is one delivery.

Refused, and not logged: a request without an Idempotency-Key (400), a body that is not such a JSON
object or whose key differs from the header's (400), a body over 16 MiB (413).
`--fail-every N` answers 500 (not logged) to every Nth POST (N >= 1), counting every POST.
PORT 0 picks a free port; `--port-file FILE` writes the port used (written once listening).
Standard library only; stops on SIGTERM / SIGINT.
"""
import argparse
import hashlib
import http.server
import json
import os
import signal
import sys
import threading

MAX_BODY = 16 * 1024 * 1024


class Sink:
    def __init__(self, logfile, fail_every):
        self.log = open(logfile, "a", encoding="utf-8")
        self.fail_every = fail_every
        self.lock = threading.Lock()
        self.count = 0

    def next_fails(self):
        with self.lock:
            self.count += 1
            return self.fail_every > 0 and self.count % self.fail_every == 0

    def record(self, line):
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def make_handler(sink):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the log file is the record
            pass

        def answer(self, code, text):
            data = (text + "\n").encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer(200, "delivery sink: POST JSON with an Idempotency-Key header")

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self.answer(400, "bad Content-Length")
            if length < 0 or length > MAX_BODY:
                self.close_connection = True
                return self.answer(413, "body too large")
            body = self.rfile.read(length)
            key = self.headers.get("Idempotency-Key")
            if not key:
                return self.answer(400, "no Idempotency-Key header")
            try:
                message = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return self.answer(400, "the body is not JSON")
            if not isinstance(message, dict) or message.get("key") != key:
                return self.answer(400, "the body's key is not the Idempotency-Key header")
            if sink.next_fails():
                return self.answer(500, "failing on purpose (--fail-every)")
            line = canonical({
                "key": key,
                "kind": message.get("kind"),
                "attempt": message.get("attempt"),
                "detailsSha256": hashlib.sha256(canonical(message.get("details")).encode("utf-8")).hexdigest(),
                "bodySha256": hashlib.sha256(body).hexdigest(),
            })
            sink.record(line)
            self.answer(200, "ok")

    return Handler


def main():
    parser = argparse.ArgumentParser(description="HTTP delivery sink on 127.0.0.1 for the crash test")
    parser.add_argument("port", type=int, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("logfile", help="file each delivery is appended to, one JSON line each")
    parser.add_argument("--fail-every", type=int, default=0, metavar="N", help="answer 500 to every Nth POST")
    parser.add_argument("--port-file", metavar="FILE", help="write the port used here once listening")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error("PORT is 0 to 65535")
    if args.fail_every < 0:
        parser.error("--fail-every takes N >= 1 (0: never)")
    sink = Sink(args.logfile, args.fail_every)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(sink))
    server.daemon_threads = True
    if args.port_file:
        temporary = args.port_file + ".tmp"
        with open(temporary, "w") as file:
            file.write(f"{server.server_address[1]}\n")
        os.replace(temporary, args.port_file)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        sink.log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
