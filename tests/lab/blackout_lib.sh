# tests/lab/blackout_lib.sh: the data-plane blackout of one `fencer promote`
# on fw2 behind an unmanaged switch, for test_blackout.sh and
# tests/bench/bench_blackout.sh. Source after lib.sh, with LAB_B=plain and
# LAB_KEEPALIVED=0 exported before topo.sh is sourced: the test calls
# promote itself, so no VRRP timer sits in the figure.
#
# Why the probe runs srv -> cli: fw1 is frozen with its carrier up, so the
# plain switch B (no management, 300 s ageing) keeps cli's MAC on port2
# (fw1's b0) and sends every frame for cli there. Switch A is fenced and
# flushed by fencer, so nothing stale is left on that side. A probe from
# cli would heal B by itself (its first request through fw2 teaches B where
# cli is); from srv only fencer's RARP for cli's MAC (out of fw2's b0) can.
# The hosts are quiet (static ARP, no IPv6) so that no stray frame of cli
# teaches B either.
#
#   blackout_up                    topo_up, quiet hosts; BO_CLI_MAC
#   blackout_conf NAME yes|no      fw2's fencer.conf with or without its
#                                  [announce] section: prints the path
#   blackout_reset CONF            fw1 forwards again, fw2 backup, fw1's
#                                  ports up; every bridge table flushed and
#                                  relearnt through fw1 (B: cli on port2)
#   blackout_promote CONF WINDOW   probe srv -> cli, fail fw1
#                                  (stop-forwarding), promote fw2 with CONF,
#                                  stop the probe WINDOW seconds after
#                                  promote returned. Sets BO_RC (promote's
#                                  exit), BO_GAP (longest gap, ms) and
#                                  BO_RECOVERED (1: replies came back)
#   blackout_b_port                the switch B port cli's MAC is on now

blackout_up() {
	topo_up
	lab_quiet_hosts "$(ns cli)" eth0 10.77.1.10 "$(ns srv)" eth0 10.77.1.20
	BO_CLI_MAC=$(topo_mac cli)
}

blackout_conf() {
	local out=$LAB_TMP/fw2/$1.conf
	if [ "$2" = yes ]; then
		cp "$LAB_TMP/fw2/fencer.conf" "$out"
	else
		awk '/^\[/ {skip = ($0 == "[announce]")} !skip' "$LAB_TMP/fw2/fencer.conf" >"$out"
	fi
	chmod 0644 "$out"
	echo "$out"
}

blackout_flush_all() {
	local n
	for n in swa swb fw1 fw2; do
		ip -n "$(ns $n)" link set dev br0 type bridge fdb_flush
	done
}

blackout_b_port() {
	bridge -n "$(ns swb)" fdb show br br0 | awk -v m="$BO_CLI_MAC" '$1 == m {print $3; exit}'
}

blackout_reset() {
	local conf=$1 f2=$(ns fw2)
	ip netns exec "$f2" "$FENCER" -c "$conf" demote >>"$LAB_TMP/reset.log" 2>&1 ||
		lab_die "fencer demote on fw2 failed: $(tail -n3 "$LAB_TMP/reset.log")"
	ip netns exec "$f2" "$FENCER" -c "$conf" unfence fw1 --all >>"$LAB_TMP/reset.log" 2>&1 ||
		lab_die "fencer unfence fw1 failed: $(tail -n3 "$LAB_TMP/reset.log")"
	lab_link_up "$(ns swa)" gi2 || lab_die "swa gi2 (fw1) still down after unfence"
	ip -n "$(ns fw1)" link set dev br0 up
	blackout_flush_all
	wait_for 10 topo_traffic || lab_die "no traffic cli -> srv through fw1 after the reset"
	[ "$(blackout_b_port)" = port2 ] ||
		lab_die "switch B did not learn cli on port2 (fw1): '$(blackout_b_port)'"
}

blackout_promote() {
	local conf=$1 window=$2
	lab_probe_start "$(ns srv)" 10.77.1.10
	lab_probe_answered	# traffic flows before the failure: the gap starts at it
	topo_fail stop-forwarding
	ip netns exec "$(ns fw2)" "$FENCER" -c "$conf" -v promote >>"$LAB_TMP/promote.log" 2>&1
	BO_RC=$?
	sleep "$window"
	lab_probe_stop
	cat "$LAB_TMP/probe.log" >>"$LAB_TMP/probes.log"
	BO_GAP=$PROBE_GAP BO_RECOVERED=$PROBE_RECOVERED
	[ -n "$BO_GAP" ] || lab_die "the probe printed no max_gap_ms: $(cat "$LAB_TMP/probe.log")"
}
