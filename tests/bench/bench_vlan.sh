#!/usr/bin/env bash
# Failover on 802.1Q trunks (tests/lab/vlan_lib.sh): fw1 stops forwarding
# with its links up, fw2 promotes; then 20 pings, 0.1 s apart, in each of
# VLANs 10 and 20, started as promote returns. fencer's column: with
# [announce] (rounds = 1: the figure is what the first round does); the
# peer's: the same promote without [announce], the switches left to their
# 300 s ageing. The host table is the one `fencer learn` built on fw2
# while fw1 was master, as in test_announce_vlan.sh.
#   rows: ping loss per VLAN after the promote, with vs without announce.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/lib.sh"
: "${FENCER:?}" "${LABBIN:?}"
RUNS=${BENCH_RUNS:-3}
PINGS=20
lab_init bv
. "$here/../lab/vlan_lib.sh"
vlan_up
with=$(vlan_conf with yes)
without=$(vlan_conf without no)
lab_spawn learn "$(ns fw2)" "$FENCER" -c "$with" -v learn
wait_for 5 grep -q "watching 2 ports" "$LAB_TMP/learn.log" || { echo "bench: learn did not start" >&2; exit 1; }
vlan_teach
hosts() { /usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["macs"]))' "$LAB_TMP/state/macs.json" 2>/dev/null; }
wait_for 10 eval '[ "$(hosts)" = 6 ]' || { echo "bench: learn did not find the 6 hosts" >&2; exit 1; }
lab_kill learn
vlan_quiet

declare -A loss
for _ in $(seq "$RUNS"); do
	for mode in without with; do
		conf=$with
		[ $mode = without ] && conf=$without
		vlan_fail_over "$conf"
		for v in 10 20; do
			got=$(vlan_replies $v $PINGS)
			loss[$mode$v]+=" $(awk "BEGIN {printf \"%.0f\", ($PINGS - $got) * 100 / $PINGS}")"
		done
		vlan_fail_back "$conf"
	done
done
for v in 10 20; do
	bench_row "trunk failover, VLAN $v: ping loss after promote with announce, first round only (peer: without announce)" \
		"$(bench_median ${loss[with$v]})" "$(bench_median ${loss[without$v]})" "$RUNS" "%"
done
