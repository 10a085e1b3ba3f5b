#!/usr/bin/env bash
# The split-brain race: both nodes of the pair promote at once, and exactly
# one may win. The adverts are dropped on the sync link in both
# directions, both HA daemons start together, both become master within a
# few ms and both run `fencer promote` (split_lib.sh: the trial, the
# sampler, the end states). SPLIT_TRIALS (10) trials for each of
# SPLIT_VARIANTS (keepalived-track keepalived-notrack ucarp), on one
# topology reset before every trial. A trial whose promotes did not overlap
# (a daemon's timer fired a period late on a loaded machine) is not a race
# and is run again, three times at most.
#
# Asserted for every trial:
#  - both nodes ran promote (the race happened); with keepalived's
#    tracking, a node whose ports the other fenced before its own master
#    timer ran out goes FAULT instead, and that is accepted;
#  - the end state is one winner: its ports up on both switches, the
#    other node's down on both, only its bridge up; where both promoted,
#    the winner is SPLIT_WINNER (fw1, the node whose name sorts first;
#    "any" accepts either);
#  - cli pings srv through the winner;
#  - every promote of the loser (if it ran one) exited 1, and its output
#    says "lost the fence race to" the winner; every promote of the
#    winner exited 0 (with tracking the winner may promote twice: its
#    ports flapped during the race, keepalived went FAULT and back). A
#    promote skipped as stale (keepalived's master then fault, the demote
#    invoked after it ran first) did not race, on either side;
#  - the sampler ran all through the race (still running when stopped,
#    samples > 0, no failed read) and saw no loop: both bridges up with
#    both nodes' ports up on both switches. A loop it sees it breaks at
#    once (both bridges down) and counts.
# And once: the rule really dropped adverts on both nodes.
# The end states of each variant are printed as a table first, whatever
# the checks say.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/topo.sh"
. "$here/split_lib.sh"
lab_init sb
[ -x "$FENCER" ] || lab_die "FENCER ($FENCER) is not built"
[ -x "$LABBIN/loopwatch" ] || lab_die "$LABBIN/loopwatch is not built"
for t in keepalived ucarp nft; do
	command -v "$t" >/dev/null 2>&1 || lab_skip "lab: $t missing (tests/deps.sh)"
done
TRIALS=${SPLIT_TRIALS:-10}
VARIANTS=${SPLIT_VARIANTS:-$SPLIT_VARIANTS_ALL}
WANT=${SPLIT_WINNER:-fw1}
[ "$TRIALS" -ge 1 ] 2>/dev/null || lab_die "SPLIT_TRIALS must be a number of trials, 1 or more"

split_up
echo "lab up: prefix $LAB_PFX; $TRIALS trials of each of: $VARIANTS"
for v in $VARIANTS; do
	for ((i = 1; i <= TRIALS; i++)); do
		for ((try = 1; ; try++)); do
			split_trial "$v" "$i"
			split_line "$(tail -n1 "$SPLIT_RECORDS")"
			[ "$SPLIT_RACED" = 1 ] && break
			# A daemon's timer a period late (ucarp's advbase is 1 s)
			# makes two failovers, not a race: the later one takes
			# the switches (docs/split-brain.md). Not what this
			# test is about; run the trial again, three times at most.
			[ "$try" -lt 3 ] || lab_die "$v trial $i: the promotes did not overlap in $try tries"
			echo "   $v trial $i: one promote ended before the other began (not a race); again"
			sed -i '$d' "$SPLIT_RECORDS"
		done
	done
done
split_ha_stop
echo
split_table "$SPLIT_RECORDS"
echo

fails=0
want_records=$((TRIALS * $(wc -w <<<"$VARIANTS")))
[ "$(wc -l <"$SPLIT_RECORDS")" -eq "$want_records" ] || lab_die "$(wc -l <"$SPLIT_RECORDS") trial records, not $want_records"
# verdict WHAT AWK-CONDITION: the trials (variant:trial) where it fails.
verdict() {
	local bad
	bad=$(awk -F'|' -v want="$WANT" "!($2) {printf \"%s:%s \", \$1, \$2}" "$SPLIT_RECORDS")
	if [ -z "$bad" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1 (failed in: $bad)"
		fails=$((fails + 1))
	fi
}
# Fields: see split_lib.sh. Loser and winner checks only where there is a
# winner; a trial without one already failed "one winner".
loser='($4 == "fw1" ? $8 : $7)' winner='($4 == "fw1" ? $7 : $8)' lost='($4 == "fw1" ? $10 : $9)'
verdict "both nodes ran promote in every trial (the race), but for one that keepalived's tracking put in FAULT first" \
	'($7 != "-" || $21 > 0) && ($8 != "-" || $22 > 0)'
verdict "every trial ended with one winner: its ports up on both switches, the other's down, only its bridge up" \
	'$3 == "one-winner"'
verdict "the winner is $WANT wherever both promoted (one that went FAULT first did not race)" \
	'$3 != "one-winner" || want == "any" || $4 == want || $7 ~ /^(-|s(,s)*)$/ || $8 ~ /^(-|s(,s)*)$/'
verdict "cli pings srv at the end of every trial" '$6 == 1'
verdict "every promote of the loser exited 1, never 0 (or was skipped as stale)" \
	"\$3 != \"one-winner\" || $loser ~ /^(-|[1s](,[1s])*)\$/"
verdict "the loser's output says \"lost the fence race to\" the winner" \
	"\$3 != \"one-winner\" || $loser ~ /^(-|s(,s)*)\$/ || $lost > 0"
verdict "every promote of the winner exited 0 (or was skipped as stale), one at least 0" \
	"\$3 != \"one-winner\" || ($winner ~ /^[0s](,[0s])*\$/ && $winner ~ /0/)"
verdict "the sampler ran all through every race (still running at its stop, samples > 0, no failed read)" \
	'$15 == 1 && $11 > 0 && $12 == 0'
verdict "the sampler saw no loop (both bridges up with both nodes' ports up on both switches)" '$13 == 0'
d1=$(split_dropped 1) d2=$(split_dropped 2)
if [ "${d1:-0}" -gt 0 ] && [ "${d2:-0}" -gt 0 ]; then
	echo "ok - the rule dropped adverts leaving both nodes (fw1 $d1, fw2 $d2)"
else
	echo "not ok - the rule dropped adverts leaving both nodes (fw1 ${d1:-?}, fw2 ${d2:-?})"
	fails=$((fails + 1))
fi
if [ $fails -gt 0 ]; then
	echo "$fails checks failed"
	grep LOOP "$LAB_TMP/loopwatch-all.log" | head -n 20
	[ -s "$LAB_TMP/unsettled.log" ] && head -n 80 "$LAB_TMP/unsettled.log"
	exit 1
fi
echo "split brain: every race of every variant ended with one winner, no loop"
