#!/usr/bin/env bash
# [announce] refresh (fencer.conf(5)): while master, one announce round
# again every interval, from the background announcer of the promote;
# demote stops it.
#
#   fw: br0 = a0 + b0 (activate/deactivate bring it up and down)
#   a0 -- s0 of switch sw (a plain Linux bridge, ageing 300 s) s1 -- ha
#   b0 -- hb
#
# Host H (ha's MAC) is announced as living behind b0 (`mac = H b0`), so
# every round sends its RARP out of a0, into the switch. After the
# promote's rounds, ha speaks: the switch learns H on s1, a stale entry it
# would keep for 300 s. The refresh must move it back to s0 within about an
# interval. Then the frames are counted over a window of intervals (at
# least a few rounds, never more than the window holds), and after demote
# none come, and the background process is gone.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${FENCER:?}"
lab_init ar
REFRESH=1		# seconds
lab_ns fw; lab_ns sw; lab_ns ha; lab_ns hb
for s in fw sw ha hb; do
	lab_in "$(ns $s)" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
done
lab_bridge "$(ns fw)" br0
lab_bridge "$(ns sw)" br0 300
lab_veth "$(ns fw)" a0 "$(ns sw)" s0
lab_veth "$(ns sw)" s1 "$(ns ha)" eth0
lab_veth "$(ns fw)" b0 "$(ns hb)" eth0
lab_enslave "$(ns fw)" br0 a0; lab_enslave "$(ns fw)" br0 b0
lab_enslave "$(ns sw)" br0 s0; lab_enslave "$(ns sw)" br0 s1
ip -n "$(ns fw)" link set dev br0 down		# the backup: deactivated
lab_addr "$(ns ha)" eth0 10.9.0.10/24
SW=$(ns sw)
H=$(mac_of ha) && a0=$(mac_of fw a0) || lab_die "cannot read the MACs"

st=$LAB_TMP/state; mkdir -p "$st"
cat >"$LAB_TMP/fencer.conf" <<CONF
[fencer]
node = fw
state-dir = $st
activate = ip link set dev br0 up
deactivate = ip link set dev br0 down
[announce]
interface = a0 b0
address = 10.9.0.1
mac = $H b0
rounds = 2
initial = 20ms
step = 20ms
max = 100ms
refresh = ${REFRESH}s
CONF
chmod 0600 "$LAB_TMP/fencer.conf"
fw() { lab_in "$(ns fw)" "$FENCER" -c "$LAB_TMP/fencer.conf" "$@"; }

# A refresh shorter than a second is refused at its line, with the fix.
sed 's/^refresh = .*/refresh = 100ms/' "$LAB_TMP/fencer.conf" >"$LAB_TMP/short.conf"
chmod 0600 "$LAB_TMP/short.conf"
rc=0; "$FENCER" -c "$LAB_TMP/short.conf" configtest >"$LAB_TMP/short.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || lab_die "configtest of refresh = 100ms exited $rc: $(cat "$LAB_TMP/short.out")"
grep -q "short.conf:14: refresh = 100ms is too short: write 1s or more, or off" "$LAB_TMP/short.out" ||
	lab_die "no FILE:LINE error for refresh = 100ms: $(cat "$LAB_TMP/short.out")"

# A dry run says so, and starts nothing.
fw -n promote >"$LAB_TMP/dry.out" 2>&1 || lab_die "dry-run promote failed: $(cat "$LAB_TMP/dry.out")"
grep -q "would then send one round every 1000 ms while master (refresh)" "$LAB_TMP/dry.out" ||
	lab_die "the dry run does not mention the refresh: $(cat "$LAB_TMP/dry.out")"
[ ! -e "$st/announce.pid" ] || lab_die "a dry run started the announcer"

# The promote returns (the HA daemon's hook does not wait for the refresh);
# its rounds, then the first refresh round, reach the journal.
fw -v promote >"$LAB_TMP/promote.out" 2>&1 || lab_die "promote failed: $(cat "$LAB_TMP/promote.out")"
lab_link_up "$(ns fw)" br0 || lab_die "promote did not bring br0 up"
grep -q "round 2 goes on in the background, then one round every 1000 ms while master" "$st/journal.jsonl" ||
	lab_die "the promote does not say the refresh goes on: $(cat "$st/journal.jsonl")"
wait_for 10 grep -q '"step":"announce".*refresh: 3 frames sent' "$st/journal.jsonl" ||
	lab_die "no refresh round journaled: $(cat "$st/journal.jsonl")"
pid=$(cat "$st/announce.pid") || lab_die "no announce.pid while master"
kill -0 "$pid" || lab_die "the background announcer $pid is not running"

# A stale entry: H speaks behind s1, the switch learns it there (a refresh
# round may come between the ping and the read: try again).
stale() { lab_in "$(ns ha)" ping -c1 -W1 10.9.0.99 >/dev/null 2>&1; in_fdb "$H" s1; }
wait_for 10 stale || lab_die "the switch never learned H on s1: $(lab_fdb)"
# ... and the refresh moves it back toward fw, well before its 300 s ageing.
wait_for $((REFRESH * 5)) in_fdb "$H" s0 ||
	lab_die "the switch did not relearn H on s0 within $((REFRESH * 5)) s: $(lab_fdb)"
echo "ok - the switch relearned H behind fw's port"

# Count the rounds over a window of intervals at the switch's port to fw:
# one RARP of H and one gratuitous ARP of a0 a round.
rarps() { /usr/bin/python3 "$here/decode_frames.py" "$1" | grep -c "^rarp $H ff:ff:ff:ff:ff:ff len=60 op=3 "; }
garps() { /usr/bin/python3 "$here/decode_frames.py" "$1" | grep -c "^garp $a0 ff:ff:ff:ff:ff:ff .* spa=10.9.0.1 "; }
WINDOW=6
lab_spawn cap1 "$(ns sw)" tcpdump -U --immediate-mode -n -i s0 -w "$LAB_TMP/s0.pcap"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap1.log" || lab_die "tcpdump did not start"
t0=$(lab_ms); sleep $((WINDOW * REFRESH)); t1=$(lab_ms)
lab_kill cap1
n=$(rarps "$LAB_TMP/s0.pcap") g=$(garps "$LAB_TMP/s0.pcap")
most=$(( (t1 - t0) / (REFRESH * 1000) + 2 ))
echo "refresh rounds in a window of $WINDOW intervals ($((t1 - t0)) ms): $n RARP, $g GARP"
[ "$n" -ge 3 ] || lab_die "only $n refresh rounds in $WINDOW intervals"
[ "$n" -le "$most" ] || lab_die "$n rounds in $((t1 - t0)) ms: more than one an interval"
[ "$g" = "$n" ] || lab_die "$g gratuitous ARPs for $n RARPs: a round is one of each"

# demote stops the refresh: the process is gone, its pid file too, and no
# frame comes for several intervals.
fw -v demote >"$LAB_TMP/demote.out" 2>&1 || lab_die "demote failed: $(cat "$LAB_TMP/demote.out")"
lab_link_down "$(ns fw)" br0 || lab_die "demote did not take br0 down"
grep -q "stopped the background rounds (pid $pid)" "$LAB_TMP/demote.out" ||
	lab_die "demote did not stop the refresh: $(cat "$LAB_TMP/demote.out")"
wait_for 5 eval '! kill -0 '"$pid"' 2>/dev/null' || lab_die "the refresh process $pid outlived the demote"
[ ! -e "$st/announce.pid" ] || lab_die "announce.pid left after demote"
lab_spawn cap2 "$(ns sw)" tcpdump -U --immediate-mode -n -i s0 -w "$LAB_TMP/after.pcap"
wait_for 5 grep -q "listening on" "$LAB_TMP/cap2.log" || lab_die "tcpdump did not start"
# The capture is looking: ha's own ARP shows in it.
lab_in "$(ns ha)" ping -c1 -W1 10.9.0.98 >/dev/null 2>&1
sleep $((3 * REFRESH))
lab_kill cap2
/usr/bin/python3 "$here/decode_frames.py" "$LAB_TMP/after.pcap" >"$LAB_TMP/after.txt"
grep -q "^garp $H .* tpa=10.9.0.98" "$LAB_TMP/after.txt" || lab_die "the capture after demote saw nothing: $(cat "$LAB_TMP/after.txt")"
lacks -e "^rarp $H" -e "^garp $a0" "$LAB_TMP/after.txt" ||
	lab_die "frames after demote: $(grep -e "^rarp $H" -e "^garp $a0" "$LAB_TMP/after.txt")"
echo "ok - no frame in $((3 * REFRESH)) intervals after demote"
echo "announce refresh: ok"
