#!/usr/bin/env bash
# The exec driver end to end: fencer runs Debian's real fence_ifmib, which
# speaks SNMP to a real snmpd in the switch namespace; fencing must take the
# switch port down in the kernel, unfencing bring it back. The community is
# passed through option-file and must not show up in argv or the journal.
set -u
. "$(dirname "$0")/lib.sh"
lab_init ex
: "${FENCER:?FENCER must name the fencer binary}"

lab_ifmib_pair
chmod 0644 "$C"

fencer configtest || lab_die "configtest failed"
admin_up p1 || lab_die "p1 is not up before the test"

fencer -v fence fw1 || lab_die "fence fw1 failed"
admin_down p1 || lab_die "fence fw1 exited 0 but p1 is still up in the kernel"
admin_up p2 || lab_die "p2 (fw2's port, not fw1's) is not up"
grep -q '"port": "p1"' "$LAB_TMP/state/fenced.json" || lab_die "fenced.json does not record sw p1"
fencer status | grep -E '^fw1 +sw +p1 +down +since ' || lab_die "status does not show p1 down and fenced"

fencer -v unfence fw1 || lab_die "unfence fw1 failed"
admin_up p1 || lab_die "unfence fw1 exited 0 but p1 is not up"
lacks '"port"' "$LAB_TMP/state/fenced.json" || lab_die "fenced.json still lists a port (or cannot be read)"

# The community never leaves its file: not in the journal, not in output.
community=$(cat "$LAB_TMP/sw/rw.community")
lacks -F -- "$community" "$LAB_TMP/state/journal.jsonl" || lab_die "the community is in the journal (or it cannot be read)"

# A port the switch does not have: fencer fails and says so.
sed -i 's/^port = sw p1$/port = sw p9/' "$C"
out=$(fencer fence fw1 2>&1) && lab_die "fencing a missing port succeeded"
printf '%s\n' "$out" | grep -q "p9" || lab_die "the error does not name the port: $out"
lacks -F -- "$community" <<<"$out" || lab_die "the community is in an error message"
echo "exec driver: fence_ifmib fenced and unfenced p1 through fencer"
