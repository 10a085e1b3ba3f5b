#!/usr/bin/env bash
# fencer serve against standalone (docs/serve.md): `fencer promote` cold
# (no service: every switch logged in during the run) and warm (through
# the service, on its kept session), alternating, against the lab's
# Cisco-like switch, as the node that wins a fence race and as the one
# that yields: the critical path, from the run's begin (the lock taken) to
# activate's end, read from the journal, and the whole promote as the HA
# hook sees it (process start to exit). Then the service's
# resident memory with 2 and with 50 switches kept warm (all sessions to
# the same emulated switch), and its CPU use while idle with 2 switches
# over BENCH_IDLE_SECS (default 600: ten minutes; keepalive every 30 s).
#
# The switch's speed is the lab profile's: FENCER_LAB_PROFILE=catalyst
# (or PROFILE=catalyst) asks the lab for a Catalyst's login and command
# delays (iosemu) and SNMP delay; a lab without profiles runs the default
# (loopback-fast) switch, and the rows say which one ran.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
export FENCER_LAB_PROFILE=${FENCER_LAB_PROFILE:-${PROFILE:-}}
. "$here/../lab/serve_lib.sh"
N=${BENCH_RUNS:-15}
IDLE=${BENCH_IDLE_SECS:-600}
if [ -z "$FENCER_LAB_PROFILE" ]; then
	profile="default profile"
elif grep -rqs FENCER_LAB_PROFILE "$here/../lab/lib.sh" "$here/../lab/cisco_lib.sh" "$here/../lab/topo.sh"; then
	profile="profile $FENCER_LAB_PROFILE"
else
	profile="default profile: this lab has no FENCER_LAB_PROFILE=$FENCER_LAB_PROFILE"
	echo "bench_serve: the lab does not know FENCER_LAB_PROFILE yet: running the default switch" >&2
fi
cisco_setup bs >/dev/null
serve_conf "check-interval = off
activate = /bin/true"
sed -i '/^serve-wait = /d' "$C"	# the default, 50 ms, as in production
mkdir -p "$LAB_TMP/run"

restore() {
	ip -n "$SW" link set dev gi1 up
	rm -f "$LAB_TMP/state/fenced.json"
}
# The last promote's critical path (begin to activate's end) from the
# journal, and whether its switch session was warm.
last_run() {
	/usr/bin/python3 - "$J" <<-'PY'
	import json, sys, datetime
	lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	start = max(i for i, e in enumerate(lines) if e["command"] == "promote" and e["step"] == "begin")
	run = lines[start:]
	t = lambda e: datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000
	act = [e for e in run if e["step"] == "activate" and e["outcome"] == "ok"]
	conn = [e for e in run if e["step"] == "connect" and e["outcome"] == "ok"]
	warm = all(e.get("detail", "").startswith("warm") for e in conn) and conn
	print("%.0f %s" % (t(act[0]) - t(run[0]), "warm" if warm else "cold") if act else "- none")
	PY
}
promote() {	# promote: whole ms into $whole, critical path into $crit, warm|cold into $kind
	local t0 t1
	t0=$(bench_now_ms)
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" promote >"$OUT" 2>&1 ||
		{ echo "bench_serve: promote failed: $(tail -n3 "$OUT")" >&2; exit 1; }
	t1=$(bench_now_ms)
	admin_down gi1 || { echo "bench_serve: promote left gi1 up" >&2; exit 1; }
	whole=$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")
	read -r crit kind < <(last_run)
	restore
}

# roles ROLE: this node (fw2) wins a fence race (priority 10), activating
# once its ports are verified, or yields (fw1 sorts first), activating
# after the watch, which covers a racing peer's login, warm or cold
# (docs/split-brain.md, docs/serve.md).
role() {
	sed -i '/^priority = /d' "$C"
	[ "$1" = wins ] && sed -i 's/^\[node fw2\]$/&\npriority = 10/' "$C"
	return 0
}
promote; promote	# warm-up: page cache, sshd's first fork
for r in wins yields; do
	role $r
	cold_c=() cold_w=() warm_c=() warm_w=() fell=0
	for ((i = 0; i < N; i++)); do
		promote; cold_c+=("$crit"); cold_w+=("$whole")
		serve_start >/dev/null
		wait_for 60 serve_open || { echo "bench_serve: the service has no session" >&2; exit 1; }
		promote
		if [ "$kind" = warm ]; then warm_c+=("$crit"); warm_w+=("$whole"); else fell=$((fell + 1)); fi
		serve_stop
	done
	[ ${#warm_c[@]} -gt 0 ] || { echo "bench_serve: no promote went through the service" >&2; exit 1; }
	note=
	[ "$fell" = 0 ] || note=", $fell of $N ran cold: the service did not accept within 50 ms"
	bench_row "promote of the node that $r a race, critical path (lock to activate), warm through fencer serve; cold standalone beside ($profile$note)" \
		"$(bench_median "${warm_c[@]}")" "$(bench_median "${cold_c[@]}")" "${#warm_c[@]}"
	bench_row "promote of the node that $r a race, whole, as the HA hook sees it, warm; cold beside ($profile)" \
		"$(bench_median "${warm_w[@]}")" "$(bench_median "${cold_w[@]}")" "${#warm_w[@]}"
done
role yields

# --- memory and idle CPU ----------------------------------------------------------
with_switches() {	# with_switches N: $C with N-1 more switches like swa, no ports on them
	local k
	cp "$C" "$C.$1"
	for ((k = 2; k <= $1; k++)); do
		sed -n '/^\[switch swa\]/,/^\[node/p' "$C" | sed '$d' | sed "s/^\[switch swa\]/[switch sw$k]/"
	done >>"$C.$1"
	chmod 0644 "$C.$1"
}
all_open() { [ "$(lab_in "$LAB_MGMT" "$FENCER" -c "$1" serve status 2>/dev/null | grep -c ' open ')" = "$2" ]; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
serve_with() {
	lab_spawn serve "$LAB_MGMT" "$FENCER" -c "$1" serve
	SERVE_PID=$(cat "$LAB_TMP/serve.pid")
	wait_for 120 all_open "$1" "$2" || { echo "bench_serve: not all $2 sessions opened" >&2; exit 1; }
}
for n in 2 50; do
	with_switches $n
	serve_with "$C.$n" $n
	sleep 2
	rss=$(rss_kb "$SERVE_PID")
	bench_row "fencer serve resident memory, $n switches kept warm ($profile)" "$((rss / 1024))" - 1 MiB
	if [ $n = 2 ]; then
		c0=$(cpu_ticks "$SERVE_PID") t0=$(bench_now_ms)
		sleep "$IDLE"
		c1=$(cpu_ticks "$SERVE_PID") t1=$(bench_now_ms)
		hz=$(getconf CLK_TCK)
		cpu=$(awk "BEGIN {printf \"%.3f\", ($c1 - $c0) * 100 / $hz / (($t1 - $t0) / 1000)}")
		bench_row "fencer serve CPU while idle, 2 switches, keepalive 30s, over $IDLE s ($((c1 - c0)) ticks of 1/$hz s)" \
			"$cpu" - 1 %
	fi
	serve_stop
done
