#!/usr/bin/env bash
# Fencing's share of the deadline (fencer.conf(5), deadline: fencing and
# verification get four fifths of it, the activate command what is left).
# The Cisco-like switch logs fencer in and then never answers (iosemu
# fault=hang, switch timeout longer than the deadline); on-fence-failure =
# continue. Asserted, from fencer's own --json timeline:
#  - activation starts when fencing's share is used up: at 4/5 of the
#    deadline or later (the hung switch had its share), and no later than
#    1 s after it;
#  - the whole promote ends within the deadline plus 1 s (its own
#    duration, and the wall clock around the process);
#  - the activate command ran (its 1.5 s fit in the fifth left to it),
#    promote exits 1 (fencing not verified), the port is untouched.
# This bounds a protocol, it does not time fencer: the slack is 1 s on a
# 10 s deadline, room for a loaded 2-core machine; giving fencing the
# whole deadline starts activation at 10 s and ends promote at 11.5 s.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup pd
DEADLINE_MS=10000 SLACK_MS=1000 SHARE_MS=8000 HOOK=$LAB_TMP/activated
DEADLINE=10s TIMEOUT=30s cisco_conf
sed -i "s|^\[fencer\]\$|[fencer]\non-fence-failure = continue\nactivate = sh -c 'sleep 1.5; touch $HOOK'|" "$C"
cisco_fault fault=hang

t0=$(date +%s%N)
timeout -k 5 60 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" --json promote >"$LAB_TMP/promote.json" 2>"$OUT"
RC=$?
WALL_MS=$((($(date +%s%N) - t0) / 1000000))
# timeline VALUE: the run's duration_ms, or the at_ms of activate's start.
timeline() {
	/usr/bin/python3 - "$LAB_TMP/promote.json" "$1" <<-'EOP'
	import json, sys
	doc = json.load(open(sys.argv[1]))
	if sys.argv[2] == "duration":
	    print(doc["duration_ms"])
	else:
	    print(next(s["at_ms"] for s in doc["steps"] if s["step"] == "activate" and s["outcome"] == "start"))
	EOP
}
ACT_MS=$(timeline activate) || ACT_MS=
RUN_MS=$(timeline duration) || RUN_MS=
echo "    # promote exit $RC; activate started at +${ACT_MS:-?} ms; ran ${RUN_MS:-?} ms; ${WALL_MS} ms on the wall clock"
echo "    # bounds: activate in [$SHARE_MS, $((SHARE_MS + SLACK_MS))] ms, the end by $((DEADLINE_MS + SLACK_MS)) ms"

check "promote against a hung switch, continue: exit 1" test "$RC" = 1
check "  activation waited for fencing's share ($SHARE_MS ms)" test "${ACT_MS:-0}" -ge "$SHARE_MS"
check "  activation started within $SLACK_MS ms of it" test "${ACT_MS:-999999}" -le $((SHARE_MS + SLACK_MS))
check "  fencer's own run ended within the deadline + $SLACK_MS ms" test "${RUN_MS:-999999}" -le $((DEADLINE_MS + SLACK_MS))
check "  the process ended within the deadline + $SLACK_MS ms" test "$WALL_MS" -le $((DEADLINE_MS + SLACK_MS))
check "  the activate command ran to its end" test -e "$HOOK"
check "  the journal says: activating anyway" grep -q '"step":"continue","outcome":"failed"' "$LAB_TMP/state/journal.jsonl"
check "  the journal says: activate ok" grep -q '"step":"activate","outcome":"ok"' "$LAB_TMP/state/journal.jsonl"
check "  Gi0/1 is untouched (up) in the kernel" admin_up gi1
lab_done
