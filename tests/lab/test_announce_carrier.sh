#!/usr/bin/env bash
# fencer announce through a port without carrier: a promote that has just
# brought its own port up on the switch sends its first round before the
# link is back (the kernel drops what is sent there, ENOBUFS). That port's
# frames go in the next round, and the run is a success once they went.
# The last round sends whatever the carrier: the kernel's answer decides.
# The frames are asserted on the wire (tcpdump).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FENCER:?}"
lab_init ac
lab_ns fw; lab_ns sa; lab_ns sb
lab_bridge "$(ns fw)" br0
lab_veth "$(ns fw)" a0 "$(ns sa)" p0
lab_veth "$(ns fw)" b0 "$(ns sb)" p0
lab_enslave "$(ns fw)" br0 a0; lab_enslave "$(ns fw)" br0 b0
amac=$(ip -n "$(ns fw)" -br link show dev a0 | awk '{print $3}')
cat >"$LAB_TMP/fencer.conf" <<CONF
[fencer]
node = fw
state-dir = $LAB_TMP/state
[announce]
interface = a0 b0
address = 10.9.0.1
rounds = 6
initial = 500ms
step = 500ms
max = 1000ms
CONF
mkdir -p "$LAB_TMP/state"; chmod 0600 "$LAB_TMP/fencer.conf"
fails=0
check() { if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fails=$((fails + 1)); fi; }
garps_from() { tcpdump -r "$LAB_TMP/sa.pcap" -nn -e arp 2>/dev/null | grep -c "^.*$1 > ff:ff:ff:ff:ff:ff"; }

# 1. a0's peer down: no carrier at round 1; up again while the rounds go on.
ip -n "$(ns sa)" link set dev p0 down
lab_spawn ann "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" -v announce
pid=$(cat "$LAB_TMP/ann.pid")
wait_for 10 grep -q "a0: no carrier yet" "$LAB_TMP/ann.log" ||
	lab_die "round 1 did not leave a0 for later: $(cat "$LAB_TMP/ann.log")"
ip -n "$(ns sa)" link set dev p0 up
lab_spawn cap "$(ns sa)" tcpdump -U --immediate-mode -n -i p0 -w "$LAB_TMP/sa.pcap"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap.log" || lab_die "tcpdump in sa did not start"
wait "$pid"; rc=$?
rm -f "$LAB_TMP/ann.pid"
wait_for 5 eval '[ "$(garps_from "$amac")" -ge 1 ]'
lab_kill cap
desc="announce exits 0 when the port without carrier got its frames in a later round (exit $rc)"
check [ "$rc" = 0 ]
desc="round 1 says a0 had no carrier and its frames went on"
check grep -q "round 1/6: .*a0: no carrier yet" "$LAB_TMP/ann.log"
desc="a0's gratuitous ARP reached the wire once its carrier was back ($(garps_from "$amac") seen)"
check [ "$(garps_from "$amac")" -ge 1 ]

# 2. a0's peer stays down: every round but the last leaves a0 for the
# next; the last sends, and what the kernel does with frames for a link
# without carrier (a veth takes them and drops them) decides.
ip -n "$(ns sa)" link set dev p0 down
lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" -v announce >"$LAB_TMP/ann2.log" 2>&1; rc=$?
desc="rounds 1 to 5 each left a0 for the next round"
check [ "$(grep -c "round [1-5]/6: 1 of 2 frames sent; a0: no carrier yet" "$LAB_TMP/ann2.log")" = 5 ]
desc="the last round sent a0's frames for the kernel to take or refuse (exit $rc)"
check grep -q "round 6/6: 2 frames sent" "$LAB_TMP/ann2.log"
[ $fails = 0 ] || { sed 's/^/    /' "$LAB_TMP/ann.log" "$LAB_TMP/ann2.log"; echo "$fails checks failed"; exit 1; }
