#!/usr/bin/env bash
# The data-plane blackout a user feels (tests/lab/probe.c, one ICMP echo
# every 10 ms, longest gap between answered probes), two comparisons:
#
# 1. Announce vs none: switch B plain (bare bridge, 300 s ageing,
#    not in fencer.conf), fw1 fails with stop-forwarding (carrier up, so B
#    keeps cli's MAC on fw1's port), `fencer promote` run directly on fw2
#    (no keepalived), with fw2's [announce] and without it. Probe srv -> cli
#    (the direction that depends on B's stale entry; tests/lab/blackout_lib.sh
#    says why), stopped BENCH_WINDOW s (2) after promote returned. Without
#    announce traffic does not come back before B's entry ages out, so
#    that figure is a lower bound: the window plus the promote. Same
#    topology, reset to the same state before each run, the two modes
#    alternating. BENCH_BLACKOUT_RUNS (5) runs each.
# 2. A whole lab failover with fencer vs without: the demo's lab
#    (swa Cisco-like, swb 3Com-like, keepalived with advert_int 0.1 s),
#    fw1 fails with stop-forwarding, keepalived on fw2 runs its notify
#    hook; with fencer that is `fencer promote` (fence, verify, activate,
#    flush, announce), without fencer the hook only brings the bridge up
#    (topo.sh's notify script when $FENCER is missing). Probe cli -> srv as
#    in `make demo`, failure detection included. A fresh lab per run, the
#    probe stopped when traffic is back or 20 s after the failure.
#    Without fencer the switches keep the stale entries (300 s ageing);
#    only a broadcast from a host can teach them sooner. The hosts' IPv6
#    is off (see failover_run), so that is left to cli's ARP: a
#    broadcast request once its entry for srv has left REACHABLE (15-45 s
#    after it was confirmed) and the 5 s delay and unicast probes failed.
#    When the 20 s run out first, the figure is a lower bound and the row
#    says in how many runs. BENCH_FAILOVER_RUNS (3) runs each.
# About 2 to 3 minutes in all on the 2-core machine.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/lib.sh"
. "$here/../lab/topo.sh"
. "$here/../lab/blackout_lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
RUNS1=${BENCH_BLACKOUT_RUNS:-5}
RUNS2=${BENCH_FAILOVER_RUNS:-3}
WINDOW=${BENCH_WINDOW:-2}
out=$(mktemp -d /tmp/fencer-bench-blackout.XXXXXX)
trap 'rm -rf "$out"' EXIT

# 1. One lab; each run prints "with|without GAP RECOVERED".
announce_runs() (
	LAB_CLEANUP=()
	LAB_B=plain LAB_KEEPALIVED=0
	lab_init bb
	blackout_up >&2
	local with without i mode conf
	with=$(blackout_conf with-announce yes)
	without=$(blackout_conf without-announce no)
	for ((i = 0; i < RUNS1; i++)); do
		for mode in with without; do
			conf=$with
			[ $mode = without ] && conf=$without
			blackout_reset "$conf" >&2
			blackout_promote "$conf" "$WINDOW" >&2
			[ "$BO_RC" = 0 ] || lab_die "promote $mode announce exited $BO_RC: $(tail -n5 "$LAB_TMP/promote.log")"
			echo "$mode $BO_GAP $BO_RECOVERED"
		done
	done
)

# 2. One fresh lab per run; prints "GAP RECOVERED". $1: fencer | none.
failover_run() (
	LAB_CLEANUP=()
	LAB_A=cisco LAB_B=3com LAB_KEEPALIVED=1
	[ "$1" = none ] && FENCER=$out/no-fencer	# the notify hook toggles br0 by hand
	lab_init bf
	topo_up >&2
	# Hosts that have been up a while: the IPv6 chatter of a fresh link
	# (router solicitations 2-4 s after link-up, seen on the wire) would
	# teach the switches by chance. ARP stays dynamic, as on real hosts.
	for h in cli srv; do
		lab_in "$(ns $h)" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
	local rec=1 h
	lab_probe_start "$(ns cli)" 10.77.1.20
	lab_probe_answered
	topo_fail stop-forwarding
	wait_for 20 topo_traffic || rec=0
	wait_for 5 grep -q "fw2 fencer promote exit\|fw2 fencer missing" "$LAB_TMP/fw2/fencer.log"
	if [ "$1" = fencer ] && ! grep -q "fw2 fencer promote exit 0" "$LAB_TMP/fw2/fencer.log"; then
		lab_die "fw2's promote did not succeed: $(tail -n5 "$LAB_TMP/fw2/fencer.log")"
	fi
	sleep 0.3
	lab_probe_stop
	[ "$PROBE_RECOVERED" = 1 ] || rec=0
	[ -n "$PROBE_GAP" ] || lab_die "no max_gap_ms from the probe"
	echo "$PROBE_GAP $rec"
)

announce_runs >"$out/announce" || exit 1
for ((i = 0; i < RUNS2; i++)); do
	failover_run fencer >>"$out/fencer" || exit 1
	failover_run none >>"$out/none" || exit 1
done

echo "bench_blackout: announce runs (mode gap_ms recovered):" $(cat "$out/announce") >&2
echo "bench_blackout: failover with fencer (gap_ms recovered):" $(cat "$out/fencer") \
	"; without fencer:" $(cat "$out/none") >&2
col() { awk -v m="$1" -v c="$2" '$1 == m || m == "" {print $c}' "$3"; }
unrec() { awk -v m="$1" -v c="$2" '($1 == m || m == "") && $c == 0' "$3" | wc -l; }
fw=$(bench_median $(col with 2 "$out/announce"))
fwo=$(bench_median $(col without 2 "$out/announce"))
nw=$(unrec with 3 "$out/announce") nwo=$(unrec without 3 "$out/announce")
bench_row "blackout behind a plain switch B, fw1 stop-forwarding, \`fencer promote\` on fw2, srv -> cli (not back in $nw of $RUNS1 runs; peer: the same promote without [announce], not back within ${WINDOW} s of promote returning in $nwo of $RUNS1 runs: a lower bound)" \
	"$fw" "$fwo" "$RUNS1"
ff=$(bench_median $(col "" 1 "$out/fencer"))
fn=$(bench_median $(col "" 1 "$out/none"))
nf=$(unrec "" 2 "$out/fencer") nn=$(unrec "" 2 "$out/none")
bench_row "blackout of a lab failover (Cisco + 3Com switches, keepalived advert 0.1 s, fw1 stop-forwarding, cli -> srv, detection included) with fencer (not back within 20 s in $nf of $RUNS2 runs; peer: keepalived's notify only brings the bridge up, no fencer; not back within 20 s of the failure in $nn of $RUNS2 runs: a lower bound then)" \
	"$ff" "$fn" "$RUNS2"
