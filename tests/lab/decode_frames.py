#!/usr/bin/python3
"""Decode a pcap file of announce frames into one line per frame:
    rarp SRC DST len=N op=N ptype=0xNNNN sha=MAC spa=IP tha=MAC tpa=IP
    garp SRC DST len=N op=N sha=MAC spa=IP tha=MAC tpa=IP
    na SRC DST len=N src=IP6 dst=IP6 hlim=N type=N flags=0xNN target=IP6 lladdr=MAC cksum=ok|bad
    other SRC DST type=0xNNNN len=N
Standard library only: the test asserts on what is on the wire, field by field."""
import ipaddress
import struct
import sys


def mac(b):
    return ':'.join('%02x' % x for x in b)


def ip4(b):
    return str(ipaddress.IPv4Address(bytes(b)))


def ip6(b):
    return str(ipaddress.IPv6Address(bytes(b)))


def csum6(src, dst, msg):
    data = src + dst + struct.pack('!IxxxB', len(msg), 58) + msg
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s == 0xffff


def decode(f):
    src, dst, etype = mac(f[6:12]), mac(f[0:6]), struct.unpack('!H', f[12:14])[0]
    if etype in (0x8035, 0x0806) and len(f) >= 42:
        htype, ptype, hlen, plen, op = struct.unpack('!HHBBH', f[14:22])
        kind = 'rarp' if etype == 0x8035 else 'garp'
        return '%s %s %s len=%d op=%d htype=%d ptype=0x%04x hlen=%d plen=%d sha=%s spa=%s tha=%s tpa=%s' % (
            kind, src, dst, len(f), op, htype, ptype, hlen, plen, mac(f[22:28]), ip4(f[28:32]),
            mac(f[32:38]), ip4(f[38:42]))
    if etype == 0x86dd and len(f) >= 86 and f[20] == 58 and f[54] == 136:
        plen = struct.unpack('!H', f[18:20])[0]
        icmp = f[54:54 + plen]
        return 'na %s %s len=%d src=%s dst=%s hlim=%d type=%d flags=0x%02x target=%s opt=%d lladdr=%s cksum=%s' % (
            src, dst, len(f), ip6(f[22:38]), ip6(f[38:54]), f[21], icmp[0], icmp[4], ip6(icmp[8:24]),
            icmp[24], mac(icmp[26:32]), 'ok' if csum6(f[22:38], f[38:54], icmp) else 'bad')
    return 'other %s %s type=0x%04x len=%d' % (src, dst, etype, len(f))


def main(path):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        off += 16
        if off + incl > len(data):
            break   # a frame tcpdump is still writing: read again later
        print(decode(data[off:off + incl]))
        off += incl


if __name__ == '__main__':
    main(sys.argv[1])
