#!/usr/bin/env bash
# make demo: bring the lab up, fail fw1 (keepalived on fw2 decides and runs
# fencer promote), print fencer's timeline and the data-plane blackout that
# the probe measured from cli to srv, tear everything down.
# Last line: `blackout: N ms`.
# Env: FENCER, LABBIN; DEMO_FAILURE (stop-forwarding | kill | cut-link,
# default stop-forwarding); LAB_ON_FENCE_FAILURE (abort | continue); LAB_A,
# LAB_B (plain = unmanaged switch C on that side); LAB_ADVERT (VRRP advert_int);
# FENCER_LAB_PROFILE (catalyst: switches as slow as a real one, lib.sh's
# lab_profile; `make demo PROFILE=catalyst`); LAB_SERVE=1 (each node runs
# `fencer serve`, its sessions warm; `make demo SERVE=1`).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/topo.sh"
kind=${DEMO_FAILURE:-stop-forwarding}

lab_init dm
lab_profile
echo "== fencer lab demo: failure '$kind', switch A ${LAB_A}, switch B ${LAB_B}, VRRP advert ${LAB_ADVERT}s"
[ "${LAB_SERVE:-0}" = 1 ] && echo "== fencer serve runs on each node: the hooks' fencer uses its warm sessions (docs/serve.md)"
echo "== switch profile ${FENCER_LAB_PROFILE:-default}: ${LAB_LOGIN_MS} ms to the first CLI prompt, ${LAB_CMD_MS} ms a command, ${LAB_SNMP_MS} ms an SNMP request"
[ -x "$FENCER" ] || echo "!! $FENCER is missing: the notify hooks toggle the bridge by hand"
t=$(lab_ms)
topo_up
echo "== lab up in $(($(lab_ms) - t)) ms (prefix $LAB_PFX)"
topo_status | sed 's/^/   /'

lab_probe_start "$(ns cli)" 10.77.1.20
lab_probe_answered
mark=$(wc -l <"$LAB_TMP/fw2/fencer.log")
t0=$(lab_ms)
echo "== $(date +%T.%3N) failing fw1: $kind; the times below are ms after this moment"
topo_fail "$kind"
if wait_for 20 topo_traffic; then
	echo "== traffic is back: a ping from cli to srv got through (the probe below measures the blackout)"
	recovered=1
else
	echo "== traffic NOT back 20 s after the failure"
	recovered=0
fi
# Who holds the VRRP address, as each node's own keepalived sees it: a
# frozen fw1 still holds it (it cannot drop what it cannot run).
holders=$(topo_master)
case "$holders" in
*fw1*fw2*) echo "== the VRRP address is on fw2, the new master, and still on fw1, whose keepalived is frozen or dead and cannot drop it";;
*fw2*) echo "== the VRRP address is on fw2, the new master";;
*fw1*) echo "== the VRRP address is still on fw1 only: fw2 did not take over";;
*) echo "== the VRRP address is on neither node";;
esac
wait_for 15 grep -q "fw2 fencer promote exit" "$LAB_TMP/fw2/fencer.log"
sleep 1
lab_probe_stop

# +N ms after the failure, for a wall clock in seconds (notify.sh's stamps)
since() { awk -v t0="$t0" '{ if ($1 ~ /^[0-9]+\.[0-9]+$/) $1 = sprintf("[%d ms after the failure]", $1 * 1000 - t0); print }'; }
echo "== on fw2: keepalived's notify, then fencer -v, whose timeline counts ms from fencer's own start:"
tail -n +$((mark + 1)) "$LAB_TMP/fw2/fencer.log" | since | sed 's/^/   /'
# the probe's wall clock in ms becomes ms after the failure too
grep '^probe:' "$LAB_TMP/probe.log" | sed -E 's/ from \+[0-9]+ to \+[0-9]+ ms \(wall ([0-9]+)\.\.([0-9]+)\)/ from \1 to \2/' |
	awk -v t0="$t0" '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]{13}$/) $i = sprintf("%+d", $i - t0); print }' |
	sed -E 's/ from ([-+][0-9]+) to ([-+][0-9]+)$/ from \1 to \2 ms after the failure/; s/^probe: /probe (an ICMP echo cli -> srv every 10 ms): /' | sed 's/^/   /'
[ "$PROBE_RECOVERED" = 1 ] || recovered=0
[ $recovered = 1 ] || echo "== traffic did not recover: the blackout below lasted until the probe stopped"
# The blackout (the probe's gap, from its last answer before the failure
# to its first one after) splits into: the wait for the failure itself
# (the probe answered a moment before it), keepalived's detection (failure
# to its notify) and fencer's part (notify to traffic back). They add up.
called=$(tail -n +$((mark + 1)) "$LAB_TMP/fw2/fencer.log" | awk '/fw2 keepalived -> master/ {printf "%d", $1 * 1000; exit}')
gap=$(grep -o 'wall [0-9]*\.\.[0-9]*' "$LAB_TMP/probe.log" | sed 's/wall //')
if [ -n "$called" ] && [ -n "$gap" ] && [ $recovered = 1 ]; then
	last=${gap%..*} back=${gap#*..} from=$t0
	[ "$last" -gt "$t0" ] && from=$last	# an answer was in flight at the failure
	echo "== of the blackout: $((from - last)) ms from the probe's last answer to the failure," \
		"detection $((called - from)) ms (failure to keepalived's notify)," \
		"then $((back - called)) ms from the notify to traffic back"
fi
echo "blackout: ${PROBE_GAP:-0} ms"
[ $recovered = 1 ]
