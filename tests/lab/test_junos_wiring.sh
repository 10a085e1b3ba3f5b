#!/usr/bin/env bash
# check's wiring proof through the junos driver: each port's MAC table in
# the request of the switch's kind (ELS, non-ELS) and its LLDP neighbours
# (both requests, from a real lldpd in the switch's namespace), proving a
# port leads to its node and catching one that leads elsewhere.
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup jw
junos_hosts

# --- check-wiring: the port's learned MACs, ELS and non-ELS -----------------------
wiring() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$OUT')); w={x['port']: x for x in d['wiring']}; sys.exit(0 if ($1) else 1)"; }
for kind in ELS non-ELS; do
	if [ $kind = ELS ]; then junos_fault; else junos_fault els=0; fi
	learn >/dev/null
	: >"$D/nc.log"
	CHECK_WIRING=yes FW1_PORTS="ge-0/0/1 $M1" junos_conf
	fencer --json check
	check "$kind: h1's MAC proves ge-0/0/1 leads to fw1" \
		wiring "w['ge-0/0/1']['status'] == 'ok' and '$M1' in w['ge-0/0/1']['reason']"
	check "  read with the $kind request" eval 'rpcs | grep -q "$( [ $kind = ELS ] && echo get-ethernet-switching-table-interface-information || echo get-interface-ethernet-switching-table)"'
	CHECK_WIRING=yes FW1_PORTS="ge-0/0/1 $M2" junos_conf
	fencer --json check
	check "$kind: h2's MAC configured on ge-0/0/1 is caught (CRITICAL)" \
		wiring "d['status'] == 'CRITICAL' and w['ge-0/0/1']['status'] == 'wrong' and 'learned on ge-0/0/2' in w['ge-0/0/1']['reason']"
done
# --- check-wiring: LLDP, both requests ------------------------------------------------
if [ -x /usr/sbin/lldpd ]; then
	lab_lldpd swj "$SW" swj ge1 ge2
	lab_lldpd h1 "$(ns h1)" fw1 eth0
	lab_lldpd h2 "$(ns h2)" h2 eth0
	check "the switch's lldpd hears fw1 on ge1 and h2 on ge2" wait_for 20 eval \
		'lldpcli -u "$LAB_TMP/swj-lldpd/ctl" show neighbors ports ge1 | grep -q "SysName: *fw1$" &&
		 lldpcli -u "$LAB_TMP/swj-lldpd/ctl" show neighbors ports ge2 | grep -q "SysName: *h2$"'
	for form in new old; do
		if [ $form = new ]; then junos_fault "lldp=$LAB_TMP/swj-lldpd/ctl"
		else junos_fault "lldp=$LAB_TMP/swj-lldpd/ctl" lldp-old=1; fi
		: >"$D/nc.log"
		CHECK_WIRING=yes FW1_PORTS=ge-0/0/1 junos_conf
		fencer --json check
		check "LLDP ($form request): ge-0/0/1 leads to fw1, its neighbour" \
			wiring "w['ge-0/0/1']['status'] == 'ok' and any(l['system_name'] == 'fw1' for l in w['ge-0/0/1']['lldp'])"
		check "  ge-0/0/2's neighbour h2 is not fw2 (CRITICAL)" \
			wiring "d['status'] == 'CRITICAL' and w['ge-0/0/2']['status'] == 'wrong' and any(l['system_name'] == 'h2' for l in w['ge-0/0/2']['lldp'])"
		check "  asked with the $form request" eval 'rpcs | grep -q "get-lldp-interface-neighbors$( [ $form = old ] && echo -information) "'
	done
	junos_fault
	CHECK_WIRING=yes FW1_PORTS=ge-0/0/1 junos_conf
	fencer --json check
	check "LLDP off on the switch: not read, in its words" \
		wiring "'LLDP is not running' in w['ge-0/0/1']['lldp_error'] and w['ge-0/0/1']['status'] == 'unknown'"
fi
junos_fault
lab_done
