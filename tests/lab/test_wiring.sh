#!/usr/bin/env bash
# Wiring verification (fencer(8), check; fencer.conf(5), [node] mac,
# on-wiring-mismatch) on the real lab: fw1 forwards, fw2 is the standby
# (bridge down); lldpd runs on both firewalls and both switches (swa's
# iosemu answers `show lldp neighbors` from it, swb's snmpd serves its
# LLDP-MIB through AgentX).
#   - the right map is OK on both switches, from either node, and LLDP names
#     the neighbour (IOS and LLDP-MIB);
#   - with fw1's and fw2's ports swapped in fencer.conf, check is CRITICAL
#     naming both, and a promote with that map touches no port;
#   - the standby without LLDP, whose bridge is down, shows nothing: its
#     ports are UNKNOWN, not OK;
#   - a port patched to a third host is CRITICAL.
set -u
. "$(dirname "$0")/lib.sh"
. "$LAB_HERE/topo.sh"
lab_init wi
: "${FENCER:?FENCER must name the fencer binary}"
[ -x /usr/sbin/lldpd ] || lab_skip "lldpd missing (apt-get install lldpd)"

LAB_KEEPALIVED=0 LAB_LLDP=1 LAB_WIRING=1
topo_up
OUT=$LAB_TMP/out
A=$(ns swa) B=$(ns swb)
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$OUT')); w={(x['switch'],x['port']): x for x in d['wiring']}; sys.exit(0 if ($1) else 1)"; }
check_from() {	# N [CONF]: fencer --json check on fwN; its exit code in RC
	lab_in "$(ns fw$1)" "$FENCER" -c "${2:-$LAB_TMP/fw$1/fencer.conf}" --json check >"$OUT" 2>"$OUT.err"
	RC=$?
	[ -n "${WIRING_DEBUG:-}" ] && /usr/bin/python3 -c "import json; d=json.load(open('$OUT')); print(d['status']); [print('  ', w['status'], w['reason'], w['macs'], w.get('lldp_error','')) for w in d['wiring']]" >&2
}
neighbour() { lldpcli -u "$LAB_TMP/$1-lldpd/ctl" show neighbors ports "$2" | grep -q "SysName: *$3\$"; }
no_neighbour() { ! lldpcli -u "$LAB_TMP/$1-lldpd/ctl" show neighbors ports "$2" | grep -q SysName; }

wait_for 20 neighbour swa gi2 fw1 && wait_for 20 neighbour swa gi3 fw2 &&
	wait_for 20 neighbour swb port2 fw1 && wait_for 20 neighbour swb port3 fw2 ||
	lab_die "the switches' lldpd did not hear both firewalls"

# ---- the right map --------------------------------------------------------
for n in 1 2; do
	check_from $n
	check "check on fw$n: the right map is OK (exit 0)" [ $RC = 0 ]
	check "check on fw$n: every port of both switches is proven" \
		json "len(w) == 4 and all(x['status'] == 'ok' for x in w.values())"
done
check "LLDP through IOS: a Gi0/2's neighbour is fw1, on its a0" \
	json "any(l['system_name'] == 'fw1' and l['port_description'] == 'a0' for l in w[('a','GigabitEthernet0/2')]['lldp'])"
check "LLDP through LLDP-MIB: b port3's neighbour is fw2, on its b0" \
	json "any(l['system_name'] == 'fw2' and l['port_description'] == 'b0' for l in w[('b','port3')]['lldp'])"
check "the MAC table: fw2's b0 is learned on b port3" \
	json "'$(topo_mac fw2 b0)' in w[('b','port3')]['macs']"

# LLDP alone: a switch that learns nothing from link-local frames and
# forgot fw2's MACs still has its LLDP neighbour.
ip -n "$A" link set dev br0 type bridge no_linklocal_learn 1
ip -n "$A" link set dev gi3 type bridge_slave fdb_flush
check_from 1
check "with fw2's MAC gone from swa, LLDP alone proves a Gi0/3 leads to fw2" \
	json "w[('a','GigabitEthernet0/3')]['status'] == 'ok' and w[('a','GigabitEthernet0/3')]['macs'] == [] and 'LLDP neighbour is fw2' in w[('a','GigabitEthernet0/3')]['reason']"
ip -n "$A" link set dev br0 type bridge no_linklocal_learn 0
SW=$A wait_for 20 in_fdb "$(topo_mac fw2 a0)" gi3 || lab_die "swa did not learn fw2's a0 again"

# ---- fw1's and fw2's ports swapped in fencer.conf ----------------------------
S=$LAB_TMP/fw2/swapped.conf
sed -e 's/GigabitEthernet0\/2 /GigabitEthernet0\/X /; s/GigabitEthernet0\/3 /GigabitEthernet0\/2 /; s/GigabitEthernet0\/X /GigabitEthernet0\/3 /' \
	-e 's/ port2 / portX /; s/ port3 / port2 /; s/ portX / port3 /' "$LAB_TMP/fw2/fencer.conf" >"$S"
chmod 0644 "$S"
check_from 2 "$S"
check "swapped map: check is CRITICAL (exit 2)" [ $RC = 2 ]
check "swapped map: fw1's configured port shows fw2's MAC" \
	json "any(p.startswith('a GigabitEthernet0/3 is configured for fw1, but fw2') for p in d['problems'])"
check "swapped map: fw2's configured port shows fw1's MAC" \
	json "any(p.startswith('a GigabitEthernet0/2 is configured for fw2, but fw1') for p in d['problems'])"
check "swapped map: both nodes named on the SNMP switch too" \
	json "w[('b','port3')]['leads_to'] == 'fw2' and w[('b','port2')]['leads_to'] == 'fw1' and w[('b','port3')]['status'] == 'wrong'"

lab_in "$(ns fw2)" "$FENCER" -c "$S" -v promote >"$OUT" 2>&1
rc=$?
check "swapped map: promote on fw2 refuses (exit 1)" [ $rc = 1 ]
check "swapped map: the promote says why" grep -q "leads to fw2" "$OUT"
for p in gi2 gi3; do check "swapped map: swa $p still up" lab_link_up "$A" $p; done
for p in port2 port3; do check "swapped map: swb $p still up" lab_link_up "$B" $p; done
check "swapped map: fw2's bridge not activated" lab_link_down "$(ns fw2)" br0

# ---- the standby shows nothing ---------------------------------------------------
lab_kill fw2-lldpd
wait_for 20 no_neighbour swa gi3 && wait_for 20 no_neighbour swb port3 ||
	lab_die "the switches still list fw2 as a neighbour"
ip -n "$A" link set dev gi3 type bridge_slave fdb_flush
ip -n "$B" link set dev port3 type bridge_slave fdb_flush
check_from 1
check "standby without LLDP: check is UNKNOWN (exit 3), not OK" [ $RC = 3 ]
check "standby without LLDP: its ports are unknown, with the reason" \
	json "w[('a','GigabitEthernet0/3')]['status'] == 'unknown' and w[('b','port3')]['status'] == 'unknown' and 'no MAC is learned there' in w[('b','port3')]['reason']"
check "standby without LLDP: fw1's ports are still proven" \
	json "w[('a','GigabitEthernet0/2')]['status'] == 'ok' and w[('b','port2')]['status'] == 'ok'"

# ---- a port patched to a third host ------------------------------------------------
# fw2's cables to both switches now lead to h3: a host that talks (swa) and
# one that runs lldpd (swb).
lab_ns h3
ip -n "$(ns fw2)" link del dev a0
ip -n "$(ns fw2)" link del dev b0
lab_switch_port swa gi3 "$(ns h3)" eth0
lab_switch_port swb port3 "$(ns h3)" eth1
lab_addr "$(ns h3)" eth0 10.77.1.30/24
lab_lldpd h3 "$(ns h3)" h3 eth1
lab_in "$(ns h3)" ping -c1 -W1 10.77.1.10 >/dev/null 2>&1
wait_for 20 neighbour swb port3 h3 || lab_die "swb did not hear h3"
check_from 1
check "third host: check is CRITICAL (exit 2)" [ $RC = 2 ]
check "third host on swa: its MAC, of neither node, on fw2's port" \
	json "any(p.startswith('a GigabitEthernet0/3 is configured for fw2, but MAC $(topo_mac h3 eth0), of neither node') for p in d['problems'])"
check "third host on swb: CRITICAL, its LLDP neighbour named" \
	json "w[('b','port3')]['status'] == 'wrong' and any(l['system_name'] == 'h3' for l in w[('b','port3')]['lldp'])"
lab_done "wiring verified"
