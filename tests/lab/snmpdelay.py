#!/usr/bin/python3
"""snmpdelay.py ADDR PORT AGENT_PORT DELAY_MS: a UDP relay in front of the
lab's snmpd, for a switch whose agent is slow to answer (the lab profiles
of lib.sh: lab_profile).

snmpd then listens on 127.0.0.1:AGENT_PORT in the switch's namespace; this
relay listens on ADDR:PORT, where managers send, and passes each request
to the agent DELAY_MS after it came. The agent's answer goes back at once,
from ADDR:PORT. Each manager address gets its own socket toward the agent,
so that every answer goes back to the manager that asked (at most 64 at a
time: the least recently used is closed). Requests are passed on in the
order they came.

The kernel here has no sch_netem; and a delay in a pass_persist extension
would slow only the OIDs it serves, not IF-MIB. This delays every request.

Prints a line per request: `request N bytes from HOST:PORT held D ms`,
D by the monotonic clock, from its arrival to its sending to the agent."""
import heapq
import select
import socket
import sys
import time

MAX_MANAGERS = 64


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    agent = ("127.0.0.1", int(sys.argv[3]))
    delay = float(sys.argv[4]) / 1000
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind((addr, port))
    toward = {}  # manager address -> socket connected to the agent (LRU order)
    manager = {}  # that socket -> manager address
    queue, seq = [], 0
    print("snmpdelay: %s:%d -> %s:%d, each request %g ms late"
          % (addr, port, agent[0], agent[1], delay * 1000), flush=True)
    while True:
        wait = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        ready, _, _ = select.select([front] + list(manager), [], [], wait)
        for s in ready:
            try:
                data, src = s.recvfrom(65535)
            except OSError:
                continue  # the agent's port unreachable: the manager will retry
            if s is front:
                seq += 1
                now = time.monotonic()
                heapq.heappush(queue, (now + delay, seq, now, src, data))
            else:
                front.sendto(data, manager[s])
        while queue and queue[0][0] <= time.monotonic():
            _, _, came, src, data = heapq.heappop(queue)
            s = toward.pop(src, None)
            if s is None:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.connect(agent)
                manager[s] = src
            toward[src] = s
            if len(toward) > MAX_MANAGERS:
                old = toward.pop(next(iter(toward)))
                del manager[old]
                old.close()
            try:
                s.send(data)
            except OSError as e:
                print("snmpdelay: a request from %s:%d lost: %s" % (src[0], src[1], e), flush=True)
                continue
            print("request %d bytes from %s:%d held %.1f ms"
                  % (len(data), src[0], src[1], (time.monotonic() - came) * 1000), flush=True)


if __name__ == "__main__":
    main()
