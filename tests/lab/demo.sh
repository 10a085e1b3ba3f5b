#!/usr/bin/env bash
# make demo: bring the lab up, fail fw1 (keepalived on fw2 decides and runs
# fencer promote), print fencer's timeline and the data-plane blackout that
# the probe measured from cli to srv, tear everything down.
# Last line: `blackout: N ms`.
# Env: FENCER, LABBIN; DEMO_FAILURE (stop-forwarding | kill | cut-link,
# default stop-forwarding); LAB_ON_FENCE_FAILURE (abort | continue); LAB_A,
# LAB_B (plain = unmanaged switch C on that side); LAB_ADVERT (VRRP advert_int).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/topo.sh"
kind=${DEMO_FAILURE:-stop-forwarding}
ms() { echo $(($(date +%s%N) / 1000000)); }

lab_init dm
echo "== fencer lab demo: failure '$kind', switch A ${LAB_A}, switch B ${LAB_B}, VRRP advert ${LAB_ADVERT}s"
[ -x "$FENCER" ] || echo "!! $FENCER is missing: the notify hooks toggle the bridge by hand"
t=$(ms)
topo_up
echo "== lab up in $(($(ms) - t)) ms (prefix $LAB_PFX)"
topo_status | sed 's/^/   /'

lab_probe_start "$(ns cli)" 10.77.1.20
lab_probe_answered
mark=$(wc -l <"$LAB_TMP/fw2/fencer.log")
t0=$(ms)
echo "== $(date +%T.%3N) failing fw1: $kind"
topo_fail "$kind"
if wait_for 20 topo_traffic; then
	echo "== traffic back after $(($(ms) - t0)) ms (ping check); master: $(topo_master)"
	recovered=1
else
	echo "== traffic NOT back 20 s after the failure"
	recovered=0
fi
wait_for 15 grep -q "fw2 fencer promote exit" "$LAB_TMP/fw2/fencer.log"
sleep 1
lab_probe_stop

echo "== fencer on fw2 (keepalived notify -> fencer -v), wall clock in s:"
tail -n +$((mark + 1)) "$LAB_TMP/fw2/fencer.log" | sed 's/^/   /'
echo "== failure injected at $(awk "BEGIN {printf \"%.3f\", $t0 / 1000}")"
grep '^probe:' "$LAB_TMP/probe.log" | sed 's/^/   /'
[ "$PROBE_RECOVERED" = 1 ] || recovered=0
[ $recovered = 1 ] || echo "== traffic did not recover: the blackout below lasted until the probe stopped"
# The blackout splits into keepalived's detection (failure to its notify)
# and fencer's part (notify to the first answer after the gap).
called=$(tail -n +$((mark + 1)) "$LAB_TMP/fw2/fencer.log" | awk '/fw2 keepalived -> master/ {print $1; exit}')
back=$(grep -o 'wall [0-9]*\.\.[0-9]*' "$LAB_TMP/probe.log" | sed 's/.*\.\.//')
if [ -n "$called" ] && [ -n "$back" ] && [ $recovered = 1 ]; then
	echo "== of the blackout: detection $(awk "BEGIN {printf \"%d\", $called * 1000 - $t0}") ms (failure to keepalived's notify)," \
		"then $(awk "BEGIN {printf \"%d\", $back - $called * 1000}") ms from the notify to traffic back"
fi
echo "blackout: ${PROBE_GAP:-0} ms"
[ $recovered = 1 ]
