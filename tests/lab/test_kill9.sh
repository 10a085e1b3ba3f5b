#!/usr/bin/env bash
# kill -9 of fencer in the middle of a promote against a real switch (the
# Cisco-like swa, slowed to 400 ms per command so the kill lands while the
# session is open), then promote again: it converges. The port ends down
# in the switch's kernel, the second promote neither waits for nor reports
# the dead one (no stale lock), the journal is still one JSON object per
# line with the killed run's start in it, and fenced.json names the port.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup k9
cisco_conf
S=$LAB_TMP/state
cisco_fault "delay-ms=400"

# ip netns exec execs fencer in place: $k is fencer's own pid.
ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" promote --reason killed >"$LAB_TMP/killed.out" 2>&1 &
k=$!
# The kill lands while the session is open: fencing has started.
wait_for 10 grep -q '"command":"promote","step":"fence","switch":"swa".*"outcome":"start"' "$S/journal.jsonl" ||
	lab_die "the first promote never started fencing: $(cat "$LAB_TMP/killed.out")"
kill -9 $k
wait $k 2>/dev/null
check "the killed promote did not finish" lacks '"step":"end"' "$S/journal.jsonl"

cisco_fault
check "promote after the kill -9 succeeds" timeout 20 env LAB_MGMT="$LAB_MGMT" bash -c \
	'ip netns exec "$LAB_MGMT" "$0" -c "$1" promote --reason again >"$2" 2>&1' "$FENCER" "$C" "$OUT" ||
	sed -n '/"reason".*"again"/,$s/^/    # /p' "$S/journal.jsonl" | tail -n 60	# what the run did, to see why
check "  Gi0/1 is down in the kernel" admin_down gi1
check "  Gi0/2 was left alone" admin_up gi2
check "  it did not wait for or report the dead run" hasnt "another promote"
check "  the journal is one JSON object per line" python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)
' "$S/journal.jsonl"
check "  the journal ends with the new run's success" eval 'tail -n1 "$S/journal.jsonl" | grep -q "\"step\":\"end\",\"outcome\":\"ok\""'
check "  fenced.json names the port" grep -q 'GigabitEthernet0/1' "$S/fenced.json"
check "unfence fw1 after the recovery" fencer unfence fw1
check "  Gi0/1 is up again" admin_up gi1
lab_done
