#!/usr/bin/env bash
# MAC flush through the cisco-ios driver, with both IOS spellings: the
# newer `clear mac address-table dynamic [interface X]` and, on a switch
# that rejects it, the 2950-era `clear mac-address-table dynamic ...`.
# Asserted on the switch's real bridge FDB: `fencer flush` (all) empties it;
# promote with flush = port flushes the fenced port and keeps the others.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup cf
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
learn() {
	lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
	lab_in "$(ns h2)" ping -c1 -W1 10.77.1.1 >/dev/null
	in_fdb "$M1" gi1 && in_fdb "$M2" gi2
}
FW1_PORTS=GigabitEthernet0/2 cisco_conf

# --- fencer flush: the whole dynamic table ------------------------------------
check "h1 and h2 learned" learn
check "fencer flush" fencer flush
check "  h1's entry is gone from the bridge" not_in_fdb "$M1" gi1
check "  h2's entry is gone from the bridge" not_in_fdb "$M2" gi2
check "  with the newer command" grep -q "	clear mac address-table dynamic$" "$D/ios.log"

cisco_fault fault=old-clear
: >"$D/ios.log"
check "h1 and h2 learned again" learn
check "fencer flush on a switch with only the old command" fencer flush
check "  h1's entry is gone" not_in_fdb "$M1" gi1
check "  h2's entry is gone" not_in_fdb "$M2" gi2
check "  the newer form was tried first" grep -q "	clear mac address-table dynamic$" "$D/ios.log"
check "  then the old one" grep -q "	clear mac-address-table dynamic$" "$D/ios.log"

# --- promote, flush = port: the fenced port's entries only -------------------------
cisco_fault
: >"$D/ios.log"
check "h1 and h2 learned again" learn
check "promote fences fw1 and flushes its port" fencer promote
check "  Gi0/2 is down" admin_down gi2
check "  the port's table was flushed" grep -q "	clear mac address-table dynamic interface GigabitEthernet0/2$" "$D/ios.log"
check "  ... in the kernel, on gi2 only" grep -q "kernel.fdb_flush gi2" "$D/ios.log"
check "  h1's entry on Gi0/1 is kept" in_fdb "$M1" gi1
check "unfence fw1" fencer unfence fw1
check "  Gi0/2 is up" admin_up gi2

cisco_fault fault=old-clear
: >"$D/ios.log"
check "h1 and h2 learned again" learn
check "promote on a switch with only the old command" fencer promote
check "  the old per-port form was used" grep -q "	clear mac-address-table dynamic interface GigabitEthernet0/2$" "$D/ios.log"
check "  ... in the kernel, on gi2 only" grep -q "kernel.fdb_flush gi2" "$D/ios.log"
check "  h1's entry on Gi0/1 is kept" in_fdb "$M1" gi1
lab_done
