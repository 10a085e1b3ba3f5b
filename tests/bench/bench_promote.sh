#!/usr/bin/env bash
# The whole `fencer promote` in the lab, split by step: fw1's ports on a
# Cisco-like switch (swa: iosemu behind a real sshd, key login) and a
# 3Com-like switch (swb: real snmpd, 3com driver) are fenced and verified,
# this node's bridge br0 (in the management namespace, members a0 -> swa
# gi3 and b0 -> swb port3) is activated, both switches flush the fenced
# ports, and the first announce round goes out for 1,000 host MACs. No
# notification is configured: its delivery is not part of the figure.
# Step times come from `fencer --json promote` (milliseconds since the run
# started, one clock); the command's wall time from bash's EPOCHREALTIME.
# Every run is checked: fw1's ports down in the switches' kernels, br0 up.
# There is no peer tool for a whole promotion; the goal is in the figure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lib.sh"
. "$here/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
RUNS=${BENCH_RUNS:-11}
NMACS=${BENCH_MACS:-1000}
lab_init bp >/dev/null

lab_switch swa 10.77.0.2/24
lab_switch swb 10.77.0.3/24
lab_ns fw1
lab_switch_port swa gi2 "$(ns fw1)" a0
lab_switch_port swb port2 "$(ns fw1)" b0
lab_switch_port swa gi3 "$LAB_MGMT" a0
lab_switch_port swb port3 "$LAB_MGMT" b0
lab_bridge "$LAB_MGMT" br0
lab_enslave "$LAB_MGMT" br0 a0
lab_enslave "$LAB_MGMT" br0 b0
ip -n "$LAB_MGMT" link set dev br0 down
lab_sshd swa 10.77.0.2 GigabitEthernet0/2=gi2 GigabitEthernet0/3=gi3 >/dev/null
lab_snmpd swb 10.77.0.3 >/dev/null
DA=$LAB_TMP/swa DB=$LAB_TMP/swb C=$LAB_TMP/fencer.conf
{
	cat <<-EOF
	[fencer]
	node = fw2
	peer = fw1
	state-dir = $LAB_TMP/state
	deadline = 10s
	activate = ip link set dev br0 up
	deactivate = ip link set dev br0 down
	[switch swa]
	driver = cisco-ios
	address = 10.77.0.2
	user = fencer
	identity = $DA/id_ed25519
	enable-secret-file = $DA/enable
	known-hosts = $DA/known_hosts
	flush = port
	[switch swb]
	driver = 3com
	address = 10.77.0.3
	community-file = $DB/rw.community
	flush = port
	[node fw1]
	port = swa GigabitEthernet0/2
	port = swb port2
	[node fw2]
	port = swa GigabitEthernet0/3
	port = swb port3
	[announce]
	interface = a0 b0
	address = 10.77.1.1
	rounds = 1
	EOF
	for ((i = 0; i < NMACS; i++)); do
		printf 'mac = 02:42:%02x:%02x:00:01 %s\n' $((i / 256)) $((i % 256)) "$([ $((i % 2)) = 0 ] && echo a0 || echo b0)"
	done
} >"$C"
chmod 0644 "$C"
# The same promote by the node that wins a fence race (fw2 outranks fw1):
# it activates once fenced; the one that yields (the names' order alone)
# first watches the ports for race-window (docs/split-brain.md).
sed 's/^\[node fw2\]$/&\npriority = 1/' "$C" >"$C.wins"
chmod 0644 "$C.wins"

export FENCER C RUNS LAB_TMP SWA=$(ns swa) SWB=$(ns swb)
ip netns exec "$LAB_MGMT" bash -s >"$LAB_TMP/runs" 2>"$LAB_TMP/err" <<'EOS'
set -u
up() { ip -n "$1" link show dev "$2" | grep -q '<[^>]*[<,]UP[,>]'; }
restore() {
	"$FENCER" -c "$C" unfence fw1 --all >/dev/null 2>&1 &&
		ip link set dev br0 down && up "$SWA" gi2 && up "$SWB" port2 ||
		{ echo "restore failed" >&2; exit 1; }
}
for ((i = 0; i < RUNS; i++)); do
	for role in wins yields; do
		conf=$C
		[ $role = wins ] && conf=$C.wins
		restore
		t0=$EPOCHREALTIME
		"$FENCER" --json -c "$conf" promote >"$LAB_TMP/run.json" 2>/dev/null || { echo "promote failed (see run.json)" >&2; exit 1; }
		t1=$EPOCHREALTIME
		up "$SWA" gi2 && { echo "run $i left swa gi2 up" >&2; exit 1; }
		up "$SWB" port2 && { echo "run $i left swb port2 up" >&2; exit 1; }
		ip link show dev br0 | grep -q '<[^>]*[<,]UP[,>]' || { echo "run $i left br0 down" >&2; exit 1; }
		printf '%s %s %s ' "$role" "$t0" "$t1"
		tr -d '\n' <"$LAB_TMP/run.json"
		echo
	done
done
restore
EOS
[ $? = 0 ] || lab_die "benchmark loop: $(cat "$LAB_TMP/err")$(python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["steps"]:
    if e["outcome"] not in ("ok", "start", "skipped"):
        print(" |", e["step"], e.get("switch", ""), e.get("port", ""), e["outcome"], e.get("error", ""))
' "$LAB_TMP/run.json" 2>/dev/null)"

# One line per run of "figure value" pairs, then the median per figure.
python3 - "$LAB_TMP/runs" >"$LAB_TMP/figures" <<'PY' || lab_die "cannot read the promote timings"
import json, sys
for line in open(sys.argv[1]):
    role, t0, t1, doc = line.split(" ", 3)
    d = json.loads(doc)
    at = {}
    for e in d["steps"]:	# the last event of a kind that ended: its at_ms
        if e["outcome"] in ("ok", "skipped"):
            at[(e["step"], e.get("switch", ""))] = e["at_ms"]
    begin = next(e["at_ms"] for e in d["steps"] if e["step"] == "begin")
    p = role + "-"
    print(p + "wall", "%.1f" % ((float(t1) - float(t0)) * 1000))
    print(p + "critical", at[("activate", "")] - begin)
    print(p + "total", at[("end", "")] - begin)
    for sw in ("swa", "swb"):
        print(p + "fenced-" + sw, at[("verify", sw)] - begin)
        print(p + "flushed-" + sw, at[("flush", sw)] - begin)
    print(p + "activated", at[("activate", "")] - begin)
    print(p + "announced", at[("announce", "")] - begin)
PY
med() { mapfile -t v < <(awk -v k="$1" '$1 == k {print $2}' "$LAB_TMP/figures"); bench_median "${v[@]}"; }
w="promote by the node that wins a fence race"
bench_row "$w (swa Cisco + swb 3Com, $NMACS MACs): critical path, lock to activation (goal < 200 ms)" "$(med wins-critical)" - "$RUNS"
bench_row "$w: whole run, lock to end, no notification (goal < 400 ms)" "$(med wins-total)" - "$RUNS"
bench_row "$w: the command's wall time (process start to exit)" "$(med wins-wall)" - "$RUNS"
bench_row "$w, step: swa (Cisco, ssh key) fenced and verified, from lock" "$(med wins-fenced-swa)" - "$RUNS"
bench_row "$w, step: swb (3Com, snmp v2c) fenced and verified, from lock" "$(med wins-fenced-swb)" - "$RUNS"
bench_row "$w, step: br0 activated, from lock" "$(med wins-activated)" - "$RUNS"
bench_row "$w, step: first announce round ($NMACS RARP + 1 ARP) sent, from lock" "$(med wins-announced)" - "$RUNS"
bench_row "$w, step: swa fenced port flushed (after the race watch), from lock" "$(med wins-flushed-swa)" - "$RUNS"
bench_row "$w, step: swb fenced port flushed (after the race watch), from lock" "$(med wins-flushed-swb)" - "$RUNS"
y="the same promote by the node that yields a fence race (activates after race-window, 200 ms)"
bench_row "$y: critical path, lock to activation" "$(med yields-critical)" - "$RUNS"
bench_row "$y: whole run, lock to end" "$(med yields-total)" - "$RUNS"
bench_row "$y: the command's wall time" "$(med yields-wall)" - "$RUNS"
