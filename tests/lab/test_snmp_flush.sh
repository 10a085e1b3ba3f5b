#!/usr/bin/env bash
# MAC flushes against the lab's 3Com-like switch (real snmpd, BRIDGE-MIB and
# 3Com objects served from the live kernel bridge):
# - snmp: dot1dTpAgingTime is lowered to 10 s while the flush waits (seen in
#   the kernel bridge's ageing_time), quiet hosts' entries age out, and the
#   old value (not the default: 123 s) is back afterwards; the same when
#   the run's deadline cuts the wait short.
# - 3com: flush = port on promote deletes exactly the learned entries of
#   the fenced port; `fencer flush` deletes every learned entry and keeps
#   the static and the bridge's own.
set -u
. "$(dirname "$0")/lib.sh"
lab_init sf
: "${FENCER:?FENCER must name the fencer binary}"

lab_switch swb 10.77.0.3/24
for i in 1 2 3; do
	lab_ns "h$i"
	lab_switch_port swb "port$i" "$(ns "h$i")" eth0
	lab_addr "$(ns "h$i")" eth0 "10.77.1.$i/24"
done
lab_quiet_hosts "$(ns h2)" eth0 10.77.1.2 "$(ns h3)" eth0 10.77.1.3
lab_snmpd swb 10.77.0.3
D=$LAB_TMP/swb SW=$(ns swb) C=$LAB_TMP/fencer.conf
conf() {	# DRIVER DEADLINE
	cat >"$C" <<-EOF
	[fencer]
	node = fw2
	state-dir = $LAB_TMP/state
	deadline = $2
	[switch swb]
	driver = $1
	address = 10.77.0.3
	community-file = $D/rw.community
	timeout = 1s
	flush = port
	[node fw1]
	port = swb port1
	[node fw2]
	port = swb port3
	EOF
	chmod 0644 "$C"
}
ageing() { ip -n "$SW" -d link show dev br0 | grep -o 'ageing_time [0-9]*' | cut -d' ' -f2; }
learn() { lab_in "$(ns h2)" ping -c1 -W1 10.77.1.3 >/dev/null || lab_die "h2 cannot reach h3"; }
M2=$(mac_of h2) && M3=$(mac_of h3) || lab_die "cannot read the hosts' MACs"
# watch the kernel's ageing_time while fencer runs
watch_ageing() { while :; do ageing; sleep 0.05; done >"$LAB_TMP/ageing.log" 2>/dev/null & WATCH=$!; lab_on_exit "kill $WATCH"; }
stop_watch() { kill "$WATCH" 2>/dev/null; wait "$WATCH" 2>/dev/null; }

# ---- snmp: aging time ----------------------------------------------------------
ip -n "$SW" link set dev br0 type bridge ageing_time 12300
learn
in_fdb "$M2" port2 && in_fdb "$M3" port3 || lab_die "h2 and h3 were not learned"
conf snmp 14s
watch_ageing
fencer -v flush swb || lab_die "snmp flush failed"
stop_watch
grep -qx 1000 "$LAB_TMP/ageing.log" || lab_die "the ageing time was never lowered to 10 s: $(sort -u "$LAB_TMP/ageing.log")"
[ "$(ageing)" = 12300 ] || lab_die "the ageing time is $(ageing), not 12300 (123 s) again"
not_in_fdb "$M2" port2 || lab_die "h2's entry did not age out during the flush"
not_in_fdb "$M3" port3 || lab_die "h3's entry did not age out during the flush"
echo "ok - snmp flush: ageing lowered to 10 s, quiet entries aged out, 123 s restored"

# The deadline (3 s) is shorter than the wait (11 s): cut, and restored.
conf snmp 3s
watch_ageing
fencer -v flush swb || lab_die "snmp flush under a short deadline failed"
stop_watch
grep -qx 1000 "$LAB_TMP/ageing.log" || lab_die "the ageing time was never lowered under the short deadline"
[ "$(ageing)" = 12300 ] || lab_die "after a deadline-cut flush the ageing time is $(ageing), not 12300"
echo "ok - snmp flush cut by the deadline: 123 s restored"

# ---- promote: the first announce round does not wait for the flush -------------
# The aging flush holds its worker for ~11 s; the gratuitous ARP must be on
# the wire while the ageing time is still lowered, and the journal must
# show the announce round ending before the flush does.
lab_ns cap
lab_veth "$LAB_MGMT" an0 "$(ns cap)" an1
ip -n "$LAB_MGMT" link set dev an0 up; ip -n "$(ns cap)" link set dev an1 up
lab_spawn cap-an1 "$(ns cap)" tcpdump -U --immediate-mode -n -i an1 -w "$LAB_TMP/an1.pcap" arp
wait_for 5 grep -q "listening on" "$LAB_TMP/cap-an1.log" || lab_die "tcpdump on an1 did not start"
ip -n "$SW" link set dev port1 up
learn
conf snmp 14s
printf '[announce]\ninterface = an0\naddress = 10.9.0.1\nrounds = 1\n' >>"$C"
watch_ageing
fencer -v promote >"$LAB_TMP/promote.out" 2>&1 &
P=$!; lab_on_exit "kill $P"
wait_for 8 sh -c "[ \"\$(tcpdump -nr '$LAB_TMP/an1.pcap' 2>/dev/null | grep -c 'Request who-has 10.9.0.1 .*tell 10.9.0.1')\" -ge 1 ]" ||
	lab_die "no gratuitous ARP on the wire during the flush: $(tcpdump -enr "$LAB_TMP/an1.pcap" 2>&1; cat "$LAB_TMP/promote.out")"
# The flush holds the promote for ~11 s: the frame must not have waited.
kill -0 $P 2>/dev/null || lab_die "the gratuitous ARP came only after the flush: $(cat "$LAB_TMP/promote.out")"
wait $P || lab_die "promote with an aging flush and announce failed: $(cat "$LAB_TMP/promote.out")"
stop_watch
[ "$(ageing)" = 12300 ] || lab_die "after promote the ageing time is $(ageing), not 12300"
python3 - "$LAB_TMP/state/journal.jsonl" <<'PY' || lab_die "journal order: $(cat "$LAB_TMP/state/journal.jsonl")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
last = max(i for i, e in enumerate(ev) if e["step"] == "begin")
ev = ev[last:]
ann = [e["time"] for e in ev if e["step"] == "announce"]
fl = [e["time"] for e in ev if e["step"] == "flush" and e["outcome"] == "ok"]
sys.exit(0 if ann and fl and max(ann) < min(fl) else 1)
PY
ip -n "$SW" link set dev port1 up
echo "ok - promote: the first announce round went out while the aging flush was still waiting"

# ---- 3com: per-entry delete ----------------------------------------------------------
conf 3com 8s
STATIC=02:00:00:00:00:99 INJECTED=02:00:00:00:00:11
bridge -n "$SW" fdb add $STATIC dev port3 master static || lab_die "cannot add a static entry"
# port1 is down (fenced before) and still holds a learned entry, as on a
# switch that does not flush a port going down. A Linux bridge does flush
# its dynamic entries then, but keeps externally learned ones, which the
# lab's agent reports as learned(3) like any other.
ip -n "$SW" link set dev port1 down
bridge -n "$SW" fdb add $INJECTED dev port1 master extern_learn || lab_die "cannot add a learned entry on port1"
learn
in_fdb $INJECTED port1 && in_fdb "$M2" port2 && in_fdb "$M3" port3 || lab_die "entries missing before the 3com flush"
bridge -n "$SW" fdb show br br0 >"$LAB_TMP/fdb.before"
fencer -v promote || lab_die "promote (fence fw1 port1, flush = port) failed"
not_in_fdb $INJECTED port1 || lab_die "port1's learned entry is still there after flush = port"
in_fdb "$M2" port2 || lab_die "h2's entry (port2, not fenced) was deleted"
in_fdb "$M3" port3 || lab_die "h3's entry (port3, not fenced) was deleted"
in_fdb $STATIC port3 || lab_die "the static entry was deleted"
bridge -n "$SW" fdb show br br0 >"$LAB_TMP/fdb.after"
gone=$(diff "$LAB_TMP/fdb.before" "$LAB_TMP/fdb.after" | grep -c '^<')
[ "$gone" = 1 ] || lab_die "flush = port removed $gone entries, not 1: $(diff "$LAB_TMP/fdb.before" "$LAB_TMP/fdb.after")"
echo "ok - 3com flush = port: exactly port1's learned entry deleted"

permanent_before=$(bridge -n "$SW" fdb show br br0 | grep -c permanent)
fencer -v flush swb || lab_die "3com flush (all) failed"
not_in_fdb "$M2" port2 || lab_die "h2's learned entry survived flush all"
not_in_fdb "$M3" port3 || lab_die "h3's learned entry survived flush all"
in_fdb $STATIC port3 || lab_die "flush all deleted the static entry"
[ "$(bridge -n "$SW" fdb show br br0 | grep -c permanent)" = "$permanent_before" ] ||
	lab_die "flush all deleted a permanent (the bridge's own) entry"
echo "ok - 3com flush all: learned entries deleted, static and permanent kept"
echo "snmp flushes: aging time restored, 3Com deletes exactly the learned entries asked for"
