# tests/lab/split_lib.sh: the split-brain race of a firewall pair, for
# test_split_brain.sh and tests/bench/bench_split_brain.sh. Source after
# lib.sh and topo.sh.
#
# A split brain as it really starts: the nodes stop hearing each other's
# adverts on the sync link while both are alive and connected. An nftables
# rule in each firewall namespace drops IP protocol 112 (VRRP; ucarp's
# CARP adverts use it too) as it leaves sync, so neither hears the other.
# It sits on the netdev egress hook of sync, not on an inet input or
# output chain: ucarp sends whole frames through a packet socket (no inet
# output hook) and reads adverts with pcap (which sees a frame before any
# input hook). keepalived's adverts are dropped there too. ucarp then logs
# `write() has failed: No buffer space available` for every advert: that
# is the rule at work.
#
# One trial (split_trial VARIANT I):
#  1. reset: both HA daemons stopped (their stop hooks demote), every
#     switch port given back (topo_unfence both: `fencer unfence` from the
#     peer, then `ip link set up` on the switches), both bridges down;
#  2. the sampler (loopwatch.c) starts and says `ready`;
#  3. both daemons start held at a gate (LAB_HA_WRAP), which opens for both
#     at once; fw1's is held back a little longer, by the difference of the
#     two nodes' master-down timers (SPLIT_HOLD, seconds: keepalived's
#     priorities 150 and 100 at advert 0.1 s make 0.0195, ucarp's advskew
#     0 and 10 at advbase 1 s 0.039), so both become master within a few
#     ms (the masters' gap), and each runs `fencer promote`;
#  4. wait until both promotes have exited (their exit lines in the notify
#     logs), then until the pair has settled: no fencer or hook running in
#     either firewall, no new log line and no port or bridge change for
#     SPLIT_QUIET seconds (1.5: keepalived with tracking may go FAULT,
#     BACKUP and MASTER again and promote once more, and a promote's
#     announce rounds go on for about a second after it exits);
#  5. the sampler stops and reports; the end state is read from the real
#     switch ports (swa gi2/gi3, swb port2/port3) and bridges (br0 of fw1
#     and fw2); cli pings srv (SPLIT_PING seconds, 5).
#
# Variants: keepalived-track (track_interface a0 b0, as topo.sh),
# keepalived-notrack (LAB_TRACK=0) and ucarp (topo_ucarp, deadratio 1: the
# adverts are dropped anyway, so a backup becomes master 1 s after start).
#
# End states (sets of nodes: R bridges up, A ports up on swa, B on swb):
#   one-winner  R = A = B = {N}: N's ports up on both switches, the other's
#               down on both, only N's bridge up
#   loop        R = A = B = {fw1, fw2}: both forward between both switches
#   split       A != B: the switches disagree
#   none        no node is active and connected on both switches
#   other       anything else, described (e.g. both bridges up, one node's
#               ports)
#
#   split_up                 topo_up without HA daemons, the rule, the gate
#   split_trial VARIANT I    one trial; appends its record to $SPLIT_RECORDS,
#                            sets SPLIT_RACED (0: one promote ended before
#                            the other began, two failovers, not a race)
#   split_ha_stop            stop every HA daemon, wait for their hooks
#   split_table FILE         the end states per variant, from records
#   split_dropped N          VRRP/CARP adverts the rule dropped on fwN
#
# A record is one line, fields separated by "|":
#   variant|trial|class|winner|state|ping|exits1|exits2|lost1|lost2|
#   samples|failed|loops|both_bridges|alive|gap_ms|race_ms|trial_ms|
#   sum1|sum2|fault1|fault2
# exitsN: the exit codes of fwN's promotes in the trial, in order ("-":
# none); lostN: fwN's lines saying "lost the fence race to" the other node;
# samples..alive: the sampler (alive 1 if it still ran when stopped);
# gap_ms: from fw1's first master notification to fw2's (negative when
# fw2's came first); race_ms: from
# the gate to the later first promote's exit; sumN: fwN's promote summary
# lines, " / " between them; faultN: fwN's keepalived FAULT notifications
# (with tracking, a node whose ports the other fenced before its own
# master timer ran out goes FAULT and never promotes: no race then).

: "${SPLIT_QUIET:=1.5}" "${SPLIT_PING:=5}"
SPLIT_VARIANTS_ALL="keepalived-track keepalived-notrack ucarp"

split_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }

split_up() {
	local n
	LAB_KEEPALIVED=0 topo_up
	for n in 1 2; do
		lab_in "$(ns fw$n)" nft -f - <<-'EOF' || lab_die "nft: the VRRP drop rule in fw$n"
		table netdev splitlab {
			chain sync_out {
				type filter hook egress device "sync" priority 0;
				ip protocol 112 counter drop
			}
		}
		EOF
	done
	cat >"$LAB_TMP/gate.sh" <<-'EOF'
	#!/bin/sh
	# split_lib.sh: gate.sh GATE HOLD CMD...: once the file GATE exists,
	# HOLD seconds more, then become CMD
	gate=$1 hold=$2
	shift 2
	while [ ! -e "$gate" ]; do sleep 0.002; done
	[ "$hold" = 0 ] || sleep "$hold"
	exec "$@"
	EOF
	SPLIT_RECORDS=$LAB_TMP/split-records
	: >"$SPLIT_RECORDS"
}

split_dropped() {
	lab_in "$(ns fw$1)" nft list chain netdev splitlab sync_out 2>/dev/null |
		awk '/counter packets/ {for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1)}'
}

# A fencer, a hook script or an announce process still runs in a firewall:
# anything there but the HA daemons themselves.
split_busy() {
	local n pid comm
	for n in 1 2; do
		for pid in $(ip netns pids "$(ns fw$n)" 2>/dev/null); do
			comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
			case $comm in keepalived|ucarp) ;; *) return 0;; esac
		done
	done
	return 1
}

# SIGTERM to every HA daemon at once, then wait for each: keepalived runs
# notify_stop and ucarp (--shutdown) its down script, both `fencer demote`;
# then for every process in the firewalls to be gone (hooks, fencer,
# announce rounds).
split_ha_stop() {
	local name pids=() names=() i
	for name in fw1-keepalived fw2-keepalived fw1-ucarp fw2-ucarp; do
		[ -f "$LAB_TMP/$name.pid" ] || continue
		names+=("$name")
		pids+=("$(cat "$LAB_TMP/$name.pid")")
		kill "${pids[-1]}" 2>/dev/null
	done
	for i in "${!names[@]}"; do
		wait_for 10 eval "! kill -0 ${pids[i]} 2>/dev/null"
		lab_kill "${names[i]}"
	done
	wait_for 20 split_empty ||
		lab_die "processes left in fw1 or fw2 20 s after the daemons stopped: $(split_empty -v)"
	# keepalived refuses to start while its pid files name a process
	rm -f "$LAB_TMP"/fw[12]/keepalived.pid "$LAB_TMP"/fw[12]/vrrp.pid
}

split_empty() {	# no process left in either firewall (-v: name them)
	local pids p
	pids=$(ip netns pids "$(ns fw1)"; ip netns pids "$(ns fw2)")
	if [ "${1:-}" = -v ]; then
		for p in $pids; do printf '%s ' "$(cat "/proc/$p/comm" 2>/dev/null)"; done
	fi
	[ -z "$pids" ]
}

split_ha_start() {	# split_ha_start VARIANT N (held at the gate)
	local hold=0 LAB_HA_WRAP
	case $1 in
	keepalived-*) [ "$2" = 1 ] && hold=${SPLIT_HOLD:-0.0195};;
	ucarp) [ "$2" = 1 ] && hold=${SPLIT_HOLD:-0.039};;
	esac
	LAB_HA_WRAP="sh $LAB_TMP/gate.sh $LAB_TMP/gate $hold"
	case $1 in
	keepalived-track) LAB_TRACK=1 topo_keepalived "$2";;
	keepalived-notrack) LAB_TRACK=0 topo_keepalived "$2";;
	ucarp) LAB_UCARP_DEADRATIO=1 topo_ucarp "$2";;
	*) lab_die "unknown variant $1 ($SPLIT_VARIANTS_ALL)";;
	esac
}

split_reset() {
	local pids=()
	split_ha_stop
	topo_unfence fw1 & pids+=($!)
	topo_unfence fw2 & pids+=($!)
	wait "${pids[@]}"
	ip -n "$(ns fw1)" link set dev br0 down
	ip -n "$(ns fw2)" link set dev br0 down
	split_read
	[ "$SPLIT_R $SPLIT_A $SPLIT_B" = "- fw1,fw2 fw1,fw2" ] ||
		lab_die "reset: expected both bridges down and every port up, found $(split_state)"
}

# split_read: the sets of nodes whose bridge is up (SPLIT_R) and whose
# ports are up on swa (SPLIT_A) and swb (SPLIT_B), "fw1,fw2", "fw1", "-".
split_set() { local s=; $1 && s=fw1; $2 && s=${s:+$s,}fw2; echo "${s:--}"; }
split_read() {
	local f1=$(ns fw1) f2=$(ns fw2) a=$(ns swa) b=$(ns swb)
	SPLIT_R=$(split_set "lab_link_up $f1 br0" "lab_link_up $f2 br0")
	SPLIT_A=$(split_set "lab_link_up $a gi2" "lab_link_up $a gi3")
	SPLIT_B=$(split_set "lab_link_up $b port2" "lab_link_up $b port3")
}
split_state() { echo "bridges up: $SPLIT_R; ports up on swa: $SPLIT_A, on swb: $SPLIT_B"; }

# split_classify: SPLIT_CLASS and SPLIT_WINNER from SPLIT_R/A/B.
split_classify() {
	local r=$SPLIT_R a=$SPLIT_A b=$SPLIT_B n
	SPLIT_WINNER=-
	if [ "$r" = fw1,fw2 ] && [ "$a" = fw1,fw2 ] && [ "$b" = fw1,fw2 ]; then
		SPLIT_CLASS=loop
	elif [ "$r" = "$a" ] && [ "$a" = "$b" ] && { [ "$r" = fw1 ] || [ "$r" = fw2 ]; }; then
		SPLIT_CLASS=one-winner SPLIT_WINNER=$r
	elif [ "$a" != "$b" ]; then
		SPLIT_CLASS=split
	else
		SPLIT_CLASS=none
		for n in fw1 fw2; do
			case ",$r," in *",$n,"*) ;; *) continue;; esac
			case ",$a," in *",$n,"*) SPLIT_CLASS=other;; esac
		done
	fi
}

# What a node's notify log says since line SINCE:
# "exits|lost|master|exit|sums|faults" (master, exit: wall-clock stamps of
# its first master notification and of its first promote's exit line;
# exits: each promote's exit code, "s" for one skipped as stale because a
# demote invoked after it had run: keepalived's master, then fault).
split_node() {
	local n=$1 since=$2 other=fw$((3 - ${1#fw}))
	tail -n +$((since + 1)) "$LAB_TMP/$n/fencer.log" 2>/dev/null | awk -v n="$n" -v other="$other" '
		$2 == n && ($3 == "keepalived" || $3 == "ucarp") && ($5 == "master" || $5 == "up") && m == "" {m = $1}
		/^promote skipped: / {skip = 1}
		$2 == n && $3 == "fencer" && $4 == "promote" && $5 == "exit" {
			ex = ex (ex == "" ? "" : ",") (skip ? "s" : $6); skip = 0; if (e == "") e = $1}
		index($0, "lost the fence race to " other) {lost++}
		$2 == n && $3 == "keepalived" && $5 == "fault" {fault++}
		/^[ \t]/ && /fail/ {sub(/^[ \t]+/, ""); s = s (s == "" ? "" : " / ") $0; next}
		/^[0-9]+\.[0-9]+ fw[12] / || /^[ \t]/ || /^fencer: / || / demoted/ || /^demote skipped/ || NF == 0 {next}
		{s = s (s == "" ? "" : " / ") $0}
		END {printf "%s|%d|%s|%s|%s|%d\n", ex == "" ? "-" : ex, lost, m, e, s, fault}'
}

# Both nodes are through their part since the marks: a promote exited, or
# keepalived went FAULT (then split_settle waits for what it runs).
split_promoted() {
	grep -q "fw1 fencer promote exit\|fw1 keepalived -> fault" < <(tail -n +$(($1 + 1)) "$LAB_TMP/fw1/fencer.log") &&
		grep -q "fw2 fencer promote exit\|fw2 keepalived -> fault" < <(tail -n +$(($2 + 1)) "$LAB_TMP/fw2/fencer.log")
}

# split_settle QUIET_S MAX_S: nothing ran and nothing changed for QUIET_S.
split_settle() {
	local quiet end since sig last=
	quiet=$(awk -v q="$1" 'BEGIN {printf "%d", q * 1000}')
	since=$(split_ms) end=$(($(split_ms) + $2 * 1000))
	while :; do
		sig=$(cat "$LAB_TMP/fw1/fencer.log" "$LAB_TMP/fw2/fencer.log" "$LAB_TMP/loopwatch.log" 2>/dev/null | wc -c)
		if split_busy || [ "$sig" != "$last" ]; then
			since=$(split_ms) last=$sig
		fi
		[ $(($(split_ms) - since)) -ge "$quiet" ] && return 0
		[ "$(split_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# The sampler: loopwatch on both bridges and the four switch ports.
split_watch_start() {
	lab_spawn loopwatch - "$LABBIN/loopwatch" "$(ns fw1):br0" "$(ns fw2):br0" \
		"$(ns swa):gi2" "$(ns swa):gi3" "$(ns swb):port2" "$(ns swb):port3"
	wait_for 10 grep -qx ready "$LAB_TMP/loopwatch.log" ||
		lab_die "the sampler did not start: $(cat "$LAB_TMP/loopwatch.log")"
}

# Sets W_ALIVE (1: it still ran), W_SAMPLES, W_FAILED, W_BOTH, W_LOOPS.
split_watch_stop() {
	local pid line
	pid=$(cat "$LAB_TMP/loopwatch.pid")
	W_ALIVE=0
	kill -0 "$pid" 2>/dev/null && W_ALIVE=1
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$LAB_TMP/loopwatch.pid"
	line=$(grep '^samples ' "$LAB_TMP/loopwatch.log")
	read -r _ W_SAMPLES _ W_FAILED _ W_BOTH _ W_LOOPS <<<"${line:-samples 0 failed 0 both-bridges-up 0 loops 0}"
	cat "$LAB_TMP/loopwatch.log" >>"$LAB_TMP/loopwatch-all.log"
}

split_trial() {
	local v=$1 i=$2 t0 m1 m2 open n1 n2 exits1 lost1 mst1 ex1 sum1 f1 exits2 lost2 mst2 ex2 sum2 f2
	local ping=0 gap race state
	t0=$(split_ms)
	split_reset
	m1=$(wc -l <"$LAB_TMP/fw1/fencer.log") m2=$(wc -l <"$LAB_TMP/fw2/fencer.log")
	rm -f "$LAB_TMP/gate"
	echo "== $v trial $i" >>"$LAB_TMP/loopwatch-all.log"
	split_watch_start
	split_ha_start "$v" 1
	split_ha_start "$v" 2
	open=$(split_ms)
	: >"$LAB_TMP/gate"
	wait_for 30 split_promoted "$m1" "$m2" || lab_log "$v trial $i: not both promotes exited within 30 s"
	split_settle "$SPLIT_QUIET" 30 || lab_log "$v trial $i: the pair did not settle within 30 s"
	split_watch_stop
	split_read
	split_classify
	state=$(split_state)
	[ "$W_LOOPS" = 0 ] || state="$state (after the sampler broke $W_LOOPS loops)"
	wait_for "$SPLIT_PING" topo_traffic && ping=1
	n1=$(split_node fw1 "$m1") n2=$(split_node fw2 "$m2")
	IFS='|' read -r exits1 lost1 mst1 ex1 sum1 f1 <<<"$n1"
	IFS='|' read -r exits2 lost2 mst2 ex2 sum2 f2 <<<"$n2"
	# The two promotes raced if each began before the other's first one
	# ended; a node that went FAULT first (no master time) raced as well.
	SPLIT_RACED=$(awk -v m1="$mst1" -v m2="$mst2" -v e1="$ex1" -v e2="$ex2" \
		'BEGIN {print (m1 == "" || m2 == "" || e1 == "" || e2 == "" || (m2 < e1 && m1 < e2)) ? 1 : 0}')
	gap=$(awk -v a="$mst1" -v b="$mst2" 'BEGIN {if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000}')
	race=$(awk -v a="$ex1" -v b="$ex2" -v o="$open" 'BEGIN {if (a == "" || b == "") print "-"; else printf "%d", (a > b ? a : b) * 1000 - o}')
	printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$v" "$i" "$SPLIT_CLASS" \
		"$SPLIT_WINNER" "$state" "$ping" "$exits1" "$exits2" "$lost1" "$lost2" "$W_SAMPLES" \
		"$W_FAILED" "$W_LOOPS" "$W_BOTH" "$W_ALIVE" "$gap" "$race" "$(($(split_ms) - t0))" "$sum1" "$sum2" \
		"$f1" "$f2" \
		>>"$SPLIT_RECORDS"
	# A trial without one winner keeps what both nodes logged, for the end.
	if [ "$SPLIT_CLASS" != one-winner ]; then
		{
			echo "== $v trial $i: $SPLIT_CLASS: $state"
			tail -n +$((m1 + 1)) "$LAB_TMP/fw1/fencer.log" | grep -v '^fencer: *[0-9]*ms ' | sed 's/^/  fw1 /'
			tail -n +$((m2 + 1)) "$LAB_TMP/fw2/fencer.log" | grep -v '^fencer: *[0-9]*ms ' | sed 's/^/  fw2 /'
		} >>"$LAB_TMP/unsettled.log"
	fi
}

# split_line RECORD: one trial, for a person.
split_line() {
	awk -F'|' '
		function ex(e, f) {return e (e == "-" && f > 0 ? " (went FAULT first)" : "")}
		{printf "%-18s %3s  %-10s %-3s ping %s  promote exits fw1 %s, fw2 %s; fw2 master %s ms after fw1, promotes done %s ms after the start, trial %s ms; sampler: %s samples (%s with both bridges up), %s failed, %s loops\n      %s\n      fw1: %s\n      fw2: %s\n",
		$1, $2, $3, $4, $6 ? "ok" : "FAIL", ex($7, $21), ex($8, $22), $16, $17, $18, $11, $14, $12, $13, $5, $19, $20}' <<<"$1"
}

# split_table FILE: one row per variant, then every end state but one
# winner, with how often it came.
split_table() {
	awk -F'|' '
		!($1 in seen) {seen[$1] = 1; order[++nv] = $1}
		{t[$1]++; c[$1, $3]++; if ($7 != "-" && $8 != "-") r[$1]++; if ($3 == "one-winner") w[$1, $4]++; if ($6) p[$1]++
		 if ($7 ~ /^0(,0)*$/ && $8 ~ /^0(,0)*$/) z[$1]++; l[$1] += $13}
		END {
			printf "%-20s %6s %6s %20s %6s %5s %5s %6s %11s %8s %16s\n", "variant", "trials", "races",
				"one-winner (fw1/fw2)", "split", "loop", "none", "other", "loops seen", "ping ok", "all promotes 0"
			for (i = 1; i <= nv; i++) {
				v = order[i]
				printf "%-20s %6d %6d %20s %6d %5d %5d %6d %11d %8d %16d\n", v, t[v], r[v],
					sprintf("%d (%d/%d)", c[v, "one-winner"], w[v, "fw1"], w[v, "fw2"]), c[v, "split"],
					c[v, "loop"], c[v, "none"], c[v, "other"], l[v], p[v], z[v]
			}
		}' "$1"
	awk -F'|' '$3 != "one-winner" {n[$1 ": " $3 ": " $5 (!$6 ? "; no ping through" : "")]++}
		END {for (k in n) printf "  %s (%dx)\n", k, n[k]}' "$1" | sort
}
