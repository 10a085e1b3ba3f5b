#!/usr/bin/python3
"""net-snmp pass_persist extension for the 3Com-like lab switch.

Serves, from the live kernel bridge (argv[1], default br0):
  BRIDGE-MIB  dot1dBasePortIfIndex  1.3.6.1.2.1.17.1.4.1.2.<port>   = ifIndex
              dot1dTpAgingTime      1.3.6.1.2.1.17.4.2.0  read-write = ageing_time (s)
              dot1dTpFdbTable       1.3.6.1.2.1.17.4.3.1.{1,2,3}.<mac>
                                    address, port, status (3 learned, 4 self, 5 mgmt)
  Q-BRIDGE    dot1qTpFdbPort        1.3.6.1.2.1.17.7.1.2.2.1.2.<vlan>.<mac> = port
  3Com        hwdot1qTpFdbSetTable  1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.{2,3}.<vlan>.<mac>
                                    .2 port (ifIndex), .3 status (3 learned,
                                    6 static, 7 dynamic), .4 operate (reads
                                    1; SET 2 deletes the kernel entry).
Bridge port numbers are the kernel's (brport/port_no); a bridge without VLAN
filtering reports every entry in VLAN 1.  GETNEXT follows numeric OID order.
The table is re-read from the kernel at every request.
"""
import json
import bisect
import subprocess
import time
import sys

BR = sys.argv[1] if len(sys.argv) > 1 else "br0"
BASE_PORT_IFINDEX = (1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2)
AGING = (1, 3, 6, 1, 2, 1, 17, 4, 2, 0)
FDB = (1, 3, 6, 1, 2, 1, 17, 4, 3, 1)
QFDB_PORT = (1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2)
H3C = (1, 3, 6, 1, 4, 1, 43, 45, 1, 2, 23, 1, 3, 2, 1)


def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def ip_json(*argv):
    r = run("ip", "-j", "-d", *argv)
    try:
        return json.loads(r.stdout or "[]")
    except ValueError:
        return []


def ports():
    """name -> (port_no, ifindex) for the bridge's member ports."""
    out = {}
    for link in ip_json("link", "show", "master", BR):
        name = link.get("ifname")
        try:
            with open("/sys/class/net/%s/brport/port_no" % name) as f:
                no = int(f.read().strip(), 16)
        except OSError:
            continue
        out[name] = (no, link.get("ifindex"))
    return out


def ageing_seconds():
    for link in ip_json("link", "show", "dev", BR):
        info = link.get("linkinfo", {}).get("info_data", {})
        if "ageing_time" in info:
            return int(info["ageing_time"]) // 100
    return 300


def fdb_entries(pmap):
    """[(vlan, mac_bytes, port_name, flags)] for the bridge's own entries."""
    r = run("bridge", "-j", "fdb", "show", "br", BR)
    try:
        rows = json.loads(r.stdout or "[]")
    except ValueError:
        return []
    out = []
    for e in rows:
        dev = e.get("ifname")
        if e.get("master") != BR and "master" in e:
            continue
        if dev not in pmap or "self" in e.get("flags", []) and "master" not in e:
            continue
        mac = bytes(int(x, 16) for x in e["mac"].split(":"))
        if mac[0] & 1:
            continue
        out.append((e.get("vlan"), mac, dev, e.get("state", ""), e.get("flags", [])))
    return out


def mac_octets(mac):
    return " ".join("%02X" % b for b in mac)


def table():
    """Every readable object: {oid tuple: (type, value)}."""
    pmap = ports()
    t = {}
    for name, (no, ifindex) in pmap.items():
        t[BASE_PORT_IFINDEX + (no,)] = ("integer", ifindex)
    t[AGING] = ("integer", ageing_seconds())
    seen = set()
    for rawvlan, mac, dev, state, flags in fdb_entries(pmap):
        vlan = int(rawvlan or 1)
        no, ifindex = pmap[dev]
        m = tuple(mac)
        if state == "permanent":
            dstat, hstat = 4, 6
        elif state == "static":
            dstat, hstat = 5, 6
        else:
            dstat, hstat = 3, (7 if "dynamic" in flags else 3)
        if m not in seen:
            seen.add(m)
            t[FDB + (1,) + m] = ("octet", mac_octets(mac))
            t[FDB + (2,) + m] = ("integer", no)
            t[FDB + (3,) + m] = ("integer", dstat)
        t[QFDB_PORT + (vlan,) + m] = ("integer", no)
        if state != "permanent":
            t[H3C + (2, vlan) + m] = ("integer", ifindex)
            t[H3C + (3, vlan) + m] = ("integer", hstat)
            # snmpd only passes a SET on to an object a GET finds
            t[H3C + (4, vlan) + m] = ("integer", 1)
    return t


def parse_oid(s):
    s = s.strip().lstrip(".")
    return tuple(int(x) for x in s.split(".") if x != "")


def fmt(oid):
    return "." + ".".join(str(x) for x in oid)


def do_set(oid, typ_val):
    typ, _, val = typ_val.strip().partition(" ")
    if oid == AGING:
        if typ != "integer":
            return "wrong-type"
        secs = int(val)
        if not 10 <= secs <= 1000000:
            return "wrong-value"
        r = run("ip", "link", "set", "dev", BR, "type", "bridge", "ageing_time", str(secs * 100))
        return "DONE" if r.returncode == 0 else "commit-failed"
    if oid[:len(H3C) + 1] == H3C + (4,) and len(oid) == len(H3C) + 8:
        if typ != "integer":
            return "wrong-type"
        if int(val) != 2:
            return "wrong-value"
        vlan, mac = oid[len(H3C) + 1], bytes(oid[len(H3C) + 2:])
        pmap = ports()
        for rawvlan, emac, dev, state, _ in fdb_entries(pmap):
            if int(rawvlan or 1) == vlan and emac == mac and state != "permanent":
                macs = ":".join("%02x" % b for b in mac)
                argv = ["bridge", "fdb", "del", macs, "dev", dev, "master"]
                if rawvlan is not None:
                    argv += ["vlan", str(rawvlan)]
                r = run(*argv)
                return "DONE" if r.returncode == 0 else "commit-failed"
        return "inconsistent-name"
    if oid in table():
        return "not-writable"
    return "no-creation"


# The table is built from the kernel (a few `ip`/`bridge` runs), which is
# too slow to redo for every GETNEXT of a walk over a thousand entries: a
# walk would cost O(n^2) process runs. It is rebuilt when a request names
# an OID it does not hold (the first GETNEXT of every walk names a column,
# never a row), when it is older than a second, and after any SET.
CACHE = {"table": None, "keys": [], "at": 0.0}


def cached_table(oid):
    c = CACHE
    if c["table"] is None or oid not in c["table"] or time.monotonic() - c["at"] > 1.0:
        c["table"] = table()
        c["keys"] = sorted(c["table"])
        c["at"] = time.monotonic()
    return c["table"], c["keys"]


def main():
    out = sys.stdout
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "PING":
            out.write("PONG\n")
        elif cmd in ("get", "getnext"):
            oid = parse_oid(sys.stdin.readline())
            t, keys = cached_table(oid)
            if cmd == "get":
                key = oid if oid in t else None
            else:
                i = bisect.bisect_right(keys, oid)
                key = keys[i] if i < len(keys) else None
            if key is None:
                out.write("NONE\n")
            else:
                typ, val = t[key]
                out.write("%s\n%s\n%s\n" % (fmt(key), typ, val))
        elif cmd == "set":
            oid = parse_oid(sys.stdin.readline())
            CACHE["table"] = None
            out.write(do_set(oid, sys.stdin.readline()) + "\n")
        elif cmd == "":
            break
        else:
            out.write("NONE\n")
        out.flush()


if __name__ == "__main__":
    main()
