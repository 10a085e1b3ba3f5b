#!/usr/bin/python3
"""A real SMTP server for the notify tests (Debian's python3-aiosmtpd).

    smtpsink.py PORT OUTDIR [--tls CERT KEY] [--auth USER PASSFILE]

Each message is saved as OUTDIR/N.eml (the bytes as received, CRLF) and
OUTDIR/N.json (envelope sender, recipients, whether TLS was on, who logged
in). With --tls, STARTTLS is offered; with --auth, AUTH PLAIN/LOGIN is
required (and only over TLS). Prints "ready" once listening.
"""
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        base = os.path.join(self.out, str(n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "login": getattr(session, "fencer_login", None) if session.authenticated else None,
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK queued as %d" % n


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    args = sys.argv[3:]
    kw = {}
    if "--tls" in args:
        i = args.index("--tls")
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args[i + 1], args[i + 2])
        kw.update(tls_context=ctx, require_starttls=False)
    if "--auth" in args:
        i = args.index("--auth")
        user = args[i + 1]
        with open(args[i + 2]) as f:
            password = f.read().strip()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            if ok:
                session.fencer_login = user
            return AuthResult(success=ok)

        kw.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    # SINK_HOST: the failover test listens on the management network
    # (fencer runs in fw1's and fw2's namespaces), the others on loopback.
    host = os.environ.get("SINK_HOST", "127.0.0.1")
    c = Controller(Sink(out), hostname=host, port=port, **kw)
    c.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    c.stop()


if __name__ == "__main__":
    main()
