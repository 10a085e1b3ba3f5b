#!/usr/bin/env bash
# MAC flush through the junos driver, in both forms: the Junos XML RPC
# <clear-ethernet-switching-table> and, on a switch that refuses it, the CLI
# command through <command>. Asserted on the switch's real bridge FDB:
# `fencer flush` (all) empties it; promote with flush = port flushes the
# fenced port only and keeps the others' entries.
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup jf
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
learn() {
	lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
	lab_in "$(ns h2)" ping -c1 -W1 10.77.1.1 >/dev/null
	in_fdb "$M1" ge1 && in_fdb "$M2" ge2
}
rpcs() { awk -F'\t' '$2 == "rpc" {print $3}' "$D/nc.log" | tr '\n' ' '; }
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

# --- promote, flush = port: the fenced port's entries only ---------------------------
junos_fault
: >"$D/nc.log"
check "h1 and h2 learned again" learn
check "promote fences fw1 and flushes its port" fencer promote
check "  ge2 is down" admin_down ge2
check "  the flush named ge-0/0/2 alone" eval 'grep -q "flush.ge-0/0/2: " "$D/nc.log" && lacks "flush.all" "$D/nc.log"'
check "  h1's entry on ge-0/0/1 is kept" in_fdb "$M1" ge1
check "unfence fw1" fencer unfence fw1
check "  ge2 is up" admin_up ge2

# --- check says how it will flush --------------------------------------------------
check "check" fencer -v check
check "  reads the switching table (ELS answer)" has "l2ng-l2ald-rtb-macdb"
junos_fault els=0
check "check on a non-ELS switch" fencer -v check
check "  reads its switching table" has "ethernet-switching-table-information"
junos_fault
lab_done
