#!/usr/bin/env bash
# Fencing levels (fencer.conf(5), FENCING LEVELS) in the lab: the
# Cisco-like switch swa reached two ways. Level 1 of fw1 is its port
# GigabitEthernet0/1 through [switch swa] (IOS over SSH: iosemu behind a
# real sshd); level 2 is the same port, gi1, through [switch swa-snmp]
# (IF-MIB over SNMP: a real snmpd in the switch's namespace). fw2 promotes
# with unfence-self = no, so that the peer's fence alone decides.
#  - level 1 refused (wrong password; then a dead sshd): level 2 fences,
#    gi1 is down in the switch's kernel, the output, the journal,
#    fenced.json and status --json name level 2; unfence brings gi1 up
#    and empties fenced.json;
#  - every level fails (wrong password and a read-only community):
#    on-fence-failure = abort never activates, continue activates; both
#    exit 1 and say that no level fenced fw1; gi1 stays up;
#  - a hung level 1 (iosemu fault=hang): with a switch timeout of 2 s,
#    level 2 fences in what is left of the deadline; with a timeout
#    longer than the deadline, level 2 is not tried (no time left). Each
#    promote ends within the deadline plus 1 s (the slack of
#    test_promote_deadline.sh: room for a loaded 2-core machine);
#  - fence_fencer off of fw1 with level 1 dead fences at level 2, and on
#    brings gi1 back up.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup lv
lab_snmpd swa 10.77.0.2
HOOK=$LAB_TMP/activated STATE=$LAB_TMP/state
lab_secret "$LAB_TMP/wrong.password" "not-the-password"
WRONG="password-file = $LAB_TMP/wrong.password
enable-secret-file = $D/enable"

# conf [CREDS]: fencer.conf for fw2; env POLICY (on-fence-failure),
# COMMUNITY (rw or ro), DEADLINE, TIMEOUT.
conf() {
	FW1_PORTS=GigabitEthernet0/1 cisco_conf "${1:-}"
	sed -i -e "s|^\[fencer\]\$|[fencer]\nunfence-self = no\non-fence-failure = ${POLICY:-abort}\nactivate = touch $HOOK|" \
		-e "s|^port = swa GigabitEthernet0/1\$|&\nlevel = 2 swa-snmp gi1|" "$C"
	cat >>"$C" <<-EOC
	[switch swa-snmp]
	driver = snmp
	address = 10.77.0.2
	snmp-version = 2c
	community-file = $D/${COMMUNITY:-rw}.community
	timeout = 1s
	retries = 1
	check-wiring = no
	EOC
	rm -f "$HOOK" "$STATE/fenced.json"
}
# fenced_level SWITCH PORT: the level fenced.json records for the port.
fenced_level() {
	/usr/bin/python3 -c 'import json, sys
for p in json.load(open(sys.argv[1]))["ports"]:
    if p["switch"] == sys.argv[2] and p["port"] == sys.argv[3] and p["state"] == "fenced":
        print(p["level"])' "$STATE/fenced.json" "$1" "$2" 2>/dev/null
}
# status_says: status --json names gi1 of swa-snmp fenced at level 2.
status_says() {
	fencer --json status fw1 || true
	/usr/bin/python3 -c 'import json, sys
ports = json.load(open(sys.argv[1]))
sys.exit(0 if any(p["switch"] == "swa-snmp" and p["port"] == "gi1" and p["level"] == 2
                  and p["fenced"] == "fenced" and p["admin"] == "down" for p in ports) else 1)' "$OUT"
}
nothing_fenced() {
	/usr/bin/python3 -c 'import json, sys; sys.exit(1 if json.load(open(sys.argv[1]))["ports"] else 0)' \
		"$STATE/fenced.json"
}
# level2_wins WHAT: promote exits 0 through level 2; then unfence.
level2_wins() {
	local what=$1 rc
	fencer promote; rc=$?
	check "$what: promote exit 0 (got $rc)" test "$rc" = 0
	check "$what:   gi1 is down in the switch's kernel" admin_down gi1
	check "$what:   fw2's own gi2 was left alone (up)" admin_up gi2
	check "$what:   the output says level 2 fenced fw1" has "fw1 fenced at level 2 (1 port)"
	check "$what:   the journal has level 2 ok" grep -q '"step":"level","outcome":"ok".*fw1 fenced at level 2' \
		"$STATE/journal.jsonl"
	check "$what:   fenced.json: swa-snmp gi1 at level 2" test "$(fenced_level swa-snmp gi1)" = 2
	check "$what:   fenced.json: nothing of level 1" test -z "$(fenced_level swa GigabitEthernet0/1)"
	check "$what:   activated" test -e "$HOOK"
	check "$what:   status --json names level 2" status_says
	check "$what:   status shows gi1 of level 2 down, fenced" eval \
		'fencer status fw1; grep -Eq "^fw1 +swa-snmp +gi1 +2 +down +since " "$OUT"'
	fencer unfence fw1; rc=$?
	check "$what: unfence exit 0 (got $rc)" test "$rc" = 0
	check "$what:   gi1 is up again in the switch's kernel" admin_up gi1
	check "$what:   fenced.json is empty" nothing_fenced
}

# ---- level 1 refused: a wrong password --------------------------------
conf "$WRONG"
fencer configtest >/dev/null || lab_die "configtest: $(cat "$OUT")"
fencer -v check
cp "$OUT" "$LAB_TMP/check.out"
check "check reads level 2's port: swa-snmp gi1" grep -q "swa-snmp" "$LAB_TMP/check.out"
level2_wins "wrong password"

# ---- every level fails: on-fence-failure decides ------------------------
for POLICY in abort continue; do
	COMMUNITY=ro conf "$WRONG"
	fencer promote; rc=$?
	check "every level fails, $POLICY: promote exit 1 (got $rc)" test "$rc" = 1
	check "  $POLICY: gi1 is up (nothing fenced it)" admin_up gi1
	check "  $POLICY: says no level fenced fw1" has "fw1 not fenced at any of 2 levels: level 1: 1 of 1 port not verified down; level 2: 1 of 1 port not verified down"
	if [ "$POLICY" = abort ]; then
		check "  abort: never activated" test ! -e "$HOOK"
	else
		check "  continue: activated anyway" test -e "$HOOK"
	fi
done
POLICY=abort

# ---- a hung level 1: the deadline holds across levels -------------------
cisco_fault fault=hang
# hung_promote TIMEOUT: promote with DEADLINE 10 s; sets RC, RUN_MS, WALL_MS.
hung_promote() {
	local t0
	DEADLINE=10s TIMEOUT=$1 POLICY=continue conf
	t0=$(date +%s%N)
	timeout -k 5 60 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" --json promote >"$LAB_TMP/promote.json" 2>"$OUT"
	RC=$?
	WALL_MS=$((($(date +%s%N) - t0) / 1000000))
	RUN_MS=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["duration_ms"])' \
		"$LAB_TMP/promote.json") || RUN_MS=999999
	echo "    # timeout $1: promote exit $RC, ran $RUN_MS ms, $WALL_MS ms on the wall clock (bound 11000 ms)"
}
hung_promote 2s
check "hung level 1, timeout 2s: promote exit 0 (got $RC)" test "$RC" = 0
check "  gi1 is down in the switch's kernel (level 2)" admin_down gi1
check "  fenced.json: swa-snmp gi1 at level 2" test "$(fenced_level swa-snmp gi1)" = 2
check "  fencer's run ended within the deadline + 1 s" test "$RUN_MS" -le 11000
check "  the process ended within the deadline + 1 s" test "$WALL_MS" -le 11000
cisco_fault
fencer unfence fw1 || check "unfence after the hung level 1" false
check "  gi1 is up again" admin_up gi1
cisco_fault fault=hang
hung_promote 30s
check "hung level 1, timeout 30s: promote exit 1 (got $RC)" test "$RC" = 1
check "  level 2 not tried: no time left" grep -q "level 2 of fw1 not tried: no time left of the deadline" \
	"$LAB_TMP/promote.json"
check "  gi1 is up (nothing fenced it)" admin_up gi1
check "  fencer's run ended within the deadline + 1 s" test "$RUN_MS" -le 11000
check "  the process ended within the deadline + 1 s" test "$WALL_MS" -le 11000
cisco_fault

# ---- level 1 refused: a dead switch (its sshd killed) --------------------
for p in $(ip netns pids "$SW"); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sshd ] && kill "$p"
done
wait_for 10 eval '! lab_tcp_open "$LAB_MGMT" 10.77.0.2 22' || lab_die "sshd of swa still answers"
conf
level2_wins "dead sshd"

# ---- fence_fencer: off of a node tries its levels; on undoes them ---------
AGENT=$(dirname "$FENCER")/fence_fencer
agent() { printf '%s\n' "$@" | lab_in "$LAB_MGMT" "$AGENT" >"$OUT" 2>&1; }
agent "action=off" "port=fw1" "config=$C"; rc=$?
check "fence_fencer off, sshd dead: exit 0 (got $rc)" test "$rc" = 0
check "  gi1 is down in the switch's kernel" admin_down gi1
check "  fenced.json: swa-snmp gi1 at level 2" test "$(fenced_level swa-snmp gi1)" = 2
agent "action=on" "port=fw1" "config=$C"; rc=$?
check "fence_fencer on: gi1 is up again in the switch's kernel" admin_up gi1
check "  exit 1: level 1's port cannot be brought up, sshd is dead (got $rc)" test "$rc" = 1
check "  fenced.json no longer names gi1" test -z "$(fenced_level swa-snmp gi1)"
lab_done
