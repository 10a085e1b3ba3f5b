#!/usr/bin/env bash
# fencer serve (docs/serve.md): the command line with and without the
# service. Absent service and a stale socket file: standalone, as always.
# With the service: a fence, an unfence and a check run on its warm
# session (the switch sees no new login; the journal says warm), with the
# port checked in the kernel; garbage, oversized, half-written requests, a silent
# client and 100 clients at once are refused or outlived, and a fence
# promote still works beside them; a client that is not root is refused;
# kill -9 of the service, or a service that hangs (SIGSTOP), in the middle
# of a fence: the command line finishes it standalone and the port ends
# down.
set -u
. "$(dirname "$0")/serve_lib.sh"
cisco_setup sv
serve_conf "check-interval = off"
mkdir -p "$LAB_TMP/run"

# --- no service ------------------------------------------------------------------
check "absent service: fence runs standalone" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  the journal's connect line says nothing of a service" eval '! grep -q "\"step\":\"connect\".*\"detail\"" "$J"'
check "  unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

/usr/bin/python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
check "a stale socket file is there" test -S "$SOCK"
check "stale socket: fence runs standalone" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  unfence" fencer unfence fw1

# --- the service ---------------------------------------------------------------------
serve_start
check "the service replaced the stale socket" grep -q "removing the stale control socket" "$LAB_TMP/serve.log"
check "  the socket is mode 0600" test "$(stat -c %a "$SOCK")" = 600
wait_for 20 serve_open
check "its session to swa is open" serve_open
n=$(logins) j=$(lines "$J")
check "fence through the service" fencer -v fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  the timeline says warm" has "warm: the session fencer serve kept"
check "  the journal's connect line says warm" eval 'journal_since $j | grep "\"step\":\"connect\"" | grep -q "\"detail\":\"warm"'
check "  the journal has the fence, verified" eval 'journal_since $j | grep "\"step\":\"verify\"" | grep -q "\"outcome\":\"ok\""'
check "  no new login on the switch" test "$(logins)" = "$n"
check "unfence through the service" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1
check "  no new login on the switch" test "$(logins)" = "$n"
cp "$C" "$LAB_TMP/other.conf"
C=$LAB_TMP/other.conf
check "fence with another configuration file: standalone" fencer fence fw1
C=$LAB_TMP/fencer.conf
check "  Gi0/1 is down" admin_down gi1
check "  the service said it runs its own file" has "the service runs $C, not $LAB_TMP/other.conf"
check "  logged in itself" test "$(logins)" -gt "$n"
check "unfence" fencer unfence fw1
n=$(logins)
check "exit status through the service: fence of a node not there is 2" eval 'fencer fence fw9; test $? = 2'
check "check through the service" fencer -v check
check "  Nagios OK, with the switch's own line" eval 'has "FENCER OK" && has "swa: "'
check "  no new login on the switch" test "$(logins)" = "$n"
check "check of a switch not there: UNKNOWN (3)" eval 'fencer check nosuch; test $? = 3'
# fence_fencer's off and on of one port are not the service's fence: they
# run as always, beside it.
agent() { printf '%s\n' "$@" | lab_in "$LAB_MGMT" "$(dirname "$FENCER")/fence_fencer" >"$OUT" 2>&1; }
check "fence_fencer off of one port, beside the service" agent action=off port=swa:GigabitEthernet0/1 "config=$C"
check "  Gi0/1 is down" admin_down gi1
check "  the service was not asked" hasnt "fencer serve"
check "fence_fencer on" agent action=on port=swa:GigabitEthernet0/1 "config=$C"
check "  Gi0/1 is up" admin_up gi1

# --- bad input ------------------------------------------------------------------------
j=$(lines "$J")
$SERVECLIENT "$SOCK" send 'not json\n' >"$OUT" 2>&1
check "garbage: refused, not JSON" has '"error":"request refused: not JSON"'
$SERVECLIENT "$SOCK" send '{"fencer":1,"command":"fence","args":["fw1"],"evil":1}\n' >"$OUT" 2>&1
check "an unknown key: refused" has "unknown key"
$SERVECLIENT "$SOCK" send '{"fencer":1,"command":"fence"}\n' >"$OUT" 2>&1
check "fence without a node: refused" has "fence takes a node"
$SERVECLIENT "$SOCK" send '{"fencer":1,"command":"fence","args":["fw1\u0000x"]}\n' >"$OUT" 2>&1
check "a NUL inside an argument: refused" has "request refused"
$SERVECLIENT "$SOCK" big 100000 >"$OUT" 2>&1
check "oversized: refused" has "longer than 16384 bytes"
$SERVECLIENT "$SOCK" half '{"fencer":1,"command":"fence","args":["fw1"]}'
check "half-written: nothing ran, Gi0/1 is up" admin_up gi1
check "  and the service said so" wait_for 10 grep -q "without a whole request" "$LAB_TMP/serve.log"
check "  no journal line from any of them" test "$(lines "$J")" = "$j"
check "the service still runs" kill -0 "$SERVE_PID"

# A silent client and 100 at once, held open while a fence runs.
$SERVECLIENT "$SOCK" hold 100 8 >"$LAB_TMP/hold.out" 2>&1 &
hold=$!
wait_for 10 grep -q "^held 100" "$LAB_TMP/hold.out"
check "100 silent clients connected" grep -q "^held 100" "$LAB_TMP/hold.out"
j=$(lines "$J")
check "promote beside them" fencer promote --reason test
check "  Gi0/1 (fw1) is down" admin_down gi1
check "  Gi0/2 (fw2, this node) is up" admin_up gi2
check "  through the service" eval 'journal_since $j | grep "\"step\":\"connect\"" | grep -q warm'
wait "$hold"
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1
check "the service still runs" kill -0 "$SERVE_PID"

# --- a client that is not root ------------------------------------------------------------
# (its copy of the client where nobody may read it: the tree may be in /root)
install -m 0644 "$(dirname "$0")/serveclient.py" "$LAB_TMP/serveclient.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 $LAB_TMP/serveclient.py"
lab_in "$LAB_MGMT" $NOBODY "$SOCK" send '{"fencer":1,"command":"fence","args":["fw1"]}\n' >"$OUT" 2>&1
check "nobody cannot even connect (mode 0600)" has "Permission denied"
chmod 0666 "$SOCK"
lab_in "$LAB_MGMT" $NOBODY "$SOCK" send '{"fencer":1,"command":"fence","args":["fw1"]}\n' >"$OUT" 2>&1
chmod 0600 "$SOCK"
check "with the mode loosened, nobody is refused by its uid" has "refused: uid 65534"
check "  Gi0/1 is up" admin_up gi1

# --- kill -9 of the service in the middle of a fence ---------------------------------------------
# A service whose kept session is slow (iosemu reads delay-ms at login),
# killed once the fence has its session; new sessions are quick again.
cisco_fault "delay-ms=700"
check "SIGTERM: the service ends, exit 0 (and clean under the sanitizers)" serve_stop
cp "$LAB_TMP/serve.log" "$LAB_TMP/serve.log.1"
serve_start
wait_for 30 serve_open
j=$(lines "$J")
( OUT=$LAB_TMP/k9.out; fencer -v fence fw1; echo "rc=$?" >>"$OUT" ) &
k9=$!
wait_for 30 eval 'journal_since $j | grep -q "\"step\":\"connect\""'
kill -9 "$SERVE_PID"
cisco_fault
wait "$k9"
OUT=$LAB_TMP/k9.out
check "kill -9 mid-fence: the command line finished it" has "rc=0"
check "  standalone" has "running standalone"
check "  Gi0/1 is down" admin_down gi1
check "  the journal's last fence ended ok" eval 'tail -n 1 "$J" | grep -q "\"outcome\":\"ok\""'
OUT=$LAB_TMP/out
check "unfence, standalone (the service is gone)" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- a service that hangs in the middle of a fence (SIGSTOP) --------------------------------------
cisco_fault "delay-ms=700"
serve_start
wait_for 30 serve_open
cisco_fault
j=$(lines "$J")
( OUT=$LAB_TMP/stop.out; fencer -v fence fw1; echo "rc=$?" >>"$OUT" ) &
st=$!
wait_for 30 eval 'journal_since $j | grep -q "\"step\":\"connect\""'
kill -STOP "$SERVE_PID"
wait "$st"
OUT=$LAB_TMP/stop.out
check "a hung service mid-fence: the command line finished it" has "rc=0"
check "  after killing the silent service" has "sent nothing for 2000 ms: killed, running standalone"
check "  the service is gone" eval '! kill -0 $SERVE_PID 2>/dev/null || grep -q "^State:.*zombie" /proc/$SERVE_PID/status'
check "  Gi0/1 is down" admin_down gi1
OUT=$LAB_TMP/out
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1
lab_done
