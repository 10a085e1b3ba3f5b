#!/usr/bin/env bash
# A full or read-only state-dir does not stop the fencing: the port still
# goes down in the kernel (fence_ifmib against a real snmpd through the exec
# driver), the failure to journal is reported loudly, and the exit status is
# 3 (done, but not on record). Each case runs in a private mount namespace.
set -u
. "$(dirname "$0")/lib.sh"
lab_init sd
command -v unshare >/dev/null || lab_skip "unshare missing (util-linux)"
: "${FENCER:?FENCER must name the fencer binary}"

lab_ifmib_pair
S=$LAB_TMP/state
mkdir -p "$S"

# $1: how to break the state-dir inside the private mount namespace. The
# tmpfs gets mode 0755: one left at its default 1777 is a state-dir anyone
# may write in, which fencer refuses (fencer.conf(5)).
fence_with_broken_state() {
	unshare -m --propagation private bash -c "
		$1
		ip netns exec $LAB_MGMT $FENCER -c $C fence fw1
	" >"$LAB_TMP/out" 2>&1
}

fence_with_broken_state "mount -t tmpfs -o ro,size=64k,mode=0755 none $S"; rc=$?
[ $rc = 3 ] || lab_die "read-only state-dir: exit $rc, not 3: $(cat "$LAB_TMP/out")"
admin_down p1 || lab_die "read-only state-dir: p1 was not fenced"
grep -q "JOURNAL" "$LAB_TMP/out" || lab_die "read-only state-dir: no loud journal warning: $(cat "$LAB_TMP/out")"
lab_in "$LAB_MGMT" "$FENCER" -c "$C" unfence fw1 --all >/dev/null || lab_die "unfence between the cases failed"
admin_up p1 || lab_die "p1 did not come back"

fence_with_broken_state "mount -t tmpfs -o size=16k,mode=0755 none $S && head -c 16k /dev/zero > $S/filler 2>/dev/null; touch $S/lock $S/journal.jsonl"; rc=$?
[ $rc = 3 ] || lab_die "full state-dir: exit $rc, not 3: $(cat "$LAB_TMP/out")"
admin_down p1 || lab_die "full state-dir: p1 was not fenced"
grep -qi "journal\|fenced.json" "$LAB_TMP/out" || lab_die "full state-dir: the failure is not reported: $(cat "$LAB_TMP/out")"
echo "state-dir faults: fenced anyway, reported, exit 3"
