#!/usr/bin/env bash
# fencer announce on the wire: fw's bridge br0 has member ports a0 and b0,
# each a veth to a namespace (sa, sb) where tcpdump captures. Host MACs come
# from all three sources: a static `mac =` line (HA behind a0), the bridge's
# forwarding table over netlink (HB behind b0), and the shadow table
# macs.json (HC behind a0). Asserts every frame field, that a host's RARP
# never leaves through its own port, and the round count; then the journal.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FENCER:?}"
lab_init af
ROUNDS=3
HA=52:54:00:aa:00:0a HB=52:54:00:aa:00:0b HC=52:54:00:aa:00:0c
lab_ns fw; lab_ns sa; lab_ns sb
# Quiet namespaces: no IPv6 chatter of their own on the captured links.
for s in fw sa sb; do lab_in "$(ns $s)" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1; done
lab_bridge "$(ns fw)" br0
lab_veth "$(ns fw)" a0 "$(ns sa)" p0
lab_veth "$(ns fw)" b0 "$(ns sb)" p0
lab_enslave "$(ns fw)" br0 a0; lab_enslave "$(ns fw)" br0 b0
bridge -n "$(ns fw)" fdb add $HB dev b0 master static
amac=$(ip -n "$(ns fw)" -br link show dev a0 | awk '{print $3}')
bmac=$(ip -n "$(ns fw)" -br link show dev b0 | awk '{print $3}')

st=$LAB_TMP/state; mkdir -p "$st"
cat >"$st/macs.json" <<JSON
{"updated": 1, "macs": [{"mac": "$HC", "port": "a0", "last_seen": 1}]}
JSON
cat >"$LAB_TMP/fencer.conf" <<CONF
[fencer]
node = fw
state-dir = $st
[announce]
interface = a0 b0
bridge = br0
learned = yes
address = 10.9.0.1 2001:db8::1
mac = $HA a0
rounds = $ROUNDS
initial = 20ms
step = 20ms
max = 100ms
CONF
chmod 0600 "$LAB_TMP/fencer.conf"

# --dry-run lists the frames and sends nothing.
lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" -n announce >"$LAB_TMP/dry.txt" || lab_die "dry run failed"
grep -q "rarp src $HB" "$LAB_TMP/dry.txt" || lab_die "dry run does not list HB: $(cat "$LAB_TMP/dry.txt")"

for s in sa sb; do
	lab_spawn cap-$s "$(ns $s)" tcpdump -U --immediate-mode -n -i p0 -w "$LAB_TMP/$s.pcap"
	wait_for 5 grep -q "listening on" "$LAB_TMP/cap-$s.log" || lab_die "tcpdump in $s did not start"
done
lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" -v announce || lab_die "fencer announce failed"
# fencer's frames seen at SIDE so far (IPv4 is the kernel's own IGMP).
seen() { /usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/$1.pcap" | grep -vc ' type=0x0800 '; }
# Stop the captures once every frame sent is in them (tcpdump writes each
# as it comes); the counts are asserted below.
wait_for 10 eval '[ "$(seen sa)" -ge $((3 * ROUNDS)) ] && [ "$(seen sb)" -ge $((4 * ROUNDS)) ]'
for s in sa sb; do
	lab_kill cap-$s
	/usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/$s.pcap" >"$LAB_TMP/$s.txt"
	echo "--- frames seen by $s:"; sort "$LAB_TMP/$s.txt" | uniq -c
done

count() { grep -c -- "$2" "$LAB_TMP/$1.txt"; }
expect() {	# SIDE PATTERN N
	local n; n=$(count "$1" "$2")
	[ "$n" = "$3" ] || lab_die "$1: expected $3 frames matching '$2', saw $n"
}
rarp() {	# the exact RARP of host $1: broadcast, 60 bytes, op 3, sha = tha = src, 0.0.0.0
	echo "rarp $1 ff:ff:ff:ff:ff:ff len=60 op=3 htype=1 ptype=0x0800 hlen=6 plen=4 sha=$1 spa=0.0.0.0 tha=$1 tpa=0.0.0.0"
}
garp() {	# $1 port MAC
	echo "garp $1 ff:ff:ff:ff:ff:ff len=60 op=1 htype=1 ptype=0x0800 hlen=6 plen=4 sha=$1 spa=10.9.0.1 tha=ff:ff:ff:ff:ff:ff tpa=10.9.0.1"
}
na() {
	echo "na $1 33:33:00:00:00:01 len=86 src=2001:db8::1 dst=ff02::1 hlim=255 type=136 flags=0x20 target=2001:db8::1 opt=2 lladdr=$1 cksum=ok"
}
# a0 faces sa: HB (behind b0) goes out there, HA and HC (behind a0) do not.
expect sa "^$(rarp $HB)\$" $ROUNDS
expect sa "rarp $HA" 0
expect sa "rarp $HC" 0
expect sa "^$(garp "$amac")\$" $ROUNDS
expect sa "^$(na "$amac")\$" $ROUNDS
# b0 faces sb: the other way round.
expect sb "^$(rarp $HA)\$" $ROUNDS
expect sb "^$(rarp $HC)\$" $ROUNDS
expect sb "rarp $HB" 0
expect sb "^$(garp "$bmac")\$" $ROUNDS
expect sb "^$(na "$bmac")\$" $ROUNDS
# Nothing else: no frame from fencer is malformed or unexpected (IPv4 is the
# kernel's own IGMP of the bridge: fencer sends none).
[ "$(grep -vc ' type=0x0800 ' "$LAB_TMP/sa.txt")" = $((3 * ROUNDS)) ] || lab_die "sa saw extra frames"
[ "$(grep -vc ' type=0x0800 ' "$LAB_TMP/sb.txt")" = $((4 * ROUNDS)) ] || lab_die "sb saw extra frames"

# The journal has each round's outcome and frame count.
for r in $(seq 1 $ROUNDS); do
	grep -q "\"step\":\"announce\".*\"outcome\":\"ok\".*round $r/$ROUNDS: 7 frames sent" "$st/journal.jsonl" ||
		lab_die "journal lacks round $r: $(cat "$st/journal.jsonl")"
done
# promote: round 1 before it returns, the later rounds from a background
# process that reports to the journal and removes its pid file when done.
: >"$st/journal.jsonl"
lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" promote >"$LAB_TMP/promote.out" 2>&1 ||
	lab_die "promote failed: $(cat "$LAB_TMP/promote.out")"
grep -q '"command":"promote","step":"announce".*round 1/' "$st/journal.jsonl" || lab_die "promote sent no round 1"
promote_rounds_done() { grep -q "\"command\":\"promote\",\"step\":\"announce\".*round $ROUNDS/$ROUNDS: 7 frames sent" "$st/journal.jsonl"; }
wait_for 10 promote_rounds_done || lab_die "background rounds not journaled: $(cat "$st/journal.jsonl")"
wait_for 5 test ! -e "$st/announce.pid" || lab_die "background announce still running"
echo "announce frames: ok"
