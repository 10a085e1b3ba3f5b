#!/usr/bin/python3
"""httpsemu: an Arista eAPI and Cisco NX-API switch behind real HTTPS, for
the lab (tests/lab/README.md; docs/switches/eos.md, nxos.md).

Run in a switch's namespace, it answers
  POST /command-api  eAPI: JSON-RPC runCmds, version 1, format json
  POST /ins          NX-API: JSON-RPC method cli (a batch or one request)
with HTTP basic authentication, and
  /rest/...          ArubaOS-Switch REST: version, login-sessions (a
                     session cookie), ports/ID, cli, system/status/switch
and applies what it is told to the real
Linux bridge there: `shutdown` is `ip link set dev X down`, `show` reads the
kernel, `clear mac address-table dynamic` flushes the bridge FDB.

  httpsemu.py -c CONF

CONF, key=value lines, read again at every request (so a test switches
quirks without a restart, as with iosemu), but for listen, cert and key:
  listen=ADDR:PORT        where to listen (read at start)
  cert=FILE key=FILE      the server's certificate chain and key (at start)
  user=NAME               the login
  password-file=FILE      its password
  bridge=br0              the bridge whose FDB is flushed
  log=FILE                every command and kernel action, one a line
  port=NAME KERNEL-IF     a switch port and the kernel port it is (repeated)
  hostname=NAME
quirks:
  refuse=CMD              CMD (a whole command) is refused: eAPI error 1002
                          "could not run command", NX-API -32602, REST cli
                          CCS_FAILURE, with "Authorization denied ..."
  old-status=1            eAPI: `show interfaces X status` has no JSON form
                          (error 1003), as on old EOS; NX-API: rows of
                          `show interface X` without admin_state
  ignore-shutdown=1       accept shutdown and do nothing
  old-rest=1              REST: versions up to v3 only, no cli resource
  refuse-port-write=1     REST: a PUT that changes a port answers 403
  delay-ms=N              wait N ms before every answer (logged: answer
                          after N ms, from the request's arrival)
  login-delay-ms=N        REST: a login session takes N ms more to make, as
                          a switch slow to log in (logged: login-session
                          after N ms); the TLS handshake costs what it costs
  silent=1                read the request and never answer
  expire-file=FILE        REST: when FILE exists, every login session ends
                          (as a switch's idle timeout ends them) and FILE
                          is removed, at the next REST request
"""
import base64
import json
import os
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONF = None
LOG_LOCK = threading.Lock()


def read_conf():
    c = {"ports": {}, "refuse": set()}
    with open(CONF) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            if k == "port":
                name, kif = v.split()
                c["ports"][name.lower()] = (name, kif)
            elif k == "refuse":
                c["refuse"].add(v)
            else:
                c[k] = v
    return c


def log(c, kind, text):
    if not c.get("log"):
        return
    with LOG_LOCK, open(c["log"], "a") as f:
        f.write("%s\t%s\n" % (kind, text))


def run(c, argv):
    log(c, "kernel", " ".join(argv))
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def link(kif):
    out = subprocess.run(["ip", "-j", "link", "show", "dev", kif], capture_output=True, text=True, check=False)
    info = json.loads(out.stdout)[0]
    return "UP" in info.get("flags", []), info.get("operstate") == "UP"


def fdb(c):
    out = subprocess.run(["bridge", "-j", "fdb", "show", "br", c.get("bridge", "br0")],
                         capture_output=True, text=True, check=False)
    kif2name = {kif: name for name, kif in c["ports"].values()}
    rows = []
    for e in json.loads(out.stdout or "[]"):
        if "permanent" in e.get("state", "") or "static" in e.get("state", "") or e.get("ifname") not in kif2name:
            continue
        rows.append((e["mac"], kif2name[e["ifname"]]))
    return rows


class Refused(Exception):
    """A command the switch refuses: words, and eAPI's message suffix."""

    def __init__(self, words, why="invalid command", code=1002):
        super().__init__(words)
        self.words, self.why, self.code = words, why, code


class Session:
    """One request's CLI session: the mode, as a person's would be."""

    def __init__(self, c, flavour):
        self.c, self.flavour = c, flavour
        self.priv = flavour == "nxapi"
        self.config = False
        self.intf = None

    def port(self, name, show):
        p = self.c["ports"].get(name.lower().replace(" ", ""))
        if not p:
            if show:
                raise Refused("Interface does not exist" if self.flavour == "eapi" else "Invalid interface format")
            raise Refused("Invalid input (at token 1: '%s')" % name if self.flavour == "eapi" else
                          "% Invalid command at '^' marker.")
        return p

    def status_row(self, name):
        name, kif = self.port(name, True)
        admin, oper = link(kif)
        return name, admin, oper

    def run(self, cmd):
        c = self.c
        log(c, self.flavour, cmd)
        if cmd in c["refuse"]:
            raise Refused("Authorization denied for command '%s'" % cmd, "could not run command")
        words = cmd.split()
        if cmd == "enable":
            self.priv = True
            return {}
        if cmd in ("configure", "configure terminal"):
            if not self.priv:
                raise Refused("Invalid input (privileged mode required)")
            self.config = True
            return {}
        if words[0] == "interface" and len(words) >= 2:
            if not self.priv:
                raise Refused("Invalid input (privileged mode required)")
            self.intf = self.port("".join(words[1:]), False)
            return {}
        if cmd in ("shutdown", "no shutdown"):
            if not self.intf:
                raise Refused("Invalid input (at token 0: '%s')" % words[0])
            if not (cmd == "shutdown" and c.get("ignore-shutdown") == "1"):
                run(c, ["ip", "link", "set", "dev", self.intf[1], "down" if cmd == "shutdown" else "up"])
            return {}
        if words[:4] == ["clear", "mac", "address-table", "dynamic"]:
            if not self.priv:
                raise Refused("Invalid input (privileged mode required)")
            if words[4:5] == ["interface"] and len(words) >= 6:
                kif = self.port("".join(words[5:]), False)[1]
                run(c, ["ip", "link", "set", "dev", kif, "type", "bridge_slave", "fdb_flush"])
            elif len(words) == 4:
                run(c, ["ip", "link", "set", "dev", c.get("bridge", "br0"), "type", "bridge", "fdb_flush"])
            else:
                raise Refused("Invalid input (at token 4: '%s')" % words[4])
            return {}
        if cmd == "show version":
            if self.flavour == "eapi":
                return {"modelName": "DCS-7050TX-64-R (httpsemu)", "version": "4.28.3M",
                        "hostname": c.get("hostname", "switch")}
            return {"body": {"chassis_id": "Nexus9000 C93180YC-EX chassis (httpsemu)", "nxos_ver_str": "9.3(8)",
                             "host_name": c.get("hostname", "switch")}}
        if self.flavour == "eapi" and words[:2] == ["show", "interfaces"] and len(words) >= 3:
            status = words[-1] == "status"
            if status and c.get("old-status") == "1":
                raise Refused("'%s' has no JSON form on this EOS" % cmd, "command not converted to JSON", 1003)
            name, admin, oper = self.status_row("".join(words[2:-1] if status else words[2:]))
            word = "disabled" if not admin else "connected" if oper else "notconnect"
            if status:
                return {"interfaceStatuses": {name: {"linkStatus": word, "description": "",
                                                     "vlanInformation": {"vlanId": 1}}}}
            return {"interfaces": {name: {"name": name, "interfaceStatus": word,
                                          "lineProtocolStatus": "up" if oper else "down"}}}
        if self.flavour == "nxapi" and words[:2] == ["show", "interface"] and len(words) >= 3:
            name, admin, oper = self.status_row("".join(words[2:]))
            row = {"interface": name, "state": "up" if admin and oper else "down",
                   "state_rsn_desc": "Administratively down" if not admin else
                   "Link not connected" if not oper else "none"}
            if c.get("old-status") != "1":
                row["admin_state"] = "up" if admin else "down"
            return {"body": {"TABLE_interface": {"ROW_interface": row}}}
        if words[:3] == ["show", "mac", "address-table"] and (len(words) == 3 or words[3] == "interface"):
            rows = fdb(c)
            if len(words) > 3:
                name = self.port("".join(words[4:]), True)[0]
                rows = [(m, p) for m, p in rows if p == name]
            if self.flavour == "eapi":
                return {"unicastTable": {"tableEntries": [
                    {"vlanId": 1, "macAddress": m, "entryType": "dynamic", "interface": p} for m, p in rows]},
                    "multicastTable": {"tableEntries": []}}
            if not rows:
                return {"body": {}}
            # NX-OS writes MACs as 5254.0012.3456; one row is an object.
            rows = [{"disp_mac_addr": "%s.%s.%s" % tuple(m.replace(":", "")[i:i + 4] for i in (0, 4, 8)),
                     "disp_vlan": "1", "disp_type": "dynamic", "disp_port": p} for m, p in rows]
            return {"body": {"TABLE_mac_address": {"ROW_mac_address": rows[0] if len(rows) == 1 else rows}}}
        raise Refused("Invalid input (at token 0: '%s')" % words[0] if words else "Invalid input")


def eapi(c, req):
    if req.get("method") != "runCmds" or not isinstance(req.get("params"), dict):
        return {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": req.get("id")}
    p = req["params"]
    if p.get("version") != 1 or p.get("format", "json") != "json" or not isinstance(p.get("cmds"), list):
        return {"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params"}, "id": req.get("id")}
    s, out, cmds = Session(c, "eapi"), [], p["cmds"]
    for i, cmd in enumerate(cmds):
        try:
            out.append(s.run(cmd))
        except Refused as r:
            out.append({"errors": [r.words]})
            return {"jsonrpc": "2.0", "id": req.get("id"), "error": {
                "code": r.code, "message": "CLI command %d of %d '%s' failed: %s" % (i + 1, len(cmds), cmd, r.why),
                "data": out}}
    return {"jsonrpc": "2.0", "id": req.get("id"), "result": out}


def nxapi(c, body):
    reqs = body if isinstance(body, list) else [body]
    s, out, failed = Session(c, "nxapi"), [], False
    for req in reqs:
        rid = req.get("id")
        if req.get("method") not in ("cli", "cli_ascii") or not isinstance(req.get("params"), dict):
            out.append({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": rid})
            failed = True
            continue
        if failed:
            # stop-on-error, the default: what follows a failure is not run.
            out.append({"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params",
                                                    "data": {"msg": "not executed: an earlier command failed"}},
                        "id": rid})
            continue
        try:
            r = s.run(req["params"].get("cmd", ""))
            out.append({"jsonrpc": "2.0", "result": r if r else None, "id": rid})
        except Refused as r:
            failed = True
            out.append({"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params",
                                                    "data": {"msg": r.words + "\n"}}, "id": rid})
    return out if isinstance(body, list) else out[0]


SESSIONS = set()


def rest(c, method, path, body, cookie):
    """ArubaOS-Switch REST: (HTTP status, answer)."""
    top = 3 if c.get("old-rest") == "1" else 4
    if path == "/rest/version" and method == "GET":
        return 200, {"version_element": [{"version": "v%d.0" % v} for v in range(1, top + 1)]}
    parts = path.split("/")
    if len(parts) < 4 or parts[2] not in ["v%d" % v for v in range(1, top + 1)]:
        return 404, {"message": "Resource not found"}
    res = "/".join(parts[3:])
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return 400, {"message": "Invalid JSON"}
    log(c, "rest", "%s %s%s" % (method, path, " " + body.decode() if body and res != "login-sessions" else ""))
    if c.get("expire-file") and os.path.exists(c["expire-file"]):
        os.unlink(c["expire-file"])
        SESSIONS.clear()
        log(c, "rest", "sessions expired")
    if res == "login-sessions" and method == "POST":
        with open(c["password-file"]) as f:
            want = f.read().split("\n")[0]
        if data.get("userName") != c.get("user") or data.get("password") != want:
            log(c, "auth", "refused")
            return 401, {"message": "Authentication failed."}
        d = int(c.get("login-delay-ms", "0"))
        if d:
            t0 = time.monotonic()
            time.sleep(d / 1000)
            log(c, "event", "login-session after %d ms" % ((time.monotonic() - t0) * 1000))
        sid = base64.b64encode(os.urandom(24)).decode().replace("+", "-").replace("/", "_")
        SESSIONS.add(sid)
        return 201, {"uri": "/login-sessions", "cookie": "sessionId=" + sid}
    sid = cookie.split("sessionId=", 1)[1].split(";")[0] if "sessionId=" in cookie else ""
    if sid not in SESSIONS:
        return 401, {"message": "Login session not found or expired."}
    if res == "login-sessions" and method == "DELETE":
        SESSIONS.discard(sid)
        log(c, "rest", "logout")
        return 204, None
    if res == "system/status/switch" and method == "GET":
        return 200, {"product_name": "Aruba 2930F-48G (httpsemu)", "switch_type": "ST_STANDALONE"}
    if res.startswith("ports/") and method in ("GET", "PUT"):
        pid = res[6:]
        p = c["ports"].get(pid.lower())
        if not p:
            return 404, {"message": "Port %s not found" % pid}
        if method == "PUT" and "is_port_enabled" in data:
            if c.get("refuse-port-write") == "1":
                return 403, {"message": "Operation not permitted: read-only access"}
            if not (data["is_port_enabled"] is False and c.get("ignore-shutdown") == "1"):
                run(c, ["ip", "link", "set", "dev", p[1], "up" if data["is_port_enabled"] else "down"])
        admin, oper = link(p[1])
        return 200, {"uri": "/ports/" + p[0], "id": p[0], "name": "", "is_port_enabled": admin, "is_port_up": oper,
                     "config_mode": "PCM_AUTO", "trunk_mode": "PTT_NONE"}
    if res == "cli" and method == "POST" and top >= 4:
        cmd = data.get("cmd", "")
        log(c, "cli", cmd)
        words = cmd.split()
        out = ""
        if cmd in c["refuse"]:
            return 200, {"cmd": cmd, "status": "CCS_FAILURE", "error_msg": "Authorization denied for command '%s'" % cmd,
                         "result_base64_encoded": ""}
        if words[:2] == ["clear", "mac-address"] and len(words) in (2, 4) and words[2:3] in ([], ["port"]):
            if len(words) == 4:
                p = c["ports"].get(words[3].lower())
                if not p:
                    out = "Invalid input: %s\n" % words[3]
                else:
                    run(c, ["ip", "link", "set", "dev", p[1], "type", "bridge_slave", "fdb_flush"])
            else:
                run(c, ["ip", "link", "set", "dev", c.get("bridge", "br0"), "type", "bridge", "fdb_flush"])
        elif cmd == "show mac-address":
            out = "\n Status and Counters - Port Address Table\n\n  MAC Address   Port  VLAN\n" + "".join(
                "  %s %s 1\n" % (m, p) for m, p in fdb(c))
        else:
            return 200, {"cmd": cmd, "status": "CCS_FAILURE", "error_msg": "Invalid input: %s" % (words[0] if words else ""),
                         "result_base64_encoded": ""}
        return 200, {"cmd": cmd, "status": "CCS_SUCCESS", "error_msg": "",
                     "result_base64_encoded": base64.b64encode(out.encode()).decode()}
    return 404, {"message": "Resource not found"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, code, obj, ctype="application/json"):
        data = (json.dumps(obj) if not isinstance(obj, str) else obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if code == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="switch"')
        self.end_headers()
        self.wfile.write(data)

    def authorized(self, c):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return False
        try:
            user, pw = base64.b64decode(h[6:]).decode().split(":", 1)
        except (ValueError, UnicodeDecodeError):
            return False
        with open(c["password-file"]) as f:
            want = f.read().split("\n")[0]
        return user == c.get("user") and pw == want

    def do_GET(self):
        self.handle_any("GET")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        c = read_conf()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if c.get("silent") == "1":
            log(c, "quirk", "silent")
            time.sleep(3600)
            return
        d = int(c.get("delay-ms", "0"))
        if d:
            t0 = time.monotonic()
            time.sleep(d / 1000)
            log(c, "event", "answer after %d ms" % ((time.monotonic() - t0) * 1000))
        if self.path.startswith("/rest/"):
            code, obj = rest(c, method, self.path, body, self.headers.get("Cookie", ""))
            if code == 204:
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.answer(code, obj)
            return
        if method != "POST":
            self.answer(405, "Method Not Allowed", "text/plain")
            return
        if not self.authorized(c):
            log(c, "auth", "refused")
            self.answer(401, "Unable to authenticate user: Bad username/password combination", "text/plain")
            return
        try:
            req = json.loads(body)
        except ValueError:
            self.answer(200, {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None})
            return
        if self.path == "/command-api" and isinstance(req, dict):
            self.answer(200, eapi(c, req))
        elif self.path == "/ins" and self.headers.get("Content-Type") == "application/json-rpc":
            # NX-API answers a batch with a failed command with HTTP 500.
            out = nxapi(c, req)
            failed = any("error" in a for a in (out if isinstance(out, list) else [out]))
            self.answer(500 if failed else 200, out, "application/json-rpc")
        else:
            self.answer(404, "Not Found", "text/plain")


def main():
    global CONF
    if len(sys.argv) != 3 or sys.argv[1] != "-c":
        sys.exit("usage: httpsemu.py -c CONF")
    CONF = os.path.abspath(sys.argv[2])
    c = read_conf()
    addr, port = c["listen"].rsplit(":", 1)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(c["cert"], c["key"])
    srv = ThreadingHTTPServer((addr, int(port)), Handler)
    srv.daemon_threads = True
    # The handshake in the handler's thread: a client that stalls it
    # holds up no one else.
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    log(c, "start", "listening on %s" % c["listen"])
    srv.serve_forever()


if __name__ == "__main__":
    main()
