# tests/lab/faults_lib.sh: sourced by the fault-matrix tests (test_faults_*.sh)
# after lib.sh or cisco_lib.sh.
#
# The lab's kernel may have no sch_netem (lab_netem then fails), so the
# management link of a switch is impaired in userspace instead: impair.py
# relays the frames between the switch's m-NAME veth and the management
# bridge, delaying them both ways and dropping those toward the switch at a
# loss rate (see impair.py). ARP is spared, so a switch that drops
# everything looks silent (a timeout), not absent ("no route to host").
#
#   impair_insert NAME         put the relay on NAME's management link
#                              (transparent until impair is called)
#   impair NAME DELAY_MS LOSS_PCT | impair NAME off
#   run_timed ARGS...          fencer ARGS from the management namespace under
#                              a guard timeout; sets RC and ELAPSED_MS, output
#                              in $OUT (and appended to $LAB_TMP/all.out)
#   before_deadline MS         fencer returned before MS + 3 s of slack
#   journal STEP OUTCOME [SWITCH]   $LAB_TMP/state/journal.jsonl has that line

impair_insert() {
	local name=$1 m=m-$1 i=i-$1 j=j-$1 p
	m=${m:0:15} i=${i:0:15} j=${j:0:15}
	ip -n "$LAB_MGMT" link set dev "$m" nomaster
	lab_veth "$LAB_MGMT" "$i" "$LAB_MGMT" "$j"
	lab_enslave "$LAB_MGMT" mbr "$i"
	# One MTU large enough for any frame the senders' offloads hand the
	# relay in one piece (it sees them before segmentation).
	for p in "$m" "$i" "$j"; do ip -n "$LAB_MGMT" link set dev "$p" mtu 65535; done
	ip -n "$LAB_PFX-$name" link set dev mgmt0 mtu 65535
	impair "$name" 0 0
}

impair() {
	local name=$1 m=m-$1 j=j-$1
	m=${m:0:15} j=${j:0:15}
	lab_kill "impair-$name"
	[ "$2" = off ] && set -- "$1" 0 0
	lab_spawn "impair-$name" "$LAB_MGMT" python3 -u "$LAB_HERE/impair.py" "$m" "$j" "$2" "$3"
	wait_for 10 grep -q "relaying" "$LAB_TMP/impair-$name.log" ||
		lab_die "impair.py did not start: $(cat "$LAB_TMP/impair-$name.log")"
}

run_timed() {
	local t0
	t0=$(date +%s%N)
	timeout -k 5 120 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1
	RC=$?
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
	cat "$OUT" >>"$LAB_TMP/all.out"
	echo "    # fencer $* -> exit $RC after $ELAPSED_MS ms"
}

before_deadline() { [ "$ELAPSED_MS" -lt $(($1 + 3000)) ]; }

journal() {
	local sw=${3:+"\"switch\":\"$3\".*"}
	grep -Eq "\"step\":\"$1\".*$sw\"outcome\":\"$2\"" "$LAB_TMP/state/journal.jsonl"
}
