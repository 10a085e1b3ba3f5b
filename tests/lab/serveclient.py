#!/usr/bin/python3
"""A raw client of fencer serve's control socket, for the lab tests.

  serveclient.py SOCK send TEXT       send TEXT (\\n escapes), print the answer lines
  serveclient.py SOCK half TEXT       send TEXT without its newline, then close
  serveclient.py SOCK big N           send N bytes of 'x' and no newline, print the answer
  serveclient.py SOCK hold N SECS     N connections at once, silent, SECS long
                                      ('held N' on stdout once all are open)
"""
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def answer(s, secs=20):
    s.settimeout(secs)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    sys.stdout.write(data.decode("utf-8", "replace"))


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "send":
        s = connect(path)
        try:
            s.sendall(sys.argv[3].encode().decode("unicode_escape").encode("latin-1"))
        except (BrokenPipeError, ConnectionResetError):
            pass    # refused before it read it all: the answer is there
        answer(s)
    elif mode == "half":
        s = connect(path)
        s.sendall(sys.argv[3].encode())
        time.sleep(0.2)
        s.close()
    elif mode == "big":
        s = connect(path)
        try:
            s.sendall(b"x" * int(sys.argv[3]))
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer(s)
    elif mode == "hold":
        conns = [connect(path) for _ in range(int(sys.argv[3]))]
        print("held", len(conns), flush=True)
        time.sleep(float(sys.argv[4]))
        for c in conns:
            c.close()
    else:
        sys.exit("unknown mode " + mode)


main()
