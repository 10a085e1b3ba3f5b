#!/usr/bin/env python3
"""impair.py A B [DELAY_MS [LOSS_PCT]]: a layer-2 relay between interfaces
A (toward the impaired host) and B that delays every IPv4 frame by DELAY_MS
in both directions and drops the IPv4 frames toward A with probability
LOSS_PCT (like netem on B's side's egress: a host whose link loses 100%
hears nothing, and so says nothing). ARP always passes, so such a host
still resolves and the sender sees silence, not "no route to host".

A userspace stand-in for tc netem, which the lab's kernel may lack
(CONFIG_NET_SCH_NETEM). The senders' veths offload checksums, so a frame read
here may carry only the pseudo-header sum (TP_STATUS_CSUMNOTREADY): the
relay completes TCP and UDP checksums before sending it on. Frames are sent
in the order they came, each at its own arrival time + DELAY_MS."""
import array
import heapq
import random
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 3
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_CSUMNOTREADY = 8


def open_if(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((name, 0))
    s.setblocking(False)
    return s


def ones_sum(data):
    if len(data) % 2:
        data += b"\0"
    a = array.array("H", data)
    if sys.byteorder == "little":
        a.byteswap()
    s = sum(a)
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def complete_csum(f):
    """Fill in the TCP/UDP checksum of an IPv4 frame."""
    if len(f) < 34 or f[12:14] != b"\x08\x00":
        return f
    ihl = (f[14] & 15) * 4
    proto = f[23]
    total = struct.unpack("!H", f[16:18])[0]
    l4, end = 14 + ihl, 14 + total
    off = {6: 16, 17: 6}.get(proto)
    if off is None or end > len(f) or end - l4 < off + 2:
        return f
    seg = bytearray(f[l4:end])
    seg[off:off + 2] = b"\0\0"
    pseudo = f[26:34] + struct.pack("!BBH", 0, proto, len(seg))
    c = 0xFFFF - ones_sum(pseudo + bytes(seg))
    if proto == 17 and c == 0:
        c = 0xFFFF
    seg[off:off + 2] = struct.pack("!H", c)
    return f[:l4] + bytes(seg) + f[end:]


def read_frame(s):
    data, anc, _flags, addr = s.recvmsg(1 << 17, socket.CMSG_SPACE(32))
    if addr[2] == PACKET_OUTGOING:
        return None
    for level, kind, val in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA:
            if struct.unpack_from("I", val)[0] & TP_STATUS_CSUMNOTREADY:
                data = complete_csum(data)
    return data


def main():
    a, b = open_if(sys.argv[1]), open_if(sys.argv[2])
    delay = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0
    loss = float(sys.argv[4]) / 100 if len(sys.argv) > 4 else 0.0
    other = {a: b, b: a}
    queue, seq = [], 0
    print("impair: relaying %s <-> %s, delay %g ms, loss %g%%"
          % (sys.argv[1], sys.argv[2], delay * 1000, loss * 100), flush=True)
    while True:
        wait = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        ready, _, _ = select.select([a, b], [], [], wait)
        now = time.monotonic()
        for s in ready:
            while True:
                try:
                    f = read_frame(s)
                except BlockingIOError:
                    break
                if f is None:
                    continue
                if s is b and f[12:14] == b"\x08\x00" and random.random() < loss:
                    continue
                seq += 1
                heapq.heappush(queue, (now + (delay if f[12:14] == b"\x08\x00" else 0), seq, other[s], f))
        while queue and queue[0][0] <= time.monotonic():
            _, _, out, f = heapq.heappop(queue)
            try:
                out.send(f)
            except OSError as e:
                print("impair: dropped a %d-byte frame: %s" % (len(f), e), flush=True)


if __name__ == "__main__":
    main()
