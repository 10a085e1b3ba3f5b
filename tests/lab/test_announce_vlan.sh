#!/usr/bin/env bash
# Announce, learn and failover on 802.1Q trunks (vlan_lib.sh: two VLAN-aware
# switches, hosts in VLANs 10, 20 and 30, fw1 and fw2 bridging tagged frames
# as they are).
# - learn: `fencer learn` on the standby fw2 records every host with the
#   VLAN of the tag it was seen with on the trunk, and its port; the dry
#   run lists the tagged frames.
# - without announce: fw1 stops forwarding with its links up, fw2 promotes
#   without [announce]: the switches still send every VLAN's traffic to fw1,
#   no ping is answered in VLAN 10 or 20.
# - with announce (rounds = 1, vlans = 10 20): after the promote's one
#   round, every ping in VLANs 10 and 20 is answered, and none in 30; on
#   the wire (tcpdump -e at the switches' ends of fw2's trunks) each host's
#   RARP carries its VLAN's tag and goes out of the port it does not live
#   behind; no frame of VLAN 30 leaves fw2 and the hosts of VLAN 30 get no
#   RARP; the journal counts the round's frames per VLAN.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FENCER:?}"
lab_init av
. "$here/vlan_lib.sh"
PINGS=5

vlan_up
with=$(vlan_conf with yes "vlans = 10 20")
without=$(vlan_conf without no)
st=$LAB_TMP/state

# ---- learn on the standby -------------------------------------------------
lab_spawn learn "$(ns fw2)" "$FENCER" -c "$with" -v learn
wait_for 5 grep -q "watching 2 ports" "$LAB_TMP/learn.log" || lab_die "learn did not start: $(cat "$LAB_TMP/learn.log")"
vlan_teach
# entry VLAN MAC PORT: macs.json's entries, one a line.
entries() { /usr/bin/python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["macs"]: print(e.get("vlan", 0), e["mac"], e["port"])' "$st/macs.json" 2>/dev/null | sort; }
want=$(for v in $VLANS; do echo "$v ${VLAN_MAC[h$v]} a0"; echo "$v ${VLAN_MAC[s$v]} b0"; done | sort)
wait_for 10 eval '[ "$(entries)" = "$want" ]' || lab_die "macs.json is not the hosts with their VLANs:
$(entries)
expected:
$want"
lab_kill learn
echo "ok - learn recorded every host with its VLAN and port"
vlan_quiet

# --dry-run: each port with what it carries, each frame with its tag.
OUT=$LAB_TMP/dry.txt
lab_in "$(ns fw2)" "$FENCER" -c "$with" -n announce >"$OUT" 2>&1 || lab_die "dry run failed: $(cat "$OUT")"
check "dry run: a0 and b0 are trunks, 2 frames a round each" eval \
	'grep -q "a0 (trunk (every VLAN tagged)): 2 frames a round" "$OUT" && grep -q "b0 (trunk (every VLAN tagged)): 2 frames a round" "$OUT"'
check "dry run: s10's RARP in VLAN 10" grep -q "vlan 10: rarp src ${VLAN_MAC[s10]} op 3" "$OUT"
check "dry run: h20's RARP in VLAN 20" grep -q "vlan 20: rarp src ${VLAN_MAC[h20]} op 3" "$OUT"

# ---- failover without announce ------------------------------------------------
vlan_fail_over "$without"
declare -A got
for v in 10 20; do got[without$v]=$(vlan_replies $v $PINGS); done
vlan_fail_back "$without"

# ---- failover with announce ---------------------------------------------------
for n in swa swb; do
	lab_spawn cap-$n "$(ns $n)" tcpdump -U --immediate-mode -n -i t2 -w "$LAB_TMP/$n.pcap"
	wait_for 5 grep -q "listening on" "$LAB_TMP/cap-$n.log" || lab_die "tcpdump in $n did not start"
done
for h in h30 s30; do
	lab_spawn cap-$h "$(ns $h)" tcpdump -U --immediate-mode -n -i eth0 -w "$LAB_TMP/$h.pcap"
	wait_for 5 grep -q "listening on" "$LAB_TMP/cap-$h.log" || lab_die "tcpdump in $h did not start"
done
: >"$st/journal.jsonl"
vlan_fail_over "$with"
for v in 10 20; do got[with$v]=$(vlan_answered $v $PINGS); done
got[with30]=$(vlan_replies 30 $PINGS)

# The captures, as tcpdump -e prints them.
decode() { tcpdump -e -nn -r "$LAB_TMP/$1.pcap" 2>/dev/null; }
rarp_in() {	# SIDE VLAN MAC: tagged RARPs of MAC seen at SIDE
	decode "$1" | grep -ci "^[0-9:.]* $3 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 64: vlan $2, p 0, ethertype Reverse ARP (0x8035), Reverse Request who-is $3 tell $3"
}
wait_for 10 eval '[ "$(rarp_in swa 20 "${VLAN_MAC[s20]}")" -ge 1 ] && [ "$(rarp_in swb 20 "${VLAN_MAC[h20]}")" -ge 1 ]' ||
	lab_die "fw2's RARPs never reached the switches: $(decode swa; decode swb)"
for c in swa swb h30 s30; do lab_kill cap-$c; done
echo "--- at swa t2 (from fw2's a0):"; decode swa | sed 's/^/   /'
echo "--- at swb t2 (from fw2's b0):"; decode swb | sed 's/^/   /'

OUT=$LAB_TMP/swa.txt; decode swa >"$OUT"
check "a0: s10's RARP once, tagged VLAN 10" test "$(rarp_in swa 10 "${VLAN_MAC[s10]}")" = 1
check "a0: s20's RARP once, tagged VLAN 20" test "$(rarp_in swa 20 "${VLAN_MAC[s20]}")" = 1
check "a0: no RARP of the hosts behind a0" lacks -i -e "who-is ${VLAN_MAC[h10]}" -e "who-is ${VLAN_MAC[h20]}" "$OUT"
check "a0: no frame of VLAN 30" lacks "vlan 30," "$OUT"
OUT=$LAB_TMP/swb.txt; decode swb >"$OUT"
check "b0: h10's RARP once, tagged VLAN 10" test "$(rarp_in swb 10 "${VLAN_MAC[h10]}")" = 1
check "b0: h20's RARP once, tagged VLAN 20" test "$(rarp_in swb 20 "${VLAN_MAC[h20]}")" = 1
check "b0: no RARP of the hosts behind b0" lacks -i -e "who-is ${VLAN_MAC[s10]}" -e "who-is ${VLAN_MAC[s20]}" "$OUT"
check "b0: no frame of VLAN 30" lacks "vlan 30," "$OUT"
for h in h30 s30; do
	OUT=$LAB_TMP/$h.txt; decode $h >"$OUT"
	check "$h (VLAN 30, outside vlans =) got no RARP" lacks -i "Reverse" "$OUT"
done
OUT=$st/journal.jsonl
check "journal: the round counted per VLAN" grep -q '"step":"announce".*round 1/1: 4 frames sent (4 hosts, 2 ports); by VLAN: 10: 2, 20: 2"' "$OUT"
check "journal: the hosts of VLAN 30 said left out" grep -q '2 of 6 hosts are in VLANs vlans = leaves out' "$OUT"
for v in 10 20; do
	check "VLAN $v: $PINGS of $PINGS pings answered after the announce's one round (got ${got[with$v]})" test "${got[with$v]}" = $PINGS
	check "VLAN $v: no ping answered without announce (got ${got[without$v]})" test "${got[without$v]}" = 0
done
check "VLAN 30 (not announced): no ping answered (got ${got[with30]})" test "${got[with30]}" = 0
echo "replies of $PINGS pings per VLAN: without announce 10: ${got[without10]}, 20: ${got[without20]}; with announce 10: ${got[with10]}, 20: ${got[with20]}, 30 (left out): ${got[with30]}"
lab_done "announce on trunks: ok"
