#!/usr/bin/env bash
# Concurrent runs: 20 promotes started at once run one promotion, the others
# report its outcome; a demote invoked before a promote but reaching the
# lock after it is skipped (keepalived forks notify_backup and
# notify_master back to back); a promote killed with -9 leaves no stale
# lock. The activate/deactivate commands append to a file: its lines are
# the effect. Every step waits for the event itself (a process holding the
# lock file open, the activate hook running), never for a while.
set -u
. "$(dirname "$0")/lib.sh"
lab_init cc
: "${FENCER:?FENCER must name the fencer binary}"
command -v flock >/dev/null || lab_skip "flock missing (util-linux)"
S=$LAB_TMP/state C=$LAB_TMP/fencer.conf L=$LAB_TMP/bridge.log
mkdir -p "$S"
conf() {	# conf ACTIVATE-SHELL-LINE
	cat >"$C" <<-EOC
	[fencer]
	node = fw2
	state-dir = $S
	deadline = 10s
	activate = sh -c '$1; echo up >> $L'
	deactivate = sh -c 'echo down >> $L'
	EOC
}
# at_lock PID...: every PID has the lock file open: it is in its wait for
# the lock (fencer opens the file, then polls flock), not still starting.
# (They are started without the test's own descriptor 9 on that file.)
at_lock() {
	local p
	for p in "$@"; do
		readlink /proc/"$p"/fd/* 2>/dev/null | grep -qxF "$S/lock" || return 1
	done
}
conf 'sleep 0.3'

# 20 at once: hold the lock while they start, then let go.
exec 9>"$S/lock"
flock 9
pids=()
for i in $(seq 20); do
	"$FENCER" -c "$C" promote --reason "try $i" >"$LAB_TMP/p$i.out" 2>&1 9>&- &
	pids+=($!)
done
wait_for 30 at_lock "${pids[@]}" || lab_die "the 20 promotes did not all reach the lock"
flock -u 9
exec 9>&-
for p in "${pids[@]}"; do wait "$p" || lab_die "a concurrent promote failed"; done
n=$(grep -c '^up$' "$L")
[ "$n" = 1 ] || lab_die "20 concurrent promotes activated $n times, not once"
reported=$(grep -l "another promote ran meanwhile" "$LAB_TMP"/p*.out | wc -l)
[ "$reported" = 19 ] || lab_die "$reported of 19 waiting promotes reported the other's outcome"

# A demote invoked first but reaching the lock last is stale. The demote
# is stopped while it waits at the lock and let go once the promote ran:
# it takes the lock last, every time.
: >"$L"
exec 9>"$S/lock"
flock 9
"$FENCER" -c "$C" demote >"$LAB_TMP/d.out" 2>&1 9>&- &
d=$!
wait_for 30 at_lock $d || lab_die "the demote did not reach the lock"
kill -STOP $d
"$FENCER" -c "$C" promote >"$LAB_TMP/p.out" 2>&1 9>&- &
p=$!
wait_for 30 at_lock $p || lab_die "the promote did not reach the lock"
flock -u 9
exec 9>&-
wait $p || lab_die "the promote failed"
kill -CONT $d
wait $d || lab_die "the stale demote failed"
[ "$(cat "$L")" = up ] || lab_die "the bridge went $(paste -sd' ' "$L"): a stale demote undid the promote"
grep -q "demote skipped: a promote invoked after it has already run" "$LAB_TMP/d.out" ||
	lab_die "the stale demote did not say it was skipped: $(cat "$LAB_TMP/d.out")"

# keepalived's master, fault, master again, its scripts not waited for:
# promote A is in its activate hook while a demote D and a promote B,
# invoked in that order, wait at the lock. Whichever of D and B takes the
# lock first, the bridge ends up: B stands for the latest transition.
# hold_a: A's activate waits for $LAB_TMP/go.
conf "while [ ! -e $LAB_TMP/go ]; do sleep 0.02; done"
mfm() {	# mfm FIRST: "demote" or "promote" takes the lock first after A
	local a d b first=$1 last
	: >"$L"
	rm -f "$LAB_TMP/go"
	"$FENCER" -c "$C" promote --reason A >"$LAB_TMP/a.out" 2>&1 9>&- &
	a=$!
	wait_for 30 grep -q '"step":"activate","outcome":"start"' "$S/journal.jsonl" ||
		lab_die "promote A did not reach its activate hook"
	"$FENCER" -c "$C" demote >"$LAB_TMP/d.out" 2>&1 9>&- &
	d=$!
	wait_for 30 at_lock $d || lab_die "the demote did not reach the lock"
	"$FENCER" -c "$C" promote --reason B >"$LAB_TMP/b.out" 2>&1 9>&- &
	b=$!
	wait_for 30 at_lock $b || lab_die "promote B did not reach the lock"
	if [ "$first" = demote ]; then last=$b; else last=$d; fi
	kill -STOP $last
	touch "$LAB_TMP/go"
	wait $a || lab_die "promote A failed"
	if [ "$first" = demote ]; then wait $d; else wait $b; fi || lab_die "the first waiting run failed"
	kill -CONT $last
	wait $last || lab_die "the last waiting run failed"
	[ "$(tail -n1 "$L")" = up ] ||
		lab_die "$first first: the bridge went $(paste -sd' ' "$L"): it ends down though promote B came last"
}
: >"$S/journal.jsonl"
mfm promote
grep -q "demote skipped: a promote invoked after it has already run" "$LAB_TMP/d.out" ||
	lab_die "promote B first: the demote did not say it was stale: $(cat "$LAB_TMP/d.out")"
: >"$S/journal.jsonl"
mfm demote
[ "$(paste -sd' ' "$L")" = "up down up" ] || lab_die "demote first: the bridge went $(paste -sd' ' "$L")"

# kill -9 in the middle of a promote (inside its activate hook, which says
# so by writing its pid): the next one runs, no stale lock.
conf "echo \$\$ > $LAB_TMP/hook.pid; exec sleep 30"
: >"$L"
: >"$S/journal.jsonl"
"$FENCER" -c "$C" promote >/dev/null 2>&1 &
k=$!
wait_for 30 test -s "$LAB_TMP/hook.pid" || lab_die "the promote never ran its activate hook"
kill -9 $k
wait $k 2>/dev/null
kill "$(cat "$LAB_TMP/hook.pid")"	# the orphaned hook
grep -q '"step":"activate","outcome":"start"' "$S/journal.jsonl" || lab_die "the journal lost the killed run's start"
lacks '"step":"end"' "$S/journal.jsonl" || lab_die "the killed run has an end in the journal"
conf 'true'
timeout 20 "$FENCER" -c "$C" promote || lab_die "promote after a kill -9 failed"
[ "$(cat "$L")" = up ] || lab_die "promote after a kill -9 did not activate (once): $(cat "$L")"
echo "concurrency: one promotion of 20, stale demote skipped, master-fault-master up, kill -9 recovered"
