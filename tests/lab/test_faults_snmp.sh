#!/usr/bin/env bash
# Fault matrix, snmp (issue 9): the faults test_snmp.sh and
# test_snmp_timeout.sh do not make, on the management link of a real snmpd
# (impair.py, faults_lib.sh). A switch that drops every request at its
# address fails inside the deadline as a timeout; 30% of the requests lost
# are carried by the retries; 300 ms of round trip still fences. Each case
# asserts the exit status, that fencer returned before its deadline plus 3 s
# of slack, the journal line, the message and the port's administrative
# state in the switch's kernel.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faults_lib.sh"
lab_init fs
: "${FENCER:?FENCER must name the fencer binary}"

lab_switch swb 10.77.0.3/24
lab_ns h1
lab_ns h2
lab_switch_port swb port1 "$(ns h1)" eth0
lab_switch_port swb port2 "$(ns h2)" eth0
lab_snmpd swb 10.77.0.3
impair_insert swb
D=$LAB_TMP/swb SW=$(ns swb) C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out
J=$LAB_TMP/state/journal.jsonl
FAILS=0

conf() {	# TIMEOUT RETRIES DEADLINE
	cat >"$C" <<-EOF
	[fencer]
	node = fw2
	state-dir = $LAB_TMP/state
	deadline = $3
	[switch swb]
	driver = snmp
	address = 10.77.0.3
	snmp-version = 2c
	community-file = $D/rw.community
	timeout = $1
	retries = $2
	[node fw1]
	port = swb port1
	[node fw2]
	port = swb port2
	EOF
	chmod 0644 "$C"
	rm -f "$J"
}
admin_up() { lab_link_up "$SW" "$1"; }
admin_down() { ! admin_up "$1"; }
has() { grep -qF -- "$1" "$OUT"; }
ok() {
	if "${@:2}" >/dev/null 2>&1; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		sed 's/^/    # /' "$OUT" | tail -n 8
		FAILS=$((FAILS + 1))
	fi
}
# snmpd caches its ifTable for a few seconds; the kernel is what counts.

# --- the switch drops every request: a timeout inside the deadline -----------
conf 1s 1 5s
impair swb 0 100
run_timed fence fw1
ok "silent agent: exit 1" test "$RC" = 1
ok "  before the deadline" before_deadline 5000
ok "  says switch swb timed out, and after how many tries" \
	has "fence swb port1 timeout: switch swb (10.77.0.3): no answer to walk of ifName (to find port port1) after 2 tries of 1000 ms"
ok "  journal: fence timeout on swb" journal fence timeout swb
ok "  journal: the run ended aborted" journal end aborted
ok "  port1 is untouched in the kernel" admin_up port1

# --- 30% of the requests lost: the retries carry it ----------------------------
# 1 + 10 tries of 500 ms each: a request fails only if all 11 are lost
# (0.3^11, about 2 in a million).
conf 500ms 10 30s
impair swb 0 30
for i in 1 2 3; do
	rm -f "$J"
	run_timed fence fw1
	ok "30% loss, round $i: fence exit 0" test "$RC" = 0
	ok "  before the deadline" before_deadline 30000
	ok "  says fw1 fenced" has "fw1 fenced (1 port)"
	ok "  journal: verify ok on swb" journal verify ok swb
	ok "  port1 is down in the kernel" admin_down port1
	ok "  port2 was left alone" admin_up port2
	run_timed unfence fw1
	ok "  unfence exit 0" test "$RC" = 0
	ok "  port1 is up in the kernel" admin_up port1
done

# --- 300 ms round trip (150 ms each way) --------------------------------------
conf 2s 2 20s
impair swb 150 0
run_timed fence fw1
ok "300 ms RTT: fence exit 0" test "$RC" = 0
ok "  before the deadline" before_deadline 20000
ok "  says fw1 fenced" has "fw1 fenced (1 port)"
ok "  journal: verify ok on swb" journal verify ok swb
ok "  port1 is down in the kernel" admin_down port1
run_timed unfence fw1
ok "  unfence exit 0" test "$RC" = 0
ok "  port1 is up in the kernel" admin_up port1

[ "$FAILS" -eq 0 ] || { echo "$FAILS checks failed"; exit 1; }
echo "all checks passed"
