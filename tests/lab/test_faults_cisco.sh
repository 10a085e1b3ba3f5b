#!/usr/bin/env bash
# Fault matrix, cisco-ios: the faults test_cisco.sh does not make.
# A switch address with nothing on port 22 (refused at once), a switch that
# drops everything sent to it (a timeout inside the deadline), 30% loss and
# 300 ms of round trip on its management link (fencing still succeeds), and
# CLI or shell syntax or control characters in the configuration (refused by
# configtest and promote with file:line; nothing reaches the switch). Each
# case asserts the exit status, that fencer returned before its deadline plus
# 3 s of slack, the journal line, the message and the port's administrative
# state in the switch's kernel.
set -u
. "$(dirname "$0")/cisco_lib.sh"
. "$(dirname "$0")/faults_lib.sh"
cisco_setup fc
impair_insert swa
J=$LAB_TMP/state/journal.jsonl

# --- nothing listens on port 22 at the address: refused, not waited for ------
# A second address of the switch, where sshd does not listen: the kernel
# answers the SYN with a reset.
lab_addr "$SW" mgmt0 10.77.0.4/24
DEADLINE=20s cisco_conf
sed -i 's/^address = .*/address = 10.77.0.4/' "$C"
rm -f "$J"
run_timed fence fw1
check "refused connection: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 20000
check "  says the switch, the address and the refusal" has "connect swa failed: cannot connect to 10.77.0.4 port 22: Connection refused"
check "  journal: connect failed (not a timeout: nothing was waited for)" journal connect failed swa
check "  journal: the run ended aborted" journal end aborted
check "  Gi0/1 is untouched in the kernel" admin_up gi1

# --- the switch drops everything: a timeout, well inside the deadline ---------
: >"$D/ios.log"
DEADLINE=6s TIMEOUT=2s cisco_conf
impair swa 0 100
rm -f "$J"
run_timed fence fw1
check "silent switch: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 6000
check "  says the switch timed out in the key exchange" has "connect swa timeout: no answer within 2000 ms (timeout) to the connection and key exchange"
check "  journal: connect timeout" journal connect timeout swa
check "  Gi0/1 is untouched in the kernel" admin_up gi1
check "  nothing reached the switch's CLI" test ! -s "$D/ios.log"
# the same with a timeout longer than the whole deadline: cut at the deadline
DEADLINE=3s TIMEOUT=20s cisco_conf
rm -f "$J"
run_timed fence fw1
check "silent switch, timeout > deadline: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 3000
# The worker's own wait ends at the deadline too: it reports the timeout,
# or is cut a moment before it could; either way the switch is named.
check "  says swa timed out at the deadline" grep -Eq "^fencer: (connect swa timeout: the run's deadline passed while waiting for the connection and key exchange|timeout swa timeout: no answer from the switch within the deadline; its session was cut)$" "$OUT"
check "  journal: a timeout of swa" journal "(connect|timeout)" timeout swa
check "  Gi0/1 is untouched in the kernel" admin_up gi1

# --- 30% of the frames toward the switch lost: TCP carries it through ---------
# Generous: the SYN's retransmissions back off 1, 2, 4 s.
DEADLINE=40s TIMEOUT=20s cisco_conf
impair swa 0 30
for i in 1 2 3; do
	rm -f "$J"
	run_timed fence fw1
	check "30% loss, round $i: fence exit 0" test "$RC" = 0
	check "  before the deadline" before_deadline 40000
	check "  says fw1 fenced" has "fw1 fenced (1 port)"
	check "  journal: verify ok on swa" journal verify ok swa
	check "  Gi0/1 is down in the kernel" admin_down gi1
	run_timed unfence fw1
	check "  unfence exit 0" test "$RC" = 0
	check "  Gi0/1 is up in the kernel" admin_up gi1
done

# --- 300 ms round trip (150 ms each way) ---------------------------------------
DEADLINE=30s TIMEOUT=10s cisco_conf
impair swa 150 0
rm -f "$J"
run_timed fence fw1
check "300 ms RTT: fence exit 0" test "$RC" = 0
check "  before the deadline" before_deadline 30000
check "  says fw1 fenced" has "fw1 fenced (1 port)"
check "  journal: verify ok on swa" journal verify ok swa
check "  Gi0/1 is down in the kernel" admin_down gi1
check "  Gi0/2 was left alone" admin_up gi2
run_timed unfence fw1
check "  unfence exit 0" test "$RC" = 0
check "  Gi0/1 is up in the kernel" admin_up gi1
impair swa off

# --- injection through the configuration ---------------------------------------
# bad_conf MATCH TEXT: $C as cisco_conf writes it, with its first line that
# holds MATCH replaced by TEXT (which may span lines); BAD is that line's number.
bad_conf() {
	local n
	cisco_conf
	n=$(grep -nF -m1 -- "$1" "$C" | cut -d: -f1)
	{ head -n $((n - 1)) "$C"; printf '%s\n' "$2"; tail -n +$((n + 1)) "$C"; } >"$C.new"
	mv "$C.new" "$C"
	chmod 0644 "$C"
	BAD=$n
}
# refused WHAT LINE-OFFSET WORDS: configtest and promote both exit 2 naming
# $C:line and WORDS; the switch received nothing; both ports stay up.
refused() {
	local what=$1 line=$((BAD + $2)) words=$3 before
	before=$(wc -c <"$D/ios.log")
	run_timed configtest
	check "$what: configtest exit 2" test "$RC" = 2
	check "  at $(basename "$C"):$line: $words" has "$C:$line: $words"
	check "  no control character in what fencer printed" eval '! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\n\t" <"$OUT")'
	run_timed promote
	check "  promote exit 2" test "$RC" = 2
	check "  promote names the line too" has "$C:$line: "
	check "  nothing reached the switch" test "$(wc -c <"$D/ios.log")" = "$before"
	check "  Gi0/1 and Gi0/2 are up in the kernel" eval 'admin_up gi1 && admin_up gi2'
}
# A session that ended under impairment may log its logout late (its FIN
# was in the relay when it restarted): wait until no iosemu runs.
iosemu_idle() { ! ip netns pids "$SW" | xargs -r ps -o comm= -p | grep -q iosemu; }
check "the switch has no session left" wait_for 60 iosemu_idle
: >"$D/ios.log"
P="port = swa GigabitEthernet0/1"
PORTMSG="port name 'GigabitEthernet0/1"
bad_conf "$P" "$P;reload"
refused "port with ';'" 0 "$PORTMSG;reload' has characters outside letters, digits and / : . -"
bad_conf "$P" "$P|reload"
refused "port with '|'" 0 "$PORTMSG|reload' has characters outside"
bad_conf "$P" "$P&&reload"
refused "port with '&&'" 0 "$PORTMSG&&reload' has characters outside"
bad_conf "$P" "$P\`reload\`"
refused "port with backticks" 0 "$PORTMSG\`reload\`' has characters outside"
bad_conf "$P" "$P$(printf '\a')"
refused "port with a BEL" 0 "control character 0x07 at column 30: only printable characters and tabs may appear"
bad_conf "$P" "$P$(printf '\033[2J')"
refused "port with an ESC sequence" 0 "control character 0x1b at column 30"
bad_conf "$P" "$P$(printf '\r')reload"
refused "port with a CR inside the line" 0 "control character 0x0d at column 30"
bad_conf "$P" "$P \\
reload"
refused "a backslash continuation" 0 "port must be 'SWITCH PORT"
bad_conf "$P" "$P
	reload"
refused "an indented continuation line" 1 "expected 'key = value' or a [section]"
bad_conf "[node fw1]" "[node fw1;reload]"
refused "node name with ';'" 0 "[node NAME] needs a name of letters, digits and _ . -"
bad_conf "peer = fw1" "peer = fw1|reload"
refused "peer with '|'" 0 "peer 'fw1|reload' may hold only letters, digits and _ . -"
bad_conf "[switch swa]" "[switch swa&&reload]"
refused "switch name with '&&'" 0 "[switch NAME] needs a name of letters, digits and _ . -"
bad_conf "address = 10.77.0.2" "address = 10.77.0.2;reload"
refused "address with ';'" 0 "'10.77.0.2;reload' is not an IP address or host name"
bad_conf "user = fencer" "user = fencer\`reload\`"
refused "user with backticks" 0 "user 'fencer\`reload\`' may hold only letters, digits and _ . - @"
bad_conf "user = fencer" "user = fencer$(printf '\033')]0;pwned$(printf '\a')"
refused "user with an OSC sequence" 0 "control character 0x1b at column 14"

# ';' behind white space starts a comment (fencer.conf(5)): the port is
# GigabitEthernet0/1 and the rest is never sent anywhere.
bad_conf "$P" "$P ;reload"
run_timed fence fw1
check "';' behind white space is a comment: fence exit 0" test "$RC" = 0
check "  Gi0/1 is down in the kernel" admin_down gi1
check "  the switch never saw 'reload'" lacks reload "$D/ios.log"
run_timed unfence fw1
check "  unfence, Gi0/1 is up" admin_up gi1
lab_done
