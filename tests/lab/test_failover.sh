#!/usr/bin/env bash
# The whole failover, keepalived deciding, for each failure kind of the lab
# (stop-forwarding, kill, cut-link), on one topology brought up once and
# recovered between kinds. Each round asserts every effect:
#  - fw1 fails; keepalived on fw2 runs `fencer promote` (fw2's log and
#    journal show it, exit 0);
#  - fw1's ports (swa gi2, swb port2) are admin down in the switches'
#    kernels; fw2's (gi3, port3) are up; fw2's br0 is up;
#  - both switches' flushes are ok in the journal; fw1's ports hold no host
#    MAC any more, and the switches learned the hosts through fw2's ports;
#  - the announce frames (RARP, source = the other side's host) reach cli
#    and srv (tcpdump in their namespaces);
#  - mail, webhook and SNMP trap reach real receivers (smtpsink.py,
#    webhooksink.py, snmptrapd) on the management network;
#  - cli pings srv again;
#  - fw1 comes back as backup (topo_recover), `fencer unfence fw1` on fw2
#    brings its ports up, fw2 stays master (nopreempt);
#  - fail back: keepalived on fw2 stops, fw1's promote fences fw2's ports,
#    fw1's br0 is up, fw2's down (notify_stop), traffic flows, and fw1's
#    notifications arrive.
# A watcher samples both nodes all along (a sample is a few `ip -n` reads,
# so it sees states some 0.1-1 s apart, not every instant): never two
# bridges forwarding at once (a node forwards when its br0 and both its
# switch ports are up). It proves it looked: every sample beats a
# heartbeat the test counts, and a read that fails is a failure, not a
# sample that saw nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/topo.sh"
. "$here/notify_lib.sh"
lab_init fo
[ -x "$FENCER" ] || lab_die "FENCER ($FENCER) is not built"
for t in keepalived tcpdump snmptrapd; do
	command -v "$t" >/dev/null 2>&1 || lab_skip "lab: $t missing"
done
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || lab_skip "lab: python3-aiosmtpd missing"

up() { lab_link_up "$(ns "$1")" "$2"; }
down() { lab_link_down "$(ns "$1")" "$2"; }
fw() { local n=$1; shift; lab_in "$(ns "$n")" "$FENCER" -c "$LAB_TMP/$n/fencer.conf" "$@"; }
fdb() { bridge -n "$(ns "$1")" fdb show br br0 2>/dev/null; }
# fdb_lacks SWITCH REGEX: its table was read (it always holds its own
# entries) and has no line matching REGEX.
fdb_lacks() { local t; t=$(fdb "$1") && [ -n "$t" ] && lacks -Ei "$2" <<<"$t"; }

# ---- receivers on the management network (fencer runs in fw1 and fw2) ----
lab_mgmt_net
notify_ns
NADDR=10.77.0.50
lab_mgmt_attach "$NNS" "$NADDR/24"
lab_secret "$NT/community" "c$(lab_rand 6)"
notify_smtp 2525
notify_http 8080 200
notify_trapd 16262 "$NT/community"
MAIL=$NT/mail-2525 HTTP=$NT/http-8080 TRAPS=$LAB_TMP/trapd-16262.log
notify_conf() {
	cat <<-EOC
	[notify]
	mail-to = noc@example.invalid
	mail-from = fencer@fw$1.example.invalid
	smtp-url = smtp://$NADDR:2525
	webhook = http://$NADDR:8080/hook/fw$1
	trap = udp:$NADDR:16262
	trap-version = 2c
	trap-community-file = $NT/community
	timeout = 5s
	EOC
}
LAB_CONF_HOOK=notify_conf

topo_up
cli_mac=$(topo_mac cli) srv_mac=$(topo_mac srv)
echo "lab up: prefix $LAB_PFX, cli $cli_mac, srv $srv_mac"

# ---- never two bridges forwarding ----
# Both br0 are read before the switch ports: fencer fences the old master
# before it activates the new one, so a new br0 seen up means the old
# ports, read after, are already down; the sample cannot claim an overlap
# that never was.
# split.sh PREFIX DIR: an overlap is a line in DIR/split.log; each sample
# adds a byte to DIR/split.beat; a read that fails is a line in
# DIR/split.err, and the watcher stops. Its own output goes elsewhere
# (splitwatch.log): `ip` says "Peer netns reference is invalid" on
# stderr, exit 0, while any namespace on the machine comes or goes.
cat >"$LAB_TMP/split.sh" <<'EOS'
p=$1 d=$2
isup() { printf '%s\n' "$1" | grep -q '<[^>]*[<,]UP[,>]'; }
port() { printf '%s\n' "$1" | grep " $2@" ; }
while :; do
	if ! { b1=$(ip -n "$p-fw1" -o link show dev br0) && b2=$(ip -n "$p-fw2" -o link show dev br0) &&
		a=$(ip -n "$p-swa" -o link) && b=$(ip -n "$p-swb" -o link) &&
		[ -n "$(port "$a" gi2)" ] && [ -n "$(port "$a" gi3)" ] &&
		[ -n "$(port "$b" port2)" ] && [ -n "$(port "$b" port3)" ]; }; then
		echo "$(date +%T.%3N) a read failed: the watcher stops" >>"$d/split.err"
		exit 1
	fi
	fwd1=0 fwd2=0
	isup "$b1" && isup "$(port "$a" gi2)" && isup "$(port "$b" port2)" && fwd1=1
	isup "$b2" && isup "$(port "$a" gi3)" && isup "$(port "$b" port3)" && fwd2=1
	[ $fwd1 = 1 ] && [ $fwd2 = 1 ] && echo "$(date +%T.%3N) fw1 and fw2 both forwarding" >>"$d/split.log"
	printf . >>"$d/split.beat"
	sleep 0.1
done
EOS
: >"$LAB_TMP/split.log"
: >"$LAB_TMP/split.beat"
lab_spawn splitwatch - bash "$LAB_TMP/split.sh" "$LAB_PFX" "$LAB_TMP"
beats() { stat -c %s "$LAB_TMP/split.beat"; }
# watching SINCE: the watcher runs, no read of it failed, and it took at
# least 3 samples since the heartbeat count SINCE (a phase lasts a second
# or more; a sample, some 0.2 s).
watching() {
	kill -0 "$(cat "$LAB_TMP/splitwatch.pid")" && [ ! -s "$LAB_TMP/split.err" ] &&
		[ "$(beats)" -ge $(($1 + 3)) ]
}
# never_two SINCE: the watcher watched since SINCE and saw no overlap.
never_two() { watching "$1" && [ -e "$LAB_TMP/split.log" ] && [ ! -s "$LAB_TMP/split.log" ]; }

# ---- announce capture: RARP frames (ethertype 0x8035) at the hosts ----
cap_start() {	# cap_start TAG: tcpdump on cli's and srv's eth0
	# --immediate-mode: without it a frame can wait in the kernel's ring
	# block and be lost when tcpdump is stopped (round 5 was, at times).
	local h
	for h in cli srv; do
		lab_spawn "cap-$1-$h" "$(ns "$h")" tcpdump -i eth0 -nn -e -U -p --immediate-mode \
			-w "$LAB_TMP/cap-$1-$h.pcap" ether proto 0x8035
	done
	for h in cli srv; do
		wait_for 10 grep -q "listening on" "$LAB_TMP/cap-$1-$h.log" || lab_die "tcpdump in $h did not start"
	done
}
cap_stop() { lab_kill "cap-$1-cli"; lab_kill "cap-$1-srv"; }
# rarps TAG HOST SRCMAC SINCE: RARP frames HOST received with that source
# from the wall-clock time SINCE on (the previous promote's last rounds may
# still be on the wire when a capture starts).
rarps() {
	tcpdump -r "$LAB_TMP/cap-$1-$2.pcap" -tt -nn -e 2>/dev/null |
		awk -v mac="$(echo "$3" | tr A-F a-f)" -v t="$4" '$1 >= t && tolower($2) == mac && $3 == ">" &&
			$4 == "ff:ff:ff:ff:ff:ff," && /ethertype Reverse ARP/ {n++} END {print n + 0}'
}

# ---- what the receivers got since a mark ----
count() { ls "$1" 2>/dev/null | grep -c "\\.$2\$"; }
mail_since() {	# mail_since MARK REGEX: a new mail whose Subject matches
	local f n
	for f in "$MAIL"/*.eml; do
		n=$(basename "$f" .eml)
		[ "$n" -gt "$1" ] 2>/dev/null && grep -Eq "^Subject: $2" "$f" && return 0
	done
	return 1
}
hook_since() {	# hook_since MARK NODE PEER: a new webhook of NODE's promote, ok
	/usr/bin/python3 - "$HTTP" "$1" "$2" "$3" <<-'EOP'
	import glob, json, os, sys
	d, mark, node, peer = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
	for f in glob.glob(os.path.join(d, "*.body")):
	    n = int(os.path.basename(f).split(".")[0])
	    if n <= mark:
	        continue
	    doc = json.load(open(f))
	    meta = json.load(open(os.path.join(d, "%d.json" % n)))
	    if (meta["path"] == "/hook/" + node and doc.get("event") == "promote" and doc.get("node") == node
	            and doc.get("peer") == peer and doc.get("exit_code") == 0
	            and any(s["step"] == "fence" and s["outcome"] == "ok" for s in doc.get("steps", []))):
	        sys.exit(0)
	sys.exit(1)
	EOP
}
P=.1.3.6.1.4.1.99999.1
trap_since() {	# trap_since MARK NODE PEER: a new fencerPromoted trap from NODE
	since "$TRAPS" "$1" | grep "$P.0.1" | grep -F "$P.1.1.0 = STRING: \"$2\"" |
		grep -F "$P.1.2.0 = STRING: \"$3\"" | grep -q "$P.1.5.0 = INTEGER: 0"
}
journal_ok() {	# journal_ok NODE MARK STEP SWITCH: an ok STEP event on SWITCH
	since "$LAB_TMP/$1/state/journal.jsonl" "$2" | grep "\"step\":\"$3\"" |
		grep "\"switch\":\"$4\"" | grep -q '"outcome":"ok"'
}

# mark: remember where every log and receiver stands before a phase.
mark() {
	m_log1=$(lines "$LAB_TMP/fw1/fencer.log") m_log2=$(lines "$LAB_TMP/fw2/fencer.log")
	m_j1=$(lines "$LAB_TMP/fw1/state/journal.jsonl") m_j2=$(lines "$LAB_TMP/fw2/state/journal.jsonl")
	m_mail=$(count "$MAIL" eml) m_hook=$(count "$HTTP" body) m_trap=$(lines "$TRAPS")
	m_beat=$(beats)
}

# promoted NEW OLD TAG: the effects of NEW's promote over OLD.
promoted() {
	local new=$1 old=$2 tag=$3 n=${1#fw} o=${2#fw} j log
	j=m_j$n log=m_log$n
	check "$new: keepalived -> master ran its notify" eval 'since "$LAB_TMP/$new/fencer.log" ${!log} | grep -q "$new keepalived -> master"'
	check "$new: fencer promote exit 0" eval 'since "$LAB_TMP/$new/fencer.log" ${!log} | grep -q "$new fencer promote exit 0"'
	check "$new: journal: promote ended ok" eval 'since "$LAB_TMP/$new/state/journal.jsonl" ${!j} |
		grep "\"command\":\"promote\",\"step\":\"end\"" | grep -q "\"outcome\":\"ok\""'
	check "$new: journal: $old's ports fenced and verified on a and b" eval 'journal_ok $new ${!j} fence a &&
		journal_ok $new ${!j} fence b && journal_ok $new ${!j} verify a && journal_ok $new ${!j} verify b'
	check "$old's port swa gi$((o + 1)) admin down in the kernel" down swa gi$((o + 1))
	check "$old's port swb port$((o + 1)) admin down in the kernel" down swb port$((o + 1))
	check "$new's port swa gi$((n + 1)) admin up" up swa gi$((n + 1))
	check "$new's port swb port$((n + 1)) admin up" up swb port$((n + 1))
	check "$new's br0 is up" up "$new" br0
	check "$old's br0 is down" wait_for 10 down "$old" br0
	check "$new: journal: flush ok on a and b" eval 'journal_ok $new ${!j} flush a && journal_ok $new ${!j} flush b'
	check "cli pings srv through $new" wait_for 10 topo_traffic
	check "no host MAC left on $old's ports (swa gi$((o + 1)), swb port$((o + 1)))" eval \
		'fdb_lacks swa "^($cli_mac|$srv_mac) dev gi$((o + 1)) " && fdb_lacks swb "^($cli_mac|$srv_mac) dev port$((o + 1)) "'
	check "the switches learned the hosts through $new's ports" eval \
		'fdb swa | grep -qi "^$srv_mac dev gi$((n + 1)) " && fdb swb | grep -qi "^$cli_mac dev port$((n + 1)) "'
	# The rounds go on after promote exits: wait for the frames themselves at
	# the hosts (tcpdump writes each as it comes), then stop the capture.
	local called
	called=$(since "$LAB_TMP/$new/fencer.log" ${!log} | awk '/keepalived -> master/ {print $1; exit}')
	check "cli received the 5 RARP rounds for srv's MAC after $new's notify" \
		wait_for 10 eval '[ "$(rarps "$tag" cli "$srv_mac" "${called:-9e9}")" -ge 5 ]'
	check "srv received the 5 RARP rounds for cli's MAC after $new's notify" \
		wait_for 10 eval '[ "$(rarps "$tag" srv "$cli_mac" "${called:-9e9}")" -ge 5 ]'
	cap_stop "$tag"
	echo "   announce at the hosts since $new's notify: cli got $(rarps "$tag" cli "$srv_mac" "${called:-0}")" \
		"RARP from srv's MAC, srv got $(rarps "$tag" srv "$cli_mac" "${called:-0}") from cli's"
	check "$new: journal: 5 announce rounds sent" wait_for 10 eval 'since "$LAB_TMP/$new/state/journal.jsonl" ${!j} |
		grep "\"step\":\"announce\"" | grep "\"outcome\":\"ok\"" | grep -q "round 5/5: 2 frames"'
	check "mail: [fencer] $new promoted: $old fenced (2 ports)" wait_for 10 \
		mail_since "$m_mail" "\\[fencer\\] $new promoted: $old fenced \\(2 ports\\) in [0-9]+ ms"
	check "webhook: $new's promote over $old, exit 0, fence ok" wait_for 10 hook_since "$m_hook" "$new" "$old"
	check "trap: fencerPromoted from $new, peer $old, exit 0" wait_for 10 trap_since "$m_trap" "$new" "$old"
	check "journal: mail, webhook and trap delivered" eval 'journal_ok $new ${!j} notify mail &&
		journal_ok $new ${!j} notify webhook && journal_ok $new ${!j} notify trap'
	check "the split-brain watcher sampled all along this phase ($(($(beats) - m_beat)) samples)" watching "$m_beat"
	check "never two bridges forwarding so far" never_two "$m_beat"
}

round_end() {	# round_end WHAT: stop at the first round that failed
	[ "$LAB_FAILS" -eq 0 ] && return 0
	echo "$LAB_FAILS checks failed in $1"
	topo_status | sed 's/^/   /'
	cat "$LAB_TMP/split.log" "$LAB_TMP/split.err"
	echo "the watcher took $(beats) samples"
	for n in fw1 fw2; do tail -n 40 "$LAB_TMP/$n/fencer.log" | sed "s/^/   $n: /"; done
	lab_done
}

for kind in stop-forwarding kill cut-link; do
	echo "== $kind"
	t0=$(date +%s)
	check "before: fw1 is VRRP master" eval '[ "$(topo_master)" = "fw1 " ]'
	check "before: cli pings srv" wait_for 10 topo_traffic
	check "before: swa holds srv's MAC on fw1's gi2, swb cli's on port2" eval \
		'fdb swa | grep -qi "^$srv_mac dev gi2 " && fdb swb | grep -qi "^$cli_mac dev port2 "'
	round_end "$kind: the starting state"

	# fw1 fails; keepalived on fw2 decides.
	mark
	cap_start "$kind-over"
	topo_fail "$kind"
	wait_for 20 eval 'since "$LAB_TMP/fw2/fencer.log" $m_log2 | grep -q "fw2 fencer promote exit"' ||
		echo "fw2's promote did not finish in 20 s"
	check "fw2 is VRRP master" wait_for 5 eval 'case "$(topo_master)" in *fw2*) true;; *) false;; esac'
	promoted fw2 fw1 "$kind-over"
	round_end "$kind: failover"

	# fw1 comes back as backup; fw2 gives its ports back.
	mark
	topo_recover "$kind"
	fw fw2 unfence fw1 >"$LAB_TMP/unfence.out" 2>&1; rc=$?
	check "fencer unfence fw1 (on fw2) exit 0" test "$rc" = 0
	check "fw1's port swa gi2 admin up again" up swa gi2
	check "fw1's port swb port2 admin up again" up swb port2
	check "fw2's fenced.json no longer lists fw1's ports" lacks '"node": *"fw1"' "$LAB_TMP/fw2/state/fenced.json"
	check "fw1's keepalived is backup" wait_for 15 eval 'since "$LAB_TMP/fw1/fencer.log" $m_log1 | grep -q "fw1 keepalived -> backup"'
	# nopreempt: each of fw2's adverts that fw1 hears as backup is a chance
	# a wrong preemption would take; give it 5, counted on the wire.
	lab_spawn "vrrp-$kind" "$(ns fw1)" tcpdump -i sync -nn -l 'ip proto 112 and src 10.77.9.2'
	wait_for 10 grep -q "listening on" "$LAB_TMP/vrrp-$kind.log" || lab_die "tcpdump on fw1's sync did not start"
	check "fw1 heard 5 of fw2's adverts as backup" wait_for 10 eval \
		'[ "$(grep -c "10.77.9.2 > 224.0.0.18: VRRPv3" "$LAB_TMP/vrrp-$kind.log")" -ge 5 ]'
	lab_kill "vrrp-$kind"
	check "fw2 stays master (nopreempt)" eval '[ "$(topo_master)" = "fw2 " ] && up fw2 br0 && down fw1 br0'
	check "cli pings srv through fw2" wait_for 10 topo_traffic
	round_end "$kind: fw1's return"

	# Fail back: keepalived on fw2 stops, fw1 becomes master.
	mark
	cap_start "$kind-back"
	topo_stop_keepalived 2
	wait_for 20 eval 'since "$LAB_TMP/fw1/fencer.log" $m_log1 | grep -q "fw1 fencer promote exit"' ||
		echo "fw1's promote did not finish in 20 s"
	check "fw2: keepalived's stop ran fencer demote" wait_for 10 eval \
		'since "$LAB_TMP/fw2/fencer.log" $m_log2 | grep -q "fw2 fencer demote exit 0"'
	check "fw1 is VRRP master" eval '[ "$(topo_master)" = "fw1 " ]'
	promoted fw1 fw2 "$kind-back"
	check "after failback: fw1's br0 up, fw2's down" eval 'up fw1 br0 && down fw2 br0'
	round_end "$kind: failback"

	# Back to the start for the next kind: fw2 connected, as backup.
	mark
	fw fw1 unfence fw2 >"$LAB_TMP/unfence.out" 2>&1; rc=$?
	check "fencer unfence fw2 (on fw1) exit 0" test "$rc" = 0
	check "fw2's ports admin up again" eval 'up swa gi3 && up swb port3'
	topo_keepalived 2
	check "fw2's keepalived is backup" wait_for 15 eval 'since "$LAB_TMP/fw2/fencer.log" $m_log2 | grep -q "fw2 keepalived -> backup"'
	check "fw2's br0 still down" down fw2 br0
	round_end "$kind: the return to the start"
	echo "== $kind: round done in $(($(date +%s) - t0)) s"
done

check "never two bridges forwarding at once, in $(beats) samples" never_two 0
check "at the end: fw1's br0 up, fw2's down" eval 'up fw1 br0 && down fw2 br0'
round_end "the end"
echo "failover: stop-forwarding, kill and cut-link each failed over and back with every effect"
