#!/usr/bin/env bash
# fencer learn on a backup whose bridge is down: hosts ha (behind a0) and hb
# (behind b0) talk; fw's br0 is down so it forwards nothing and has no
# forwarding table. `fencer learn` must build macs.json with ha -> a0 and
# hb -> b0, none of fw's own MACs, send nothing, and write the table on
# SIGTERM. Then `fencer announce` (learned = yes) sends ha's RARP out of b0
# only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FENCER:?}"
lab_init al
lab_ns fw; lab_ns ha; lab_ns hb
for s in fw ha hb; do lab_in "$(ns $s)" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1; done
lab_bridge "$(ns fw)" br0
lab_veth "$(ns fw)" a0 "$(ns ha)" eth0
lab_veth "$(ns fw)" b0 "$(ns hb)" eth0
lab_enslave "$(ns fw)" br0 a0; lab_enslave "$(ns fw)" br0 b0
ip -n "$(ns fw)" link set dev br0 down		# the backup: deactivated
lab_addr "$(ns ha)" eth0 10.9.0.10/24
lab_addr "$(ns hb)" eth0 10.9.0.20/24
ha=$(mac_of ha) && hb=$(mac_of hb) && a0=$(mac_of fw a0) && b0=$(mac_of fw b0) ||
	lab_die "cannot read the MACs"

st=$LAB_TMP/state; mkdir -p "$st"
cat >"$LAB_TMP/fencer.conf" <<CONF
[fencer]
node = fw
state-dir = $st
[announce]
interface = a0 b0
bridge = br0
learned = yes
rounds = 1
learn-interval = 100ms
learn-age = 60s
CONF
chmod 0600 "$LAB_TMP/fencer.conf"

lab_spawn cap-ha "$(ns ha)" tcpdump -U --immediate-mode -n -i eth0 -w "$LAB_TMP/ha.pcap"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap-ha.log" || lab_die "tcpdump did not start"
lab_spawn learn "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" -v learn
wait_for 5 grep -q "watching 2 ports" "$LAB_TMP/learn.log" || lab_die "learn did not start: $(cat "$LAB_TMP/learn.log")"
# Traffic from both hosts: ARP requests for a peer that cannot answer
# (the bridge is down), so each host's source MAC reaches its port.
lab_in "$(ns ha)" ping -c 3 -i 0.2 -W 1 10.9.0.20 >/dev/null 2>&1 & p1=$!
lab_in "$(ns hb)" ping -c 3 -i 0.2 -W 1 10.9.0.10 >/dev/null 2>&1 & p2=$!
has_both() { grep -q "$ha" "$st/macs.json" && grep -q "$hb" "$st/macs.json"; }
wait_for 10 has_both || lab_die "macs.json never listed both hosts: $(cat "$st/macs.json" 2>&1)"
wait $p1 $p2

pid=$(cat "$LAB_TMP/learn.pid")
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 0 ] || lab_die "learn exited $rc on SIGTERM"
grep -q "stopped by signal 15" "$LAB_TMP/learn.log" || lab_die "learn did not save and stop: $(cat "$LAB_TMP/learn.log")"
rm -f "$LAB_TMP/learn.pid"
cat "$st/macs.json"
table=$(/usr/bin/python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["macs"]: print(e["mac"], e["port"])' "$st/macs.json" | sort)
want=$(printf '%s a0\n%s b0\n' "$ha" "$hb" | sort)
[ "$table" = "$want" ] || lab_die "table is '$table', expected '$want'"
# The bridge is down: it learned nothing. Read positively: the table was
# read, and holds the bridge's own entries of a0 and b0 but no host.
fdb=$(bridge -n "$(ns fw)" fdb show br br0) || lab_die "cannot read fw's bridge table"
grep -qi "^$a0 dev a0 " <<<"$fdb" && grep -qi "^$b0 dev b0 " <<<"$fdb" ||
	lab_die "fw's bridge table lacks its own ports' entries: the read is not what it seems: $fdb"
lacks -i -e "^$ha " -e "^$hb " <<<"$fdb" || lab_die "the bridge learned hosts: it is down: $fdb"

# Passive: nothing from fw's ports reached ha while learning. The capture
# saw ha's own ARP requests, so it was looking.
lab_kill cap-ha
/usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/ha.pcap" >"$LAB_TMP/ha.txt" || lab_die "cannot decode ha.pcap"
grep -qi "^garp $ha " "$LAB_TMP/ha.txt" ||
	lab_die "the capture at ha did not see the hosts' ARP: $(cat "$LAB_TMP/ha.txt")"
lacks -i -e " $a0 " -e " $b0 " "$LAB_TMP/ha.txt" || lab_die "learn sent frames: $(grep -i -e "$a0" -e "$b0" "$LAB_TMP/ha.txt")"

# The table serves the promote: ha's RARP leaves through b0 only.
lab_spawn cap-hb "$(ns hb)" tcpdump -U --immediate-mode -n -i eth0 -w "$LAB_TMP/hb.pcap"
lab_spawn cap-ha2 "$(ns ha)" tcpdump -U --immediate-mode -n -i eth0 -w "$LAB_TMP/ha2.pcap"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap-hb.log" || lab_die "tcpdump did not start"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap-ha2.log" || lab_die "tcpdump did not start"
lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" announce || lab_die "announce failed"
# rarps_at PCAP MAC: RARP frames with source MAC captured so far.
rarps_at() { /usr/bin/python3 "$here/decode_frames.py" "$1" | grep -c "^rarp $2 ff:ff:ff:ff:ff:ff len=60 op=3 "; }
# Stop the captures once the frames are in them, not after a while.
wait_for 10 eval '[ "$(rarps_at "$LAB_TMP/hb.pcap" "$ha")" -ge 1 ] && [ "$(rarps_at "$LAB_TMP/ha2.pcap" "$hb")" -ge 1 ]'
lab_kill cap-hb; lab_kill cap-ha2
/usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/hb.pcap" >"$LAB_TMP/hb.txt"
/usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/ha2.pcap" >"$LAB_TMP/ha2.txt"
[ "$(grep -c "^rarp $ha ff:ff:ff:ff:ff:ff len=60 op=3 " "$LAB_TMP/hb.txt")" = 1 ] || lab_die "no RARP for ha at hb: $(cat "$LAB_TMP/hb.txt")"
lacks "^rarp $hb" "$LAB_TMP/hb.txt" || lab_die "hb's RARP went out of hb's own port"
[ "$(grep -c "^rarp $hb ff:ff:ff:ff:ff:ff len=60 op=3 " "$LAB_TMP/ha2.txt")" = 1 ] || lab_die "no RARP for hb at ha"
echo "learn: ok"
