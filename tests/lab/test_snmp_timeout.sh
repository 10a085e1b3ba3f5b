#!/usr/bin/env bash
# An SNMP switch that does not answer (no agent on its address): fencer
# sends exactly 1 + retries requests, each given `timeout`, and never more
# than the run's deadline holds; the requests are counted on the wire with
# tcpdump and the error says how many tries of how long.
set -u
. "$(dirname "$0")/lib.sh"
lab_init st
: "${FENCER:?FENCER must name the fencer binary}"
command -v tcpdump >/dev/null || lab_skip "tcpdump missing"

lab_switch swb 10.77.0.3/24
lab_ns h1
lab_switch_port swb port1 "$(ns h1)" eth0
SW=$(ns swb) C=$LAB_TMP/fencer.conf
P1=$(ip netns exec "$SW" cat /sys/class/net/port1/ifindex)
lab_secret "$LAB_TMP/community" "community-$(lab_rand 4)"
conf() {	# TIMEOUT RETRIES DEADLINE
	cat >"$C" <<-EOF
	[fencer]
	node = fw2
	state-dir = $LAB_TMP/state
	deadline = $3
	[switch swb]
	driver = snmp
	address = 10.77.0.3
	community-file = $LAB_TMP/community
	timeout = $1
	retries = $2
	[node fw1]
	port = swb $P1
	[node fw2]
	port = swb port2
	EOF
	chmod 0644 "$C"
}
# requests seen by the switch since the capture started
capture() {
	lab_spawn td "$SW" tcpdump -i mgmt0 -n -l -U 'udp and dst port 161'
	wait_for 10 grep -q "listening on" "$LAB_TMP/td.log" || lab_die "tcpdump did not start"
}
requests() { lab_kill td; grep -c '> 10.77.0.3.161:' "$LAB_TMP/td.log"; }

# timeout 300 ms, retries 2, deadline 10 s: 3 tries, then a timeout error
conf 300ms 2 10s
capture
out=$(fencer fence fw1 2>&1) && lab_die "fence of an unreachable switch succeeded"
n=$(requests)
[ "$n" = 3 ] || lab_die "$n requests on the wire, not 3 (1 + retries 2): $(cat "$LAB_TMP/td.log")"
printf '%s\n' "$out" | grep -qF "fence swb $P1 timeout: switch swb (10.77.0.3): no answer to SET ifAdminStatus.$P1 (port $P1) = down(2) after 3 tries of 300 ms" ||
	lab_die "the error does not say 3 tries of 300 ms: $out"
echo "ok - retries: 3 requests on the wire, $(printf '%s\n' "$out" | grep -m1 timeout)"

# timeout 1 s, retries 9, deadline 2500 ms: only 2 tries fit
conf 1s 9 2500ms
capture
out=$(fencer fence fw1 2>&1) && lab_die "fence of an unreachable switch succeeded"
n=$(requests)
[ "$n" = 2 ] || lab_die "$n requests on the wire under a 2.5 s deadline, not 2: $(cat "$LAB_TMP/td.log")"
printf '%s\n' "$out" | grep -qF "after 2 tries of 1000 ms" || lab_die "the error does not say 2 tries of 1000 ms: $out"
echo "ok - deadline: retries cut to 2 requests by the 2.5 s deadline"
echo "snmp timeout: tries counted on the wire, bounded by the deadline"
