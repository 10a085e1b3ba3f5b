#!/usr/bin/env bash
# Fault matrix, snmp: the faults test_snmp.sh and
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
# snmpd caches its ifTable for a few seconds; the kernel is what counts.

# --- the switch drops every request: a timeout inside the deadline -----------
conf 1s 1 5s
impair swb 0 100
run_timed fence fw1
check "silent agent: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 5000
check "  says switch swb timed out, and after how many tries" \
	has "fence swb port1 timeout: switch swb (10.77.0.3): no answer to walk of ifName (to find port port1) after 2 tries of 1000 ms"
check "  journal: fence timeout on swb" journal fence timeout swb
check "  journal: the run ended aborted" journal end aborted
check "  port1 is untouched in the kernel" admin_up port1

# --- 30% of the requests lost: the retries carry it ----------------------------
# 1 + 10 tries of 500 ms each: a request fails only if all 11 are lost
# (0.3^11, about 2 in a million).
conf 500ms 10 30s
impair swb 0 30
for i in 1 2 3; do
	rm -f "$J"
	run_timed fence fw1
	check "30% loss, round $i: fence exit 0" test "$RC" = 0
	check "  before the deadline" before_deadline 30000
	check "  says fw1 fenced" has "fw1 fenced (1 port)"
	check "  journal: verify ok on swb" journal verify ok swb
	check "  port1 is down in the kernel" admin_down port1
	check "  port2 was left alone" admin_up port2
	run_timed unfence fw1
	check "  unfence exit 0" test "$RC" = 0
	check "  port1 is up in the kernel" admin_up port1
done

# --- 300 ms round trip (150 ms each way) --------------------------------------
conf 2s 2 20s
impair swb 150 0
run_timed fence fw1
check "300 ms RTT: fence exit 0" test "$RC" = 0
check "  before the deadline" before_deadline 20000
check "  says fw1 fenced" has "fw1 fenced (1 port)"
check "  journal: verify ok on swb" journal verify ok swb
check "  port1 is down in the kernel" admin_down port1
run_timed unfence fw1
check "  unfence exit 0" test "$RC" = 0
check "  port1 is up in the kernel" admin_up port1

lab_done
