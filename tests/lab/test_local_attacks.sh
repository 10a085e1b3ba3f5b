#!/usr/bin/env bash
# fencer runs as root from the HA daemon. Each attack here is made as a
# hostile local user (nobody) or a careless operator would make it, and each
# must leave nothing done: no file written through a link, no command run,
# no port changed on the switch (a real snmpd on a real bridge port), no
# child left running, no hook held, no secret shown. fencer.conf(5) states
# the rules under TRUST; every case names what it tries.
set -u
. "$(dirname "$0")/lib.sh"
lab_init la
: "${FENCER:?FENCER must name the fencer binary}"
AGENT_BIN=$(dirname "$FENCER")/fence_fencer
command -v setpriv >/dev/null || lab_skip "setpriv missing (util-linux)"
id nobody >/dev/null 2>&1 || lab_skip "no user nobody"
nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }

PUB=$LAB_TMP/pub ETC=$LAB_TMP/etc S=$LAB_TMP/state
mkdir -m 1777 "$PUB"		# root's and sticky, like /tmp: nobody writes here
mkdir -m 0755 "$ETC" "$S"
echo precious >"$ETC/victim"
victim_intact() { [ "$(cat "$ETC/victim")" = precious ]; }

lab_switch sw 10.77.0.2/24
lab_ns fw1
lab_switch_port sw p1 "$(ns fw1)" eth0
lab_switch_port sw p2 "$(ns fw1)" eth1
lab_snmpd sw 10.77.0.2
SW=$(ns sw)
fencer() { lab_in "$LAB_MGMT" "$FENCER" "$@"; }
base_conf() {	# FILE [LINES for [fencer]]: node fw2, snmp switch sw, fw1 on p1
	local f=$1; shift
	{
		printf '[fencer]\nnode = fw2\nstate-dir = %s\ndeadline = 10s\n' "$S"
		[ $# -gt 0 ] && printf '%s\n' "$@"
		printf '[switch sw]\ndriver = snmp\naddress = 10.77.0.2\nsnmp-version = 2c\n'
		printf 'community-file = %s/sw/rw.community\n[node fw1]\nport = sw p1\n' "$LAB_TMP"
	} >"$f"
}
C=$ETC/fencer.conf
base_conf "$C"
fencer -c "$C" configtest >/dev/null || lab_die "the base configuration does not load"
admin_up p1 || lab_die "p1 is down before the test"

# ---- files fencer trusts ---------------------------------------------------

# A configuration written by nobody into a sticky folder: its activate
# would run as root.
nobody sh -c "printf '[fencer]\nnode = fw2\nstate-dir = $S\nactivate = touch $LAB_TMP/pwned-conf\n' \
	>$PUB/evil.conf && chmod 644 $PUB/evil.conf" || lab_die "nobody could not write $PUB/evil.conf"
out=$(fencer -c "$PUB/evil.conf" promote 2>&1); rc=$?
[ $rc = 2 ] || lab_die "a config owned by nobody: exit $rc, not 2: $out"
[[ $out == *"belongs to uid 65534"*"chown root"* ]] || lab_die "the error does not say whose file and the fix: $out"
[ ! -e "$LAB_TMP/pwned-conf" ] || lab_die "the activate of nobody's config ran as root"

# Root's file, but in a folder nobody owns (nobody could swap it).
nobody mkdir "$PUB/theirs" || lab_die "nobody could not make a folder"
cp "$C" "$PUB/theirs/fencer.conf"
out=$(fencer -c "$PUB/theirs/fencer.conf" fence fw1 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"folder $PUB/theirs belongs to uid 65534"* ]] ||
	lab_die "a config in nobody's folder: exit $rc: $out"

# A secret file owned by nobody, mode 0600: a community nobody chose.
nobody sh -c "umask 077; echo private-guessed >$PUB/community" || lab_die "nobody could not write a secret"
sed "s|^community-file = .*|community-file = $PUB/community|" "$C" >"$ETC/theirs-secret.conf"
out=$(fencer -c "$ETC/theirs-secret.conf" fence fw1 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"secret file $PUB/community belongs to uid 65534"* ]] ||
	lab_die "a secret owned by nobody: exit $rc: $out"
admin_up p1 || lab_die "a refused configuration fenced p1"

# A state folder anyone may write: nobody plants a link at journal.jsonl
# (root would append --reason text to the victim) and links at the names
# the temporary fenced.json used to take (fenced.json.tmp.PID).
chmod 0777 "$S"
last=$(cat /proc/sys/kernel/ns_last_pid)
nobody sh -c "ln -s $ETC/victim $S/journal.jsonl; for p in \$(seq $((last + 1)) $((last + 400))); do
	ln -s $ETC/victim $S/fenced.json.tmp.\$p; done" || lab_die "nobody could not plant links"
out=$(fencer -c "$C" promote --reason INJECTED 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"state-dir: folder $S is writable by group or others"*"chmod go-w"* ]] ||
	lab_die "a state-dir anyone may write: exit $rc: $out"
victim_intact || lab_die "the victim was written through a planted link: $(cat "$ETC/victim")"
admin_up p1 || lab_die "a refused promote fenced p1"
# The operator fixes the mode; what was planted stays and must stay inert.
chmod 0755 "$S"
out=$(fencer -c "$C" promote --reason INJECTED 2>&1); rc=$?
[ $rc = 3 ] || lab_die "promote beside the planted links: exit $rc, not 3 (fenced, journal not written): $out"
admin_down p1 || lab_die "promote beside the planted links did not fence p1"
victim_intact || lab_die "the victim was written through a planted link: $(cat "$ETC/victim")"
grep -q '"port": "p1"' "$S/fenced.json" || lab_die "fenced.json was not written: $(cat "$S/fenced.json")"
fencer -c "$C" unfence fw1 >/dev/null 2>&1
admin_up p1 || lab_die "unfence did not bring p1 back"
rm -f "$S"/journal.jsonl "$S"/fenced.json.tmp.*

# A FIFO at journal.jsonl: the promote hung before fencing, deadline or not.
chmod 0777 "$S"
nobody mkfifo "$S/journal.jsonl" || lab_die "nobody could not make a FIFO"
out=$(timeout -k 5 60 "$FENCER" -c "$C" configtest 2>&1); rc=$?
[ $rc = 2 ] || lab_die "configtest with a state-dir anyone may write: exit $rc: $out"
chmod 0755 "$S"
out=$(lab_in "$LAB_MGMT" timeout -k 5 60 "$FENCER" -c "$C" promote 2>&1); rc=$?
[ $rc = 124 ] || [ $rc = 137 ] && lab_die "promote hung on a FIFO at journal.jsonl"
[ $rc = 3 ] && [[ $out == *"journal.jsonl is not a regular file"* ]] ||
	lab_die "promote beside a FIFO: exit $rc, not 3: $out"
admin_down p1 || lab_die "promote beside a FIFO did not fence"
fencer -c "$C" unfence fw1 >/dev/null 2>&1
rm -f "$S/journal.jsonl"
chown nobody "$S"
out=$(fencer -c "$C" fence fw1 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"belongs to uid 65534"* ]] || lab_die "a state-dir owned by nobody: exit $rc: $out"
chown root "$S"
admin_up p1 || lab_die "p1 is not back up"

# A NUL byte (a careless paste): the line was cut there, and 4 KB on its
# tail read as a line of its own.
{
	printf '[fencer]\nstate-dir = %s\nnode = fw2' "$S"
	printf '\0'
	head -c 4084 /dev/zero | tr '\0' x
	printf 'activate = touch %s/pwned-nul\n[node fw1]\n[node fw2]\n' "$LAB_TMP"
} >"$ETC/nul.conf"
out=$(fencer -c "$ETC/nul.conf" promote 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"nul.conf:3: control character 0x00"* ]] || lab_die "a NUL byte: exit $rc: $out"
[ ! -e "$LAB_TMP/pwned-nul" ] || lab_die "the line after a NUL byte ran as activate"
base_conf "$ETC/hex.conf"
sed -i -e 's/^deadline = .*/deadline = 0x10s/' -e 's/^driver = snmp$/&\ntimeout = 1e3s/' "$ETC/hex.conf"
out=$(fencer -c "$ETC/hex.conf" configtest 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"hex.conf:4: deadline: '0x10s' is not a duration"* ]] &&
	[[ $out == *"hex.conf:7: timeout: '1e3s' is not a duration"* ]] || lab_die "0x10s and 1e3s: exit $rc: $out"

echo "files: nobody's config, folder, secret and state-dir refused; planted links and FIFO inert; NUL refused"

# ---- children ------------------------------------------------------------------

# An agent that works for as long as fencer lives, then acts on the real
# port: what an agent left behind by fencer did.
cat >"$LAB_TMP/slow-agent" <<EOF
#!/bin/sh
input=\$(cat)
port=\$(printf '%s\n' "\$input" | sed -n 's/^port=//p')
case "\$input" in
*action=status*) ip -n $SW link show dev "\$port" | grep -q '<[^>]*[<,]UP[,>]' && exit 0; exit 2;;
*action=on*) want=up;;
*action=off*) want=down;;
*) exit 0;;
esac
echo \$\$ >>$LAB_TMP/slow.pids
while kill -0 \$PPID 2>/dev/null; do sleep 0.05; done
ip -n $SW link set dev "\$port" \$want
EOF
chmod 0755 "$LAB_TMP/slow-agent"
slow_conf() {	# DEADLINE
	printf '[fencer]\nnode = fw2\nstate-dir = %s\ndeadline = %s\n[switch slow]\ndriver = exec\n' "$S" "$1"
	printf 'agent = %s/slow-agent\ntimeout = 60s\n[node fw1]\nport = slow p2\n' "$LAB_TMP"
}
slow_conf 2s >"$ETC/slow2.conf"
slow_conf 60s >"$ETC/slow60.conf"
dead() { [ ! -e "/proc/$1" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
agents_dead() { local p; for p in $(cat "$LAB_TMP/slow.pids"); do dead "$p" || return 1; done; }
# After fencer is gone: no agent left, and the port as it was (an agent
# left behind would have acted, then ended).
no_agent_left() {	# WHAT up|down
	wait_for 10 agents_dead || lab_die "$1: the agent outlived fencer ($(cat "$LAB_TMP/slow.pids"))"
	"admin_$2" p2 || lab_die "$1: p2 is no longer $2"
	: >"$LAB_TMP/slow.pids"
}
: >"$LAB_TMP/slow.pids"

# The deadline passes while the agent still works: unfence says "not
# verified up", and the agent set the port up 2 s later.
ip -n "$SW" link set dev p2 down
"$FENCER" -c "$ETC/slow2.conf" unfence fw1 --all >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc = 1 ] || lab_die "unfence cut at the deadline: exit $rc, not 1: $(cat "$LAB_TMP/out")"
[ -s "$LAB_TMP/slow.pids" ] || lab_die "the agent never ran: $(cat "$LAB_TMP/out")"
no_agent_left "deadline" down

# fencer stopped with SIGTERM, then killed with -9, while its agent works.
ip -n "$SW" link set dev p2 up
for sig in TERM KILL; do
	"$FENCER" -c "$ETC/slow60.conf" fence fw1 >"$LAB_TMP/out" 2>&1 &
	fpid=$!
	wait_for 10 test -s "$LAB_TMP/slow.pids" || lab_die "SIG$sig: the agent did not start"
	kill -"$sig" "$fpid"
	wait "$fpid" 2>/dev/null
	no_agent_left "SIG$sig" up
done

# Descriptors: net-snmp's socket (open while activate runs: the session
# waits to flush) and anything else reach neither activate nor an agent.
# Both end in a sleep with a mark of its own, whose descriptors are read
# from here while it runs.
mark=$((RANDOM % 900 + 100))
printf '#!/bin/sh\ncase "$(cat)" in *action=off*) exec sleep 2.%s1;; esac\nexit 2\n' "$mark" >"$LAB_TMP/fd-agent"
chmod 0755 "$LAB_TMP/fd-agent"
base_conf "$ETC/fds.conf" "activate = sleep 2.${mark}2"
sed -i "s|^\[node fw1\]$|[switch fdx]\ndriver = exec\nagent = $LAB_TMP/fd-agent\ntimeout = 8s\n&\nport = fdx 9|" "$ETC/fds.conf"
fds_of() {	# PATTERN: the descriptors of the process whose command line is it
	local pid
	pid=$(pgrep -f -x "$1") || return 1
	ls "/proc/$pid/fd" | sort -n | tr '\n' ' '
}
fencer -c "$ETC/fds.conf" promote >"$LAB_TMP/out" 2>&1 &
fpid=$!
wait_for 10 fds_of "sleep 2.${mark}1" || lab_die "the agent did not run: $(cat "$LAB_TMP/out")"
agent_fds=$(fds_of "sleep 2.${mark}1")
wait_for 15 fds_of "sleep 2.${mark}2" || lab_die "activate did not run: $(cat "$LAB_TMP/out")"
activate_fds=$(fds_of "sleep 2.${mark}2")
wait "$fpid"
[ "$activate_fds" = "0 1 2 " ] || lab_die "activate inherited more than 0-2: $activate_fds"
[ "$agent_fds" = "0 1 2 " ] || lab_die "the agent inherited more than 0-2: $agent_fds"
fencer -c "$C" unfence fw1 >/dev/null 2>&1
admin_up p1 || lab_die "p1 is not back up after the descriptor case"

echo "children: none outlived the deadline, SIGTERM or SIGKILL; 0-2 only"

# ---- fence agent input and output -------------------------------------------------

# A stdin line longer than the old 2048-byte buffer, whose tail read as a
# line of its own: action=off shut the port.
agent_in() { lab_in "$LAB_MGMT" "$AGENT_BIN"; }
{
	printf 'action=status\nport=fw1\nconfig=%s\ndescription=' "$C"
	head -c 2035 /dev/zero | tr '\0' A
	printf 'action=off\n'
} | agent_in >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc = 0 ] || lab_die "fence_fencer status with a long line: exit $rc, not 0: $(cat "$LAB_TMP/out")"
admin_up p1 || lab_die "the tail of a long stdin line shut p1"

# monitor with many switches: an array per switch on the stack.
{
	printf '[fencer]\nnode = fw2\nstate-dir = %s\ndeadline = 60s\n' "$S"
	for i in $(seq 600); do printf '[switch s%d]\ndriver = exec\nagent = /bin/true\ntimeout = 50s\n' "$i"; done
} >"$ETC/many.conf"
(ulimit -s 128; exec "$AGENT_BIN" -o monitor -c "$ETC/many.conf") >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc = 0 ] || lab_die "monitor of 600 switches with a 128 KB stack: exit $rc: $(tail -n3 "$LAB_TMP/out")"

# option = port (or action) would redirect the agent: refused, agent unrun.
printf '#!/bin/sh\ncat >>%s/option-agent.log\nexit 0\n' "$LAB_TMP" >"$LAB_TMP/option-agent"
chmod 0755 "$LAB_TMP/option-agent"
printf '[fencer]\nnode = fw2\nstate-dir = %s\n[switch x]\ndriver = exec\nagent = %s/option-agent\noption = port 7\noption = action on\n[node fw1]\nport = x 1\n' \
	"$S" "$LAB_TMP" >"$ETC/option.conf"
out=$("$FENCER" -c "$ETC/option.conf" fence fw1 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"option.conf:7: option key 'port' is fencer's own"* ]] &&
	[[ $out == *"option.conf:8: option key 'action' is fencer's own"* ]] || lab_die "option = port: exit $rc: $out"
[ ! -e "$LAB_TMP/option-agent.log" ] || lab_die "the agent ran with a refused option"

# An agent that prints its community in its error line: not in the
# journal, --json, stderr, syslog, the webhook, nor fence_fencer's output.
. "$LAB_HERE/notify_lib.sh"
notify_ns
notify_http 18081 200
marker=MARKER$(lab_rand 6)
lab_secret "$ETC/leaky.community" "$marker"
cat >"$LAB_TMP/leaky-agent" <<'EOF'
#!/bin/sh
c=$(sed -n 's/^community=//p')
echo "snmpset: authentication failure (community $c)" >&2
exit 1
EOF
chmod 0755 "$LAB_TMP/leaky-agent"
printf '[fencer]\nnode = fw2\nstate-dir = %s\n[switch leaky]\ndriver = exec\nagent = %s/leaky-agent\noption-file = community %s\n[node fw1]\nport = leaky 1\n[notify]\nwebhook = http://127.0.0.1:18081/hook\ntimeout = 5s\n' \
	"$S" "$LAB_TMP" "$ETC/leaky.community" >"$ETC/leaky.conf"
cat >"$LAB_TMP/syslogd.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
EOF
lab_spawn syslogd - /usr/bin/python3 "$LAB_TMP/syslogd.py" "$LAB_TMP/log.sock" "$LAB_TMP/syslog"
wait_for 10 grep -q ready "$LAB_TMP/syslogd.log" || lab_die "the syslog receiver did not start"
# fencer's /dev/log is the receiver's socket, in a mount namespace of its own.
cat >"$LAB_TMP/with-syslog" <<EOF
#!/bin/sh
set -e
mkdir -p $LAB_TMP/hostdev
mount --bind /dev $LAB_TMP/hostdev
mount -t tmpfs -o mode=0755 lab-dev /dev
for n in null zero full random urandom; do touch /dev/\$n; mount --bind $LAB_TMP/hostdev/\$n /dev/\$n; done
ln -s /proc/self/fd /dev/fd
touch /dev/log
mount --bind $LAB_TMP/log.sock /dev/log
exec "\$@"
EOF
chmod 0755 "$LAB_TMP/with-syslog"
leaky() { unshare -m --propagation private "$LAB_TMP/with-syslog" ip netns exec "$NNS" "$@"; }
leaky "$FENCER" -c "$ETC/leaky.conf" -v fence fw1 >"$LAB_TMP/leak-v" 2>&1
leaky "$FENCER" -c "$ETC/leaky.conf" --json fence fw1 >"$LAB_TMP/leak-json" 2>&1
printf 'action=off\nport=fw1\nconfig=%s\n' "$ETC/leaky.conf" | leaky "$AGENT_BIN" >"$LAB_TMP/leak-agent" 2>&1
wait_for 10 test -n "$(ls "$NT/http-18081" 2>/dev/null)" || lab_die "no webhook arrived"
grep -q "fence" "$LAB_TMP/syslog" || lab_die "nothing reached the syslog receiver: the check would prove nothing"
grep -q "authentication failure (community \[secret\])" "$S/journal.jsonl" ||
	lab_die "the agent's error line is not in the journal, masked: $(tail -n3 "$S/journal.jsonl")"
for f in "$LAB_TMP/leak-v" "$LAB_TMP/leak-json" "$LAB_TMP/leak-agent" "$S/journal.jsonl" "$LAB_TMP/syslog" \
	"$NT"/http-18081/*; do
	lacks -F -- "$marker" "$f" ||
		lab_die "the community came back into $(basename "$f") (or it cannot be read): $(grep -m1 "$marker" "$f")"
done

echo "agent input and output: a long line refused whole, 600 switches on a small stack, option = port refused, the secret masked everywhere"

# ---- scale -----------------------------------------------------------------------

awk -v s="$S" 'BEGIN { printf "[fencer]\nnode = fw2\nstate-dir = %s\n", s;
	for (i = 0; i <= 100000; i++) printf "[switch s%d]\ndriver = exec\nagent = /bin/true\n", i }' >"$ETC/huge.conf"
out=$("$FENCER" -c "$ETC/huge.conf" configtest 2>&1); rc=$?
[ $rc = 2 ] && [[ $out == *"more than 100000 switches: a configuration holds at most 100000"* ]] ||
	lab_die "100,001 switches: exit $rc: $(printf '%s\n' "$out" | head -n3)"
# check with a metrics file and 300 switches wrote past its buffer (the
# sanitized run of make check sees it).
{
	printf '[fencer]\nnode = fw2\nstate-dir = %s\ndeadline = 60s\nmetrics-file = %s/metrics.prom\n' "$S" "$LAB_TMP"
	for i in $(seq 300); do
		printf '[switch a-switch-with-a-rather-long-name-%d]\ndriver = exec\nagent = /bin/true\ntimeout = 50s\n' "$i"
	done
} >"$ETC/metrics.conf"
"$FENCER" -c "$ETC/metrics.conf" check >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc -le 3 ] && ! grep -q 'Sanitizer\|runtime error' "$LAB_TMP/out" ||
	lab_die "check of 300 switches with a metrics file: exit $rc: $(grep -m3 'ERROR\|error' "$LAB_TMP/out")"
echo "scale: 100,001 switches refused with one error; 300 switches checked"
