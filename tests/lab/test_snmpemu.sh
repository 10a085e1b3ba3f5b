#!/usr/bin/env bash
# The 3Com-like switch: real snmpd (IF-MIB) plus the BRIDGE-MIB / Q-BRIDGE /
# 3Com pass_persist extension, driven by snmpget/snmpset/snmpwalk, v2c and
# v3 authPriv; every effect is checked in the kernel.
set -u
. "$(dirname "$0")/lib.sh"
lab_init sn
command -v snmpget >/dev/null || lab_skip "snmp tools missing"

lab_switch swb 10.77.0.3/24
lab_ns h1
lab_ns h2
lab_switch_port swb port1 "$(ns h1)" eth0
lab_switch_port swb port2 "$(ns h2)" eth0
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
lab_snmpd swb 10.77.0.3
D=$LAB_TMP/swb SW=$(ns swb) A=10.77.0.3
RW=$(cat "$D/rw.community") RO=$(cat "$D/ro.community")
V3=(-v3 -l authPriv -u fencer -a SHA -A "$(cat "$D/auth.pass")" -x AES -X "$(cat "$D/priv.pass")")
snmp() { local t=$1; shift; lab_in "$LAB_MGMT" "$t" -On -r1 -t2 "$@"; }
ifindex() { cat "/sys/class/net/$1/ifindex" 2>/dev/null || ip netns exec "$SW" cat "/sys/class/net/$1/ifindex"; }
oidmac() { echo "$1" | tr : '\n' | while read -r x; do printf '.%d' "0x$x"; done; }
learn() { lab_in "$(ns h1)" ping -c2 -i0.2 -W1 10.77.1.2 >/dev/null; }
increasing() { awk "/^[.]1[.]/ {print \$1}" "$1" | /usr/bin/python3 -c '
import sys
o = [tuple(int(x) for x in l.strip().lstrip(".").split(".")) for l in sys.stdin if l.strip()]
sys.exit(0 if len(o) > 0 and all(a < b for a, b in zip(o, o[1:])) else 1)'; }

P1=$(ip netns exec "$SW" cat /sys/class/net/port1/ifindex)
P2=$(ip netns exec "$SW" cat /sys/class/net/port2/ifindex)
BP1=$(($(ip netns exec "$SW" cat /sys/class/net/port1/brport/port_no)))

# IF-MIB
check "v2c ifDescr names the kernel port" eval "snmp snmpget -v2c -c $RO $A 1.3.6.1.2.1.2.2.1.2.$P1 | grep -q port1"
check "v2c ifAdminStatus set down" snmp snmpset -v2c -c "$RW" $A 1.3.6.1.2.1.2.2.1.7.$P1 i 2
check "... takes the kernel port down" admin_down port1
check "... the other stays up" admin_up port2
check "read-only community cannot set" eval "! snmp snmpset -v2c -c $RO $A 1.3.6.1.2.1.2.2.1.7.$P1 i 1"
check "v3 authPriv ifAdminStatus set up" snmp snmpset "${V3[@]}" $A 1.3.6.1.2.1.2.2.1.7.$P1 i 1
check "... brings it up" admin_up port1
check "v3 reads it back" eval "snmp snmpget ${V3[*]} $A 1.3.6.1.2.1.2.2.1.7.$P1 | grep -q 'INTEGER: 1'"
check "v3 with a wrong priv password fails" eval "! snmp snmpget ${V3[*]:0:9} -X wrongwrong $A 1.3.6.1.2.1.1.5.0"

# BRIDGE-MIB
learn
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
check "dot1dBasePortIfIndex maps bridge port to ifIndex" eval "snmp snmpget -v2c -c $RO $A 1.3.6.1.2.1.17.1.4.1.2.$BP1 | grep -q 'INTEGER: $P1'"
check "dot1dTpAgingTime reads 300" eval "snmp snmpget -v2c -c $RO $A 1.3.6.1.2.1.17.4.2.0 | grep -q 'INTEGER: 300'"
check "dot1dTpAgingTime set 10 (v3)" snmp snmpset "${V3[@]}" $A 1.3.6.1.2.1.17.4.2.0 i 10
check "... changes the bridge ageing_time" eval "ip -n $SW -d link show dev br0 | grep -q 'ageing_time 1000 '"
check "dot1dTpAgingTime set 300 (v2c)" snmp snmpset -v2c -c "$RW" $A 1.3.6.1.2.1.17.4.2.0 i 300
check "... restored" eval "ip -n $SW -d link show dev br0 | grep -q 'ageing_time 30000 '"
check "dot1dTpAgingTime out of range refused" eval "! snmp snmpset -v2c -c $RW $A 1.3.6.1.2.1.17.4.2.0 i 5"
check "dot1dTpFdbPort of h1 is its bridge port" eval "snmp snmpget -v2c -c $RO $A 1.3.6.1.2.1.17.4.3.1.2$(oidmac "$M1") | grep -q 'INTEGER: $BP1'"
check "dot1qTpFdbPort of h1" eval "snmp snmpget -v2c -c $RO $A 1.3.6.1.2.1.17.7.1.2.2.1.2.1$(oidmac "$M1") | grep -q 'INTEGER: $BP1'"
snmp snmpwalk -v2c -c "$RO" $A 1.3.6.1.2.1.17 >"$LAB_TMP/walk17"
snmp snmpwalk "${V3[@]}" $A 1.3.6.1.4.1.43.45.1.2.23.1.3.2.1 >"$LAB_TMP/walk3com"
snmp snmpwalk -v2c -c "$RO" $A 1.3.6.1.2.1 >"$LAB_TMP/walkall"
check "BRIDGE-MIB walk strictly increasing" increasing "$LAB_TMP/walk17"
check "3Com walk strictly increasing" increasing "$LAB_TMP/walk3com"
check "mib-2 walk (snmpd tables around the extension) strictly increasing" increasing "$LAB_TMP/walkall"
check "3Com port of h1 is its ifIndex" grep -q "^.1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.2.1$(oidmac "$M1") = INTEGER: $P1\$" "$LAB_TMP/walk3com"
check "3Com status of h1 learned(3)" grep -q "^.1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.3.1$(oidmac "$M1") = INTEGER: 3\$" "$LAB_TMP/walk3com"

# 3Com per-entry delete
check "h1 and h2 learned" eval "in_fdb $M1 port1 && in_fdb $M2 port2"
check "3Com operate=delete(2) on h1 (v3)" snmp snmpset "${V3[@]}" $A 1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.4.1$(oidmac "$M1") i 2
check "... removes exactly h1's kernel entry" eval 'not_in_fdb "$M1" port1 && in_fdb "$M2" port2'
check "delete of a missing entry fails" eval "! snmp snmpset -v2c -c $RW $A 1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.4.1$(oidmac "$M1") i 2"
check "operate value other than 2 refused" eval "! snmp snmpset -v2c -c $RW $A 1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.4.1$(oidmac "$M2") i 1"

lab_done "all snmp emulation checks passed"
