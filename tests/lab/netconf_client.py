#!/usr/bin/python3
"""netconf_client: a minimal NETCONF client for the lab's emulator tests
(test_netconfemu.sh): runs the command after `--` (an ssh -s netconf),
sends a hello naming base:1.0 (and base:1.1 unless --v10), then each line
of stdin as one rpc's operation, and prints one line per message received:
the framing of the session first ("framing 1.0" / "framing 1.1"), then the
hello and each rpc-reply with newlines removed."""
import subprocess
import sys

EOM = b"]]>]]>"


def main():
    args = sys.argv[1:]
    v10 = "--v10" in args
    cmd = args[args.index("--") + 1:]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    buf = b""

    def more():
        nonlocal buf
        d = p.stdout.read1(65536)
        if not d:
            print("eof")
            sys.exit(1)
        buf += d

    def recv(chunked):
        nonlocal buf
        if not chunked:
            while EOM not in buf:
                more()
            m, buf = buf.split(EOM, 1)
            return m
        m = b""
        while True:
            while b"\n" not in buf[2:] or len(buf) < 4:
                more()
            if buf.startswith(b"\n##\n"):
                buf = buf[4:]
                return m
            if not buf.startswith(b"\n#"):
                print("bad chunk %r" % buf[:10])
                sys.exit(1)
            end = buf.index(b"\n", 2)
            n = int(buf[2:end])
            while len(buf) < end + 1 + n:
                more()
            m += buf[end + 1:end + 1 + n]
            buf = buf[end + 1 + n:]

    def send(text, chunked):
        d = text.encode()
        p.stdin.write(b"\n#%d\n" % len(d) + d + b"\n##\n" if chunked else d + EOM)
        p.stdin.flush()

    caps = "<capability>urn:ietf:params:netconf:base:1.0</capability>"
    if not v10:
        caps += "<capability>urn:ietf:params:netconf:base:1.1</capability>"
    send('<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>%s</capabilities></hello>' % caps,
         False)
    hello = recv(False).decode()
    chunked = not v10 and "urn:ietf:params:netconf:base:1.1" in hello
    print("framing 1.1" if chunked else "framing 1.0")
    print(hello.replace("\n", ""))
    for i, line in enumerate(sys.stdin, 1):
        line = line.strip()
        if not line:
            continue
        send('<rpc message-id="%d" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</rpc>' % (i, line), chunked)
        print(recv(chunked).decode().replace("\n", ""))
    p.stdin.close()
    p.wait()


if __name__ == "__main__":
    main()
