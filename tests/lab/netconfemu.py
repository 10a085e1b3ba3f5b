#!/usr/bin/python3
"""netconfemu: a Junos-like NETCONF server for the lab, run by a real sshd as
its `netconf` subsystem (tests/lab/junos_lib.sh). The switch's state is the
kernel's: a commit of `disable` on an interface sets its Linux port down (up
when removed), get-interface-information reads the port's flags, and
clear-ethernet-switching-table deletes the port's learned entries from the
bridge's FDB. What it speaks and answers: docs/switches/junos.md.

Config (-c FILE, read at each session, KEY=VALUE lines):
  hostname=NAME  bridge=BR  log=FILE  state=FILE (the running config, JSON)
  port=JUNOSNAME KERNELIF   (repeated)
Quirks:
  version=1.0          the hello names base:1.0 only (no chunked framing)
  locked-by=TEXT       <lock> fails: "configuration database locked by: TEXT"
  commit-error=TEXT    <commit> fails with TEXT, error-path [edit interfaces X]
  commit-reply=odd     <commit> answers <rpc-reply><odd-element/></rpc-reply>
  ignore-disable=1     commits are accepted and the kernel is left alone
  delete-absent=error  deleting a disable that is not there is an error
                       data-missing (RFC 6241), not Junos' warning
  no-flush-rpc=1       the flush RPCs are syntax errors (the <command> form
                       still works)
  lldp=SOCKET          answer the LLDP requests from this lldpd (lldpcli)
  lldp-old=1           only the older <get-lldp-interface-neighbors-information>
  delay-ms=N           every rpc-reply is sent N ms late (logged: reply after
                       N ms, from the rpc's arrival)
  hello-delay-ms=N     the hello is sent N ms after the session's start, as
                       a switch slow to start its NETCONF server (logged:
                       hello after N ms)
  hang=1               no hello, nothing at all: a silent switch
  hello-newline=1      a newline after the hello's ]]>]]>, before 1.1's chunks
  els=0                a non-ELS EX: <clear-ethernet-switching-table> takes
                       <interface>, the table's answer and options are the
                       non-ELS ones (default: ELS)
"""
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

BASE_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"
BASE10 = "urn:ietf:params:netconf:base:1.0"
BASE11 = "urn:ietf:params:netconf:base:1.1"
EOM = b"]]>]]>"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find(el, name):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


class Session:
    def __init__(self, conf_path):
        self.started = time.monotonic()
        self.conf = {}
        self.ports = {}
        with open(conf_path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                k, v = line.split("=", 1)
                if k == "port":
                    name, dev = v.split()
                    self.ports[name] = dev
                else:
                    self.conf[k] = v
        self.logf = open(self.conf["log"], "a") if "log" in self.conf else None
        self.chunked = False
        self.buf = b""
        self.sid = os.getpid()
        self.running = self.load()
        self.candidate = dict(self.running)
        self.locked = False

    def log(self, kind, text):
        if self.logf:
            self.logf.write("%s\t%s\t%s\n" % (self.sid, kind, text))
            self.logf.flush()

    # -- the running configuration: {port: disabled}, kept across sessions --
    def load(self):
        try:
            with open(self.conf["state"]) as f:
                return json.load(f)
        except (KeyError, OSError, ValueError):
            return {}

    def save(self):
        if "state" in self.conf:
            tmp = self.conf["state"] + ".tmp"
            with open(tmp, "w") as f:
                json.dump(self.running, f)
            os.replace(tmp, self.conf["state"])

    def kernel(self, *args):
        self.log("kernel", " ".join(args))
        return subprocess.run(args, capture_output=True, text=True)

    # -- framing (RFC 6242) --
    def read_more(self):
        data = os.read(0, 65536)
        if not data:
            self.log("event", "eof")
            sys.exit(0)
        self.buf += data

    def recv(self):
        if not self.chunked:
            while EOM not in self.buf:
                self.read_more()
            msg, self.buf = self.buf.split(EOM, 1)
            return msg
        msg = b""
        while True:
            while len(self.buf) < 4 or b"\n" not in self.buf[2:]:
                self.read_more()
            if not self.buf.startswith(b"\n#"):
                self.log("error", "bad chunk header %r" % self.buf[:8])
                sys.exit(1)
            if self.buf.startswith(b"\n##\n"):
                self.buf = self.buf[4:]
                return msg
            end = self.buf.index(b"\n", 2)
            size = int(self.buf[2:end])
            while len(self.buf) < end + 1 + size:
                self.read_more()
            msg += self.buf[end + 1:end + 1 + size]
            self.buf = self.buf[end + 1 + size:]

    def send(self, text, framing=None):
        data = text.encode()
        chunked = self.chunked if framing is None else framing
        if chunked:
            out = b"\n#%d\n" % len(data) + data + b"\n##\n"
        else:
            out = data + EOM
        os.write(1, out)

    # -- answers --
    def since(self, t0):
        return int((time.monotonic() - t0) * 1000)

    def reply(self, mid, body, arrived):
        d = int(self.conf.get("delay-ms", "0"))
        if d:
            time.sleep(d / 1000)
            self.log("event", "reply after %d ms" % self.since(arrived))
        self.send('<rpc-reply xmlns="%s" xmlns:junos="http://xml.juniper.net/junos/21.4R3/junos" '
                  'message-id="%s">%s</rpc-reply>' % (BASE_NS, escape(mid, {'"': "&quot;"}), body))

    @staticmethod
    def error(message, severity="error", tag="operation-failed", path=None, info=""):
        return ("<rpc-error><error-type>application</error-type><error-tag>%s</error-tag>"
                "<error-severity>%s</error-severity>%s<error-message>\n%s\n</error-message>%s</rpc-error>"
                % (tag, severity, "<error-path>%s</error-path>" % escape(path) if path else "",
                   escape(message), "<error-info>%s</error-info>" % info if info else ""))

    def hello(self):
        d = int(self.conf.get("hello-delay-ms", "0"))
        if d:
            time.sleep(d / 1000)
            self.log("event", "hello after %d ms" % self.since(self.started))
        caps = [BASE10] if self.conf.get("version") == "1.0" else [BASE10, BASE11]
        caps += ["urn:ietf:params:netconf:capability:candidate:1.0",
                 "urn:ietf:params:netconf:capability:confirmed-commit:1.0",
                 "urn:ietf:params:netconf:capability:validate:1.0",
                 "http://xml.juniper.net/netconf/junos/1.0"]
        self.send('<!-- No zombies were killed during the creation of this user interface -->\n'
                  '<hello xmlns="%s"><capabilities>%s</capabilities><session-id>%d</session-id></hello>'
                  % (BASE_NS, "".join("<capability>%s</capability>" % c for c in caps), self.sid),
                  framing=False)
        if self.conf.get("hello-newline") == "1":
            os.write(1, b"\n")
        theirs = ET.fromstring(self.recv())
        names = [(c.text or "").strip() for c in theirs.iter() if local(c.tag) == "capability"]
        self.chunked = BASE11 in names and BASE11 in caps
        self.log("event", "hello %s" % ("1.1 chunked" if self.chunked else "1.0"))

    def link_up(self, dev):
        out = subprocess.run(["ip", "-o", "link", "show", "dev", dev], capture_output=True, text=True).stdout
        flags = out.split("<", 1)[1].split(">", 1)[0].split(",") if "<" in out else []
        return "UP" in flags, "LOWER_UP" in flags

    def flush(self, port):
        br = self.conf.get("bridge", "br0")
        devs = [self.ports[port]] if port else list(self.ports.values())
        n = 0
        for dev in devs:
            out = subprocess.run(["bridge", "fdb", "show", "br", br, "brport", dev],
                                 capture_output=True, text=True).stdout
            for line in out.splitlines():
                w = line.split()
                if not w or "permanent" in w or "self" in w or "static" in w:
                    continue
                args = ["bridge", "fdb", "del", w[0], "dev", dev, "master"]
                if "vlan" in w:
                    args += ["vlan", w[w.index("vlan") + 1]]
                self.kernel(*args)
                n += 1
        return n

    # -- operations --
    def op_lock(self, el):
        if "locked-by" in self.conf:
            return self.error("configuration database locked by:\n  %s" % self.conf["locked-by"],
                              tag="lock-denied", info="<session-id>1</session-id>")
        self.locked = True
        return "<ok/>"

    def op_unlock(self, el):
        self.locked = False
        return "<ok/>"

    def op_edit_config(self, el):
        tgt = find(el, "target")
        if tgt is None or find(tgt, "candidate") is None:
            return self.error("only the candidate can be edited", tag="invalid-value")
        cfg = find(el, "config")
        conf = find(cfg, "configuration") if cfg is not None else None
        ifs = find(conf, "interfaces") if conf is not None else None
        if ifs is None:
            return self.error("syntax error, expecting <configuration>", tag="bad-element")
        warnings = ""
        for ifc in ifs:
            name = find(ifc, "name")
            name = (name.text or "").strip() if name is not None else ""
            dis = find(ifc, "disable")
            if not name or dis is None:
                return self.error("syntax error", tag="bad-element")
            op = dis.get("operation") or dis.get("{%s}operation" % BASE_NS)
            if op == "delete":
                if not self.candidate.get(name) and self.conf.get("delete-absent") == "error":
                    return self.error("statement not found", tag="data-missing",
                                      path="[edit interfaces %s]" % name)
                if not self.candidate.get(name):
                    warnings += self.error("statement not found", severity="warning", tag="data-missing",
                                           path="[edit interfaces %s]" % name)
                self.candidate[name] = False
                dop = find(el, "default-operation")
                self.log("edit", "delete interfaces %s disable (default-operation %s)"
                         % (name, (dop.text or "").strip() if dop is not None else "merge"))
            else:
                self.candidate[name] = True
                self.log("edit", "set interfaces %s disable" % name)
        return warnings + "<ok/>"

    def op_discard_changes(self, el):
        self.candidate = dict(self.running)
        return "<ok/>"

    def op_commit(self, el):
        confirmed = find(el, "confirmed") is not None
        timeout = find(el, "confirm-timeout")
        self.log("commit", "confirmed %s" % (timeout.text if timeout is not None else "600")
                 if confirmed else "plain")
        if "commit-error" in self.conf:
            changed = [p for p in self.candidate if self.candidate[p] != self.running.get(p, False)]
            return self.error(self.conf["commit-error"], path="[edit interfaces %s]" % (changed or ["?"])[0]) + \
                self.error("configuration check-out failed")
        if self.conf.get("commit-reply"):
            return "<%s/>" % self.conf["commit-reply"]
        for port, dis in self.candidate.items():
            if dis != self.running.get(port, False) and port in self.ports:
                if self.conf.get("ignore-disable") != "1":
                    self.kernel("ip", "link", "set", "dev", self.ports[port], "down" if dis else "up")
        self.running = dict(self.candidate)
        self.save()
        return "<ok/>"

    def op_get_interface_information(self, el):
        name = find(el, "interface-name")
        name = (name.text or "").strip() if name is not None else ""
        if name not in self.ports:
            return self.error("device %s not found" % name)
        admin, oper = self.link_up(self.ports[name])
        return ('<interface-information xmlns="http://xml.juniper.net/junos/21.4R3/junos-interface" '
                'junos:style="terse"><physical-interface><name>\n%s\n</name><admin-status>\n%s\n'
                '</admin-status><oper-status>\n%s\n</oper-status></physical-interface></interface-information>'
                % (name, "up" if admin else "down", "up" if oper else "down"))

    def op_get_software_information(self, el):
        return ('<software-information><host-name>%s</host-name><product-model>ex4300-48t</product-model>'
                '<product-name>ex4300-48t</product-name><junos-version>21.4R3-S5.4</junos-version>'
                '</software-information>' % escape(self.conf.get("hostname", "switch")))

    def els(self):
        return self.conf.get("els", "1") != "0"

    def bad_element(self, name):
        return self.error("syntax error", tag="unknown-element", info="<bad-element>%s</bad-element>" % name)

    # ELS takes <count/> and not <summary/>, non-ELS the other way round
    # (Juniper's l2ald and jswitch method tables, docs/switches/junos.md).
    def op_get_ethernet_switching_table_information(self, el):
        if not self.els():
            if find(el, "count") is not None:
                return self.bad_element("count")
            return "<ethernet-switching-table-information><ethernet-switching-table/>" \
                "</ethernet-switching-table-information>"
        if find(el, "summary") is not None:
            return self.bad_element("summary")
        return "<l2ng-l2ald-rtb-macdb><l2ng-l2ald-mac-entry-vlan/></l2ng-l2ald-rtb-macdb>"

    def learned(self, dev):
        br = self.conf.get("bridge", "br0")
        out = subprocess.run(["bridge", "fdb", "show", "br", br, "brport", dev],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            w = line.split()
            if w and not ("permanent" in w or "self" in w or "static" in w):
                yield w[0]

    # An interface's table: ELS (l2ald) and non-ELS (jswitch) each have
    # their own request, and refuse the other's.
    def op_get_ethernet_switching_table_interface_information(self, el):
        if not self.els():
            return self.bad_element("get-ethernet-switching-table-interface-information")
        name = find(el, "interface-name")
        name = (name.text or "").strip() if name is not None else ""
        if name not in self.ports:
            return self.error("device %s not found" % name)
        entries = "".join("<l2ng-mac-entry><l2ng-l2-mac-vlan-name>default</l2ng-l2-mac-vlan-name>"
                          "<l2ng-l2-mac-address>%s</l2ng-l2-mac-address><l2ng-l2-mac-flags>D</l2ng-l2-mac-flags>"
                          "<l2ng-l2-mac-logical-interface>%s.0</l2ng-l2-mac-logical-interface></l2ng-mac-entry>"
                          % (m, name) for m in self.learned(self.ports[name]))
        return ("<l2ng-l2ald-interface-macdb-vlan><l2ng-l2ald-mac-entry-vlan>%s</l2ng-l2ald-mac-entry-vlan>"
                "</l2ng-l2ald-interface-macdb-vlan>" % entries)

    def op_get_interface_ethernet_switching_table(self, el):
        if self.els():
            return self.bad_element("get-interface-ethernet-switching-table")
        name = find(el, "interface-name")
        name = (name.text or "").strip() if name is not None else ""
        if name not in self.ports:
            return self.error("device %s not found" % name)
        entries = "".join("<mac-table-entry><mac-vlan>default</mac-vlan><mac-address>%s</mac-address>"
                          "<mac-type>Learn</mac-type><mac-interfaces-list><mac-interfaces>%s.0</mac-interfaces>"
                          "</mac-interfaces-list></mac-table-entry>" % (m, name)
                          for m in self.learned(self.ports[name]))
        return ("<ethernet-switching-table-information><ethernet-switching-table><mac-table-entry>"
                "<mac-vlan>default</mac-vlan><mac-address>*</mac-address><mac-type>Flood</mac-type>"
                "<mac-interfaces-list><mac-interfaces>All-members</mac-interfaces></mac-interfaces-list>"
                "</mac-table-entry>%s</ethernet-switching-table></ethernet-switching-table-information>" % entries)

    # LLDP from the lldpd of the switch's namespace (lldp=CTLSOCKET), as
    # iosemu does: `lldpcli -f keyvalue show neighbors ports X details`.
    def lldp_answer(self, el, arg):
        name = find(el, arg)
        name = (name.text or "").strip() if name is not None else ""
        if "lldp" not in self.conf:
            return self.error("LLDP is not running")
        if name not in self.ports:
            return self.error("device %s not found" % name)
        dev = self.ports[name]
        out = subprocess.run(["lldpcli", "-u", self.conf["lldp"], "-f", "keyvalue", "show", "neighbors", "ports",
                              dev, "details"], capture_output=True, text=True).stdout
        nbs, prefix = [], "lldp.%s." % dev
        for line in out.splitlines():
            if not line.startswith(prefix) or "=" not in line:
                continue
            key, val = line[len(prefix):].split("=", 1)
            if key == "via":
                nbs.append({})
            elif nbs and key in ("chassis.mac", "chassis.local"):
                nbs[-1]["chassis"] = val
            elif nbs and key == "chassis.name":
                nbs[-1]["name"] = val
            elif nbs and key in ("port.mac", "port.ifname", "port.local"):
                nbs[-1]["port"] = val
            elif nbs and key == "port.descr":
                nbs[-1]["descr"] = val
        return '<lldp-neighbors-information junos:style="detail">%s</lldp-neighbors-information>' % "".join(
            "<lldp-neighbor-information><lldp-local-interface>%s</lldp-local-interface>"
            "<lldp-remote-chassis-id>%s</lldp-remote-chassis-id><lldp-remote-port-id>%s</lldp-remote-port-id>"
            "<lldp-remote-port-description>%s</lldp-remote-port-description>"
            "<lldp-remote-system-name>%s</lldp-remote-system-name></lldp-neighbor-information>"
            % (name, escape(n.get("chassis", "")), escape(n.get("port", "")), escape(n.get("descr", "")),
               escape(n.get("name", ""))) for n in nbs)

    def op_get_lldp_interface_neighbors(self, el):
        if self.conf.get("lldp-old") == "1":
            return self.bad_element("get-lldp-interface-neighbors")
        return self.lldp_answer(el, "interface-device")

    def op_get_lldp_interface_neighbors_information(self, el):
        if self.conf.get("lldp-old") != "1":
            return self.bad_element("get-lldp-interface-neighbors-information")
        return self.lldp_answer(el, "interface-name")

    def clear(self, port):
        if port is not None and port not in self.ports:
            return self.error("device %s not found" % port)
        self.log("flush", "%s: %d entries" % (port or "all", self.flush(port)))
        return "<ok/>"

    # non-ELS: <clear-ethernet-switching-table><interface>; ELS: no
    # <interface> there, <clear-ethernet-switching-interface-table>
    # <interface-name> instead.
    def op_clear_ethernet_switching_table(self, el):
        if self.conf.get("no-flush-rpc") == "1":
            return self.error("syntax error", tag="operation-not-supported",
                              info="<bad-element>clear-ethernet-switching-table</bad-element>")
        ifc = find(el, "interface")
        if ifc is not None and self.els():
            return self.bad_element("interface")
        return self.clear((ifc.text or "").strip() if ifc is not None else None)

    def op_clear_ethernet_switching_interface_table(self, el):
        if self.conf.get("no-flush-rpc") == "1" or not self.els():
            return self.error("syntax error", tag="operation-not-supported",
                              info="<bad-element>clear-ethernet-switching-interface-table</bad-element>")
        ifc = find(el, "interface-name")
        if ifc is None:
            return self.bad_element("clear-ethernet-switching-interface-table")
        return self.clear((ifc.text or "").strip())

    def op_command(self, el):
        words = (el.text or "").split()
        if words[:3] == ["clear", "ethernet-switching", "table"]:
            port = words[4] if words[3:4] == ["interface"] and len(words) > 4 else None
            if port is not None and port not in self.ports:
                return self.error("device %s not found" % port)
            self.log("flush", "%s: %d entries (command)" % (port or "all", self.flush(port)))
            return "<output>\n</output>"
        return self.error("syntax error", tag="bad-element", info="<bad-element>%s</bad-element>"
                          % escape(" ".join(words)))

    def serve(self):
        if self.conf.get("hang") == "1":
            self.log("event", "hang")
            while os.read(0, 65536):
                pass
            return
        self.hello()
        while True:
            raw = self.recv()
            arrived = time.monotonic()
            try:
                rpc = ET.fromstring(raw)
            except ET.ParseError as e:
                self.log("error", "not XML: %s" % e)
                return
            mid = rpc.get("message-id", "")
            op = rpc[0] if len(rpc) else None
            name = local(op.tag) if op is not None else ""
            self.log("rpc", name)
            if name == "close-session":
                self.reply(mid, "<ok/>", arrived)
                self.log("event", "closed")
                return
            fn = getattr(self, "op_" + name.replace("-", "_"), None)
            if fn is None:
                body = self.error("syntax error", tag="operation-not-supported",
                                  info="<bad-element>%s</bad-element>" % escape(name))
            else:
                body = fn(op)
            self.reply(mid, body, arrived)


def main():
    conf = sys.argv[sys.argv.index("-c") + 1]
    s = Session(conf)
    s.log("event", "login")
    s.serve()


if __name__ == "__main__":
    main()
