#!/usr/bin/python3
"""A real HTTP server for the webhook tests.

    webhooksink.py PORT OUTDIR STATUS

Every POST is saved as OUTDIR/N.body, its path and headers in OUTDIR/N.json,
and answered with STATUS. Prints "ready" once listening.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUT, STATUS = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
count = 0
# The server runs one thread per request: two POSTs at once (the failover
# test's fw1 and fw2 notify together) must not get the same number.
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        with lock:
            count += 1
            n = count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        base = os.path.join(OUT, str(n))
        with open(base + ".json", "w") as f:
            json.dump({"path": self.path, "content_type": self.headers.get("Content-Type")}, f)
        with open(base + ".body.tmp", "wb") as f:
            f.write(body)
        os.rename(base + ".body.tmp", base + ".body")
        answer = b"ok\n" if STATUS < 300 else b"receiver is broken on purpose\n"
        self.send_response(STATUS)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


# SINK_HOST: see smtpsink.py.
server = ThreadingHTTPServer((os.environ.get("SINK_HOST", "127.0.0.1"), PORT), Handler)
print("ready", flush=True)
server.serve_forever()
