#!/usr/bin/env bash
# MAC flush through the junos driver, in each form: the RPC of a non-ELS EX
# (<clear-ethernet-switching-table><interface>), the ELS one
# (<clear-ethernet-switching-interface-table>), and on a switch that refuses
# both, the CLI command through <command>. Asserted on the switch's real
# bridge FDB: `fencer flush` (all) empties it; promote with flush = port
# flushes the fenced port only and keeps the others' entries. check tells
# ELS from non-ELS.
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup jf
junos_hosts
FW1_PORTS=ge-0/0/2 junos_conf

# --- fencer flush: the whole table -------------------------------------------------
check "h1 and h2 learned" learn
check "fencer flush" fencer flush
check "  h1's entry is gone from the bridge" not_in_fdb "$M1" ge1
check "  h2's entry is gone from the bridge" not_in_fdb "$M2" ge2
check "  the switch deleted them" grep -Eq "flush.all: [1-9][0-9]* entries" "$D/nc.log"
check "  with the RPC" eval 'rpcs | grep -q clear-ethernet-switching-table'

junos_fault no-flush-rpc=1
: >"$D/nc.log"
check "h1 and h2 learned again" learn
check "fencer flush on a switch that refuses the RPC" fencer flush
check "  h1's entry is gone" not_in_fdb "$M1" ge1
check "  h2's entry is gone" not_in_fdb "$M2" ge2
check "  the RPC was tried first, then <command>" eval 'rpcs | grep -q "clear-ethernet-switching-table command"'

# --- promote, flush = port: the fenced port's entries only, ELS and not ------------------
# (the port is down by then, and Linux drops a down port's entries itself:
# the switch's log says what was flushed, the kernel that h1's stayed)
for kind in ELS non-ELS; do
	if [ $kind = ELS ]; then junos_fault; else junos_fault els=0; fi
	: >"$D/nc.log"
	check "$kind: h1 and h2 learned again" learn
	check "$kind: promote fences fw1 and flushes its port" fencer promote
	check "  ge2 is down" admin_down ge2
	check "  the flush named ge-0/0/2 alone" eval 'grep -q "flush.ge-0/0/2: " "$D/nc.log" && lacks "flush.all" "$D/nc.log"'
	check "  h1's entry on ge-0/0/1 is kept" in_fdb "$M1" ge1
	check "unfence fw1" fencer unfence fw1
	check "  ge2 is up" admin_up ge2
done
junos_fault
: >"$D/nc.log"
learn >/dev/null
fencer promote >/dev/null
check "ELS: the non-ELS form was refused, then the ELS one taken" \
	eval 'rpcs | grep -q "clear-ethernet-switching-table clear-ethernet-switching-interface-table"'
fencer unfence fw1 >/dev/null
junos_fault els=0
: >"$D/nc.log"
learn >/dev/null
fencer promote >/dev/null
check "non-ELS: the first form was taken" \
	eval 'rpcs | grep -q "clear-ethernet-switching-table" && ! rpcs | grep -q "interface-table"'
fencer unfence fw1 >/dev/null

# --- check says how it will flush --------------------------------------------------
junos_fault
check "check" fencer -v check
check "  tells an ELS switch" has "ELS switch (<l2ng-l2ald-rtb-macdb>): flushes with <clear-ethernet-switching-interface-table>"
junos_fault els=0
check "check on a non-ELS switch" fencer -v check
check "  tells a non-ELS switch" has "non-ELS switch (<ethernet-switching-table-information>): flushes with <clear-ethernet-switching-table>"
junos_fault
lab_done
