#!/usr/bin/env bash
# check finds, against a real snmpd, what the next promote would fail at:
# a read-only community (the fence's SET is refused: CRITICAL, unless
# check-write = no), an agent without BRIDGE-MIB (the snmp driver's flush:
# WARNING), an agent without the 3Com table (the 3com driver's flush:
# WARNING). The write check sets a port to the value it has: the kernel's
# port states do not move. The 3com flush never says "0 deleted" where it
# could not have deleted anything, and says how many entries it deleted.
set -u
. "$(dirname "$0")/lib.sh"
lab_init cn
: "${FENCER:?FENCER must name the fencer binary}"

SW=$LAB_PFX-swb C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out J=$LAB_TMP/state/journal.jsonl
lab_switch swb 10.77.0.3/24
for i in 1 2 3; do
	lab_ns "h$i"
	lab_switch_port swb "port$i" "$(ns "h$i")" eth0
	lab_addr "$(ns "h$i")" eth0 "10.77.1.$i/24"
done
lab_quiet_hosts "$(ns h2)" eth0 10.77.1.2 "$(ns h3)" eth0 10.77.1.3
D=$LAB_TMP/swb
fencer() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1; }
conf() {	# DRIVER COMMUNITY [EXTRA SWITCH LINE]
	cat >"$C" <<-EOF
	[fencer]
	node = fw2
	state-dir = $LAB_TMP/state
	deadline = 8s
	[switch swb]
	driver = $1
	address = 10.77.0.3
	community-file = $D/$2.community
	timeout = 1s
	check-wiring = no
	${3:-}
	[node fw1]
	port = swb port1
	[node fw2]
	port = swb port2
	EOF
	chmod 0644 "$C"
}
learn() { lab_in "$(ns h2)" ping -c1 -W1 10.77.1.3 >/dev/null || lab_die "h2 cannot reach h3"; }
ports_as_before() { lab_link_up "$SW" port1 && lab_link_up "$SW" port2; }
restart_snmpd() {	# MIBS
	lab_kill swb-snmpd
	LAB_SNMP_MIBS=$1 lab_snmpd swb 10.77.0.3
}

lab_snmpd swb 10.77.0.3

# --- a full agent: all is well, and the check changed nothing -------------------------
conf snmp rw
fencer -v check || lab_die "check against a read-write community exited $?: $(cat "$OUT")"
must_have "swb: write: SET ifAdminStatus." "the write check"
must_have "swb: MAC flush: flushes through dot1dTpAgingTime" "the flush check"
ports_as_before || lab_die "check moved a port"
fencer fence fw1 || lab_die "fence failed: $(cat "$OUT")"
fencer -v check; rc=$?
[ $rc = 1 ] || lab_die "check with fw1 fenced exited $rc, not 1 (WARNING): $(cat "$OUT")"
must_have "swb: write: SET ifAdminStatus." "the write check on a fenced port"
lab_link_up "$SW" port1 && lab_die "check brought the fenced port1 up"
fencer unfence fw1 || lab_die "unfence failed: $(cat "$OUT")"
echo "ok - read-write community: OK, write and flush checked, no port moved, up or down"

# --- a read-only community: fence would fail, check says so ----------------------------
conf snmp ro
fencer check; rc=$?
[ $rc = 2 ] || lab_die "check with a read-only community exited $rc, not 2: $(cat "$OUT")"
must_have "FENCER CRITICAL - " "the status"
must_have "switch swb: a fence would fail:" "the reason"
must_have "noAccess" "the switch's words"
fencer fence fw1 && lab_die "fence with a read-only community succeeded"
lab_link_up "$SW" port1 || lab_die "port1 went down"
conf snmp ro "check-write = no"
fencer check || lab_die "check with check-write = no exited $?: $(cat "$OUT")"
echo "ok - read-only community: CRITICAL (fence fails too); check-write = no skips the write"

# --- no BRIDGE-MIB: the snmp driver's flush would fail ------------------------------------
restart_snmpd ""
conf snmp rw
fencer check; rc=$?
[ $rc = 1 ] || lab_die "check without BRIDGE-MIB exited $rc, not 1: $(cat "$OUT")"
must_have "switch swb: the MAC flush would fail: " "the flush"
must_have "dot1dTpAgingTime" "the object"
conf 3com rw
fencer check; rc=$?
[ $rc = 1 ] || lab_die "3com check without BRIDGE-MIB exited $rc, not 1: $(cat "$OUT")"
must_have "no BRIDGE-MIB" "the reason"
fencer flush swb && lab_die "3com flush without BRIDGE-MIB succeeded: $(cat "$OUT")"
must_have "serves no BRIDGE-MIB" "the flush error"
grep -q "deleted 0" "$OUT" && lab_die "the flush says it deleted 0: $(cat "$OUT")"
echo "ok - no BRIDGE-MIB: WARNING for snmp and 3com, and the 3com flush fails"

# --- BRIDGE-MIB but no 3Com table ----------------------------------------------------------
restart_snmpd bridge
learn
conf 3com rw
fencer check; rc=$?
[ $rc = 1 ] || lab_die "3com check without hwdot1qTpFdbSetTable exited $rc, not 1: $(cat "$OUT")"
must_have "hwdot1qTpFdbSetTable none" "the reason"
fencer flush swb && lab_die "3com flush without hwdot1qTpFdbSetTable succeeded: $(cat "$OUT")"
echo "ok - no 3Com table: WARNING, and the flush fails"

# --- the whole 3Com agent: the flush says what it deleted --------------------------------------
restart_snmpd "bridge 3com"
learn
conf 3com rw
fencer check || lab_die "3com check exited $?: $(cat "$OUT")"
fencer -v flush swb || lab_die "3com flush failed: $(cat "$OUT")"
grep -Eq '"step":"flush".*"detail":"deleted [1-9][0-9]* entr' "$J" ||
	lab_die "the journal does not count the deleted entries: $(grep flush "$J")"
grep -Eq 'flush +swb +ok .*deleted [1-9][0-9]* entr' "$OUT" || lab_die "the timeline does not count them: $(cat "$OUT")"
ports_as_before || lab_die "a port moved"
echo "check against snmpd: write and flush methods checked; flushes count what they did"
