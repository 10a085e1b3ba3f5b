#!/usr/bin/env bash
# Concurrent runs: 20 promotes started at once run one promotion, the others
# report its outcome; a demote invoked before a promote but reaching the
# lock after it is skipped (keepalived forks notify_backup and
# notify_master back to back); a promote killed with -9 leaves no stale
# lock. The activate/deactivate commands append to a file: its lines are
# the effect.
set -u
. "$(dirname "$0")/lib.sh"
lab_init cc
: "${FENCER:?FENCER must name the fencer binary}"
command -v flock >/dev/null || lab_skip "flock missing (util-linux)"
S=$LAB_TMP/state C=$LAB_TMP/fencer.conf L=$LAB_TMP/bridge.log
mkdir -p "$S"
cat >"$C" <<EOC
[fencer]
node = fw2
state-dir = $S
deadline = 10s
activate = sh -c 'sleep 0.3; echo up >> $L'
deactivate = sh -c 'echo down >> $L'
EOC

# 20 at once: hold the lock while they start, then let go.
exec 9>"$S/lock"
flock 9
pids=()
for i in $(seq 20); do
	"$FENCER" -c "$C" promote --reason "try $i" >"$LAB_TMP/p$i.out" 2>&1 &
	pids+=($!)
done
sleep 0.5
flock -u 9
exec 9>&-
for p in "${pids[@]}"; do wait "$p" || lab_die "a concurrent promote failed"; done
n=$(grep -c '^up$' "$L")
[ "$n" = 1 ] || lab_die "20 concurrent promotes activated $n times, not once"
reported=$(grep -l "another promote ran meanwhile" "$LAB_TMP"/p*.out | wc -l)
[ "$reported" = 19 ] || lab_die "$reported of 19 waiting promotes reported the other's outcome"

# A demote invoked first but reaching the lock last is stale.
: >"$L"
exec 9>"$S/lock"
flock 9
"$FENCER" -c "$C" demote >"$LAB_TMP/d.out" 2>&1 &
d=$!
sleep 0.2
"$FENCER" -c "$C" promote >"$LAB_TMP/p.out" 2>&1 &
p=$!
sleep 0.2
flock -u 9
exec 9>&-
wait $d || lab_die "the stale demote failed"
wait $p || lab_die "the promote failed"
[ "$(tail -n1 "$L")" = up ] || lab_die "the bridge ended $(tail -n1 "$L"): a stale demote undid the promote"

# kill -9 in the middle of a promote: the next one runs, no stale lock.
sed -i 's/sleep 0.3/sleep 5/' "$C"
: >"$L"
"$FENCER" -c "$C" promote >/dev/null 2>&1 &
k=$!
sleep 0.5
kill -9 $k
wait $k 2>/dev/null
sed -i 's/sleep 5/sleep 0.1/' "$C"
timeout 20 "$FENCER" -c "$C" promote || lab_die "promote after a kill -9 failed"
[ "$(tail -n1 "$L")" = up ] || lab_die "promote after a kill -9 did not activate"
grep -q '"step":"activate","outcome":"start"' "$S/journal.jsonl" || lab_die "the journal lost the killed run's start"
echo "concurrency: one promotion of 20, stale demote skipped, kill -9 recovered"
