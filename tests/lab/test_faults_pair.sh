#!/usr/bin/env bash
# Fault matrix, two switches: fw1 hangs off a Cisco-like swa
# (GigabitEthernet0/1) and a 3Com-like swb (port1); one of them drops
# everything sent to it (impair.py, faults_lib.sh). The live switch's port
# is still fenced, in the kernel; on-fence-failure decides activation:
# abort never runs the activate hook, continue runs it; promote exits 1
# either way (fencer(8), fencer.conf(5)). Each run also asserts that promote
# returned before its deadline plus 3 s of slack, the journal lines and the
# message naming the dead switch.
set -u
. "$(dirname "$0")/cisco_lib.sh"
. "$(dirname "$0")/faults_lib.sh"
cisco_setup fp
lab_switch swb 10.77.0.3/24
lab_ns h3
lab_switch_port swb port1 "$(ns h3)" eth0
lab_snmpd swb 10.77.0.3
impair_insert swa
impair_insert swb
SWB=$(ns swb) J=$LAB_TMP/state/journal.jsonl HOOK=$LAB_TMP/activated

conf() {	# ON-FENCE-FAILURE
	cat >"$C" <<-EOF
	[fencer]
	node = fw2
	peer = fw1
	state-dir = $LAB_TMP/state
	deadline = 6s
	on-fence-failure = $1
	unfence-self = no
	activate = echo activated >> $HOOK
	[switch swa]
	driver = cisco-ios
	address = 10.77.0.2
	user = fencer
	password-file = $D/password
	enable-secret-file = $D/enable
	known-hosts = $D/known_hosts
	timeout = 2s
	[switch swb]
	driver = 3com
	address = 10.77.0.3
	snmp-version = 2c
	community-file = $LAB_TMP/swb/rw.community
	timeout = 1s
	retries = 1
	[node fw1]
	port = swa GigabitEthernet0/1
	port = swb port1
	[node fw2]
	port = swa GigabitEthernet0/2
	EOF
	chmod 0644 "$C"
	rm -rf "$LAB_TMP/state" "$HOOK"
}
swb_up() { lab_link_up "$SWB" "$1"; }
swb_down() { lab_link_down "$SWB" "$1"; }

# --- both alive: the baseline ----------------------------------------------------
conf abort
run_timed promote
check "both switches alive: promote exit 0" test "$RC" = 0
check "  Gi0/1 (swa) and port1 (swb) are down in the kernel" eval 'admin_down gi1 && swb_down port1'
check "  the activate hook ran once" test "$(cat "$HOOK" 2>/dev/null)" = activated
ip -n "$SW" link set dev gi1 up
ip -n "$SWB" link set dev port1 up

# --- swa dead, abort: swb fenced anyway, no activation ----------------------------
conf abort
impair swa 0 100
run_timed promote
check "swa dead, on-fence-failure = abort: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 6000
check "  says swa timed out" has "connect swa timeout: no answer within 2000 ms (timeout) to the connection and key exchange"
check "  journal: connect timeout on swa" journal connect timeout swa
check "  journal: verify ok on swb" journal verify ok swb
check "  journal: the promotion aborted" journal abort aborted
check "  port1 (swb) is down in the kernel" swb_down port1
check "  Gi0/1 (swa) is untouched" admin_up gi1
check "  the activate hook never ran" test ! -e "$HOOK"
impair swa off
ip -n "$SWB" link set dev port1 up

# --- swb dead, continue: swa fenced, activation anyway, still exit 1 -------------
conf continue
impair swb 0 100
run_timed promote
check "swb dead, on-fence-failure = continue: exit 1" test "$RC" = 1
check "  before the deadline" before_deadline 6000
check "  says swb timed out" has "fence swb port1 timeout: switch swb (10.77.0.3): no answer to walk of ifName (to find port port1) after 2 tries of 1000 ms"
check "  journal: fence timeout on swb" journal fence timeout swb
check "  journal: verify ok on swa" journal verify ok swa
check "  journal: activating anyway" journal continue failed
check "  Gi0/1 (swa) is down in the kernel" admin_down gi1
check "  port1 (swb) is untouched" swb_up port1
check "  the activate hook ran once" test "$(cat "$HOOK" 2>/dev/null)" = activated
impair swb off
lab_done
