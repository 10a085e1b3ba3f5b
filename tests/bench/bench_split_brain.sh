#!/usr/bin/env bash
# The split-brain race and what a rule for it costs a failover:
#
# 1. The race of tests/lab/split_lib.sh (adverts dropped on the sync link,
#    both HA daemons started together, both promote), BENCH_SPLIT_TRIALS
#    (100) trials for each of BENCH_SPLIT_VARIANTS (keepalived-track
#    keepalived-notrack ucarp) on one topology reset before every trial.
#    Rows: the share of trials that ended with one winner (the other end
#    states in the figure's name), and the median time from the daemons'
#    start to both promotes' exit. The per-trial lines and the table of
#    end states go to stderr. About 4 to 5 s a trial on the 2-core machine.
# 2. The blackout of a real failover with the adverts flowing (the demo's
#    lab: swa Cisco-like, swb 3Com-like, keepalived with tracking, advert
#    0.1 s), in both directions: fw1, the node that wins a race by
#    default, fails while master and fw2 takes over; and fw2 fails while
#    master and fw1 takes over. A rule that holds back the other node when
#    both promote may cost a failover time when the peer is really dead:
#    this is where it shows. The node fails with stop-forwarding; probe
#    cli -> srv, failure detection included, stopped when traffic is back
#    or 20 s after the failure, as in bench_blackout.sh. A fresh lab per
#    run, the directions alternating; BENCH_SPLIT_FAILOVER_RUNS (5) each.
#    One row: fencer column fw1 failing, peer column fw2 failing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/lib.sh"
. "$here/../lab/topo.sh"
. "$here/../lab/split_lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
[ -x "$LABBIN/loopwatch" ] || { echo "bench_split_brain: $LABBIN/loopwatch is not built" >&2; exit 1; }
for t in keepalived ucarp nft; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench_split_brain: $t missing (tests/deps.sh)" >&2; exit 1; }
done
TRIALS=${BENCH_SPLIT_TRIALS:-100}
VARIANTS=${BENCH_SPLIT_VARIANTS:-$SPLIT_VARIANTS_ALL}
RUNS=${BENCH_SPLIT_FAILOVER_RUNS:-5}
out=$(mktemp -d /tmp/fencer-bench-split.XXXXXX)
trap 'rm -rf "$out"' EXIT

# 1. One lab; prints the trials' records.
race_trials() (
	LAB_CLEANUP=()
	lab_init bs
	split_up >&2
	local v i
	for v in $VARIANTS; do
		for ((i = 1; i <= TRIALS; i++)); do
			split_trial "$v" "$i"
			split_line "$(tail -n1 "$SPLIT_RECORDS")" >&2
		done
	done
	split_ha_stop
	cat "$SPLIT_RECORDS"
)

# 2. One fresh lab; fwN (master) fails, the other takes over. Prints
# "GAP RECOVERED".
failover_run() (
	LAB_CLEANUP=()
	LAB_A=cisco LAB_B=3com LAB_KEEPALIVED=1 LAB_TRACK=1
	lab_init bx
	topo_up >&2
	local n=$1 o=fw$((3 - $1)) rec=1 m h
	# As in bench_blackout.sh: no IPv6 chatter to teach the switches by chance.
	for h in cli srv; do
		lab_in "$(ns $h)" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
	if [ "$n" = 2 ]; then
		# fw2 becomes master the way an operator would do it: fw1's
		# keepalived stops, fw2 promotes; fw1 comes back as backup.
		m=$(wc -l <"$LAB_TMP/fw2/fencer.log")
		topo_stop_keepalived 1
		wait_for 20 eval 'tail -n +$((m + 1)) "$LAB_TMP/fw2/fencer.log" | grep -q "fw2 fencer promote exit 0"' ||
			lab_die "fw2 did not take over: $(tail -n5 "$LAB_TMP/fw2/fencer.log")"
		topo_unfence fw1
		m=$(wc -l <"$LAB_TMP/fw1/fencer.log")
		topo_keepalived 1
		wait_for 15 eval 'tail -n +$((m + 1)) "$LAB_TMP/fw1/fencer.log" | grep -q "fw1 keepalived -> backup"' ||
			lab_die "fw1 did not come back as backup"
		wait_for 10 topo_traffic || lab_die "no traffic through fw2"
	fi
	m=$(wc -l <"$LAB_TMP/$o/fencer.log")
	lab_probe_start "$(ns cli)" 10.77.1.20
	sleep 1
	topo_fail stop-forwarding "$n"
	wait_for 20 topo_traffic || rec=0
	wait_for 5 eval 'tail -n +$((m + 1)) "$LAB_TMP/$o/fencer.log" | grep -q "$o fencer promote exit"'
	tail -n +$((m + 1)) "$LAB_TMP/$o/fencer.log" | grep -q "$o fencer promote exit 0" ||
		lab_die "$o's promote did not succeed: $(tail -n5 "$LAB_TMP/$o/fencer.log")"
	sleep 0.3
	lab_probe_stop
	[ "$PROBE_RECOVERED" = 1 ] || rec=0
	[ -n "$PROBE_GAP" ] || lab_die "no max_gap_ms from the probe"
	echo "$PROBE_GAP $rec"
)

race_trials >"$out/records" || exit 1
split_table "$out/records" >&2
for ((i = 0; i < RUNS; i++)); do
	failover_run 1 >>"$out/fw1-fails" || exit 1
	failover_run 2 >>"$out/fw2-fails" || exit 1
done
echo "bench_split_brain: failover gap_ms recovered, fw1 failing:" $(cat "$out/fw1-fails") \
	"; fw2 failing:" $(cat "$out/fw2-fails") >&2

for v in $VARIANTS; do
	read -r n one fw1 fw2 split loop none other zero loops <<<"$(awk -F'|' -v v="$v" '$1 == v {
		n++; c[$3]++; if ($3 == "one-winner") w[$4]++; l += $13
		if ($7 ~ /^0(,0)*$/ && $8 ~ /^0(,0)*$/) z++}
		END {print n + 0, c["one-winner"] + 0, w["fw1"] + 0, w["fw2"] + 0, c["split"] + 0,
			c["loop"] + 0, c["none"] + 0, c["other"] + 0, z + 0, l + 0}' "$out/records")"
	gap=$(bench_median $(awk -F'|' -v v="$v" '$1 == v && $16 != "-" {print $16}' "$out/records"))
	pct=$(awk -v a="$one" -v n="$n" 'BEGIN {printf "%.0f", n ? 100 * a / n : 0}')
	bench_row "split-brain race, $v (adverts dropped on sync, both daemons started together, fw2 master a median $gap ms after fw1): trials that ended with one winner ($fw1 fw1, $fw2 fw2; split $split, loop $loop, none $none, other $other; every promote exited 0 in $zero; loops the sampler broke: $loops)" \
		"$pct" - "$n" %
	race=$(bench_median $(awk -F'|' -v v="$v" '$1 == v && $17 != "-" {print $17}' "$out/records"))
	bench_row "split-brain race, $v: from both daemons started to both promotes exited" "$race" - "$n"
done
unrec() { awk '$2 == 0' "$1" | wc -l; }
bench_row "blackout of a failover with the adverts flowing (Cisco + 3Com switches, keepalived with tracking, advert 0.1 s, stop-forwarding, cli -> srv, detection included): fw1, the node that wins a race, fails and fw2 takes over (not back within 20 s in $(unrec "$out/fw1-fails") of $RUNS runs); peer column: the other direction, fw2 fails and fw1 takes over (not back in $(unrec "$out/fw2-fails") of $RUNS runs)" \
	"$(bench_median $(awk '{print $1}' "$out/fw1-fails"))" "$(bench_median $(awk '{print $1}' "$out/fw2-fails"))" "$RUNS"
