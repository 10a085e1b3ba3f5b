#!/usr/bin/env bash
# `fencer fence NODE` (snmp driver, v2c) beside Debian's fence_ifmib -o off
# on the same port of the same lab snmpd, alternating in one run, with the
# port named port1 (a name: both tools walk the interface names) and by its
# ifIndex. Between runs the port is brought back with `fencer unfence`
# (through SNMP, so the agent's ifTable cache sees it up: neither tool may
# find the port already off). Prints two table rows: medians.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lib.sh"
. "$here/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
RUNS=${BENCH_RUNS:-11}
[ -x /usr/sbin/fence_ifmib ] || { echo "| snmp fence: fence_ifmib missing | | | | |"; exit 0; }
lab_init bs >/dev/null

lab_switch swb 10.77.0.3/24
lab_ns h1
lab_switch_port swb port1 "$(ns h1)" eth0
lab_snmpd swb 10.77.0.3
D=$LAB_TMP/swb SW=$(ns swb) C=$LAB_TMP/fencer.conf
cat >"$C" <<EOF
[fencer]
node = fw2
state-dir = $LAB_TMP/state
deadline = 10s
[switch swb]
driver = snmp
address = 10.77.0.3
snmp-version = 2c
community-file = $D/rw.community
[node fw1]
port = swb port1
[node fw2]
port = swb port2
EOF
chmod 0644 "$C"
# The loop runs inside the management namespace, so that neither tool's
# time includes `ip netns exec`; times from bash's EPOCHREALTIME.
P1=$(ip netns exec "$SW" cat /sys/class/net/port1/ifindex)
export FENCER C SW RUNS P1
export COMMUNITY_FILE=$D/rw.community
ip netns exec "$LAB_MGMT" bash -s >"$LAB_TMP/times" <<'EOS'
set -u
down() { ! ip -n "$SW" link show dev port1 | grep -q '<[^>]*[<,]UP[,>]'; }
restore() { "$FENCER" -c "$C" unfence fw1 --all >/dev/null 2>&1 && ! down || { echo "restore failed"; exit 1; }; }
community=$(cat "$COMMUNITY_FILE")
run() {	# TAG PLUG: fencer, then fence_ifmib, on port1 named PLUG
	sed -i "/^\[node fw1\]$/{n;s|^port = swb .*|port = swb $2|}" "$C"
	restore
	t0=$EPOCHREALTIME
	"$FENCER" -c "$C" fence fw1 >/dev/null 2>&1 || { echo "fencer fence failed"; exit 1; }
	t1=$EPOCHREALTIME
	down || { echo "fencer left port1 up"; exit 1; }
	echo "f$1 $t0 $t1"
	restore
	t0=$EPOCHREALTIME
	/usr/sbin/fence_ifmib -a 10.77.0.3 -d 2c -c "$community" -n "$2" -o off >/dev/null 2>&1 ||
		{ echo "fence_ifmib -o off failed"; exit 1; }
	t1=$EPOCHREALTIME
	down || { echo "fence_ifmib left port1 up"; exit 1; }
	echo "p$1 $t0 $t1"
}
for ((i = 0; i < RUNS; i++)); do
	run name port1
	run index "$P1"
done
restore
EOS
[ $? = 0 ] || lab_die "benchmark loop: $(tail -n1 "$LAB_TMP/times")"
ms() { awk -v k="$1" '$1 == k {printf "%.1f\n", ($3 - $2) * 1000}' "$LAB_TMP/times"; }
for how in name index; do
	mapfile -t f < <(ms "f$how")
	mapfile -t p < <(ms "p$how")
	bench_row "snmp: fence one port by $how, verified, watched 200 ms for a racing promote (v2c; peer fence_ifmib -o off)" "$(bench_median "${f[@]}")" \
		"$(bench_median "${p[@]}")" "$RUNS"
done
