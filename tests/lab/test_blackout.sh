#!/usr/bin/env bash
# Behind an unmanaged switch, the announce is what brings traffic
# back. Switch B is plain (a bare bridge, 300 s ageing, not in fencer.conf),
# fw1 fails with stop-forwarding (br0 down, carrier up: B keeps cli's MAC on
# fw1's port), and the test runs `fencer promote` on fw2 itself (no
# keepalived), twice on the same topology reset to the same state: once
# with fw2's [announce] (the static `mac =` lines topo.sh writes), once
# without it. A probe from srv to cli measures each blackout (why that
# direction: blackout_lib.sh).
# Asserts: both promotes exit 0; with announce the probe sees replies again
# and B has learned cli on fw2's port3; without it B still sends cli's
# frames to fw1's port2 and the blackout is longer than with announce (the
# ordering only, never a time); both figures are printed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
export LAB_B=plain LAB_KEEPALIVED=0
. "$here/topo.sh"
. "$here/blackout_lib.sh"
lab_init bo
[ -x "$FENCER" ] || lab_die "$FENCER not built"
[ -x "$LABBIN/probe" ] || lab_die "$LABBIN/probe not built"
WINDOW=3	# seconds the probe runs on after promote returned

blackout_up
with=$(blackout_conf with-announce yes)
without=$(blackout_conf without-announce no)
lacks '^\[announce\]' "$without" || lab_die "the conf without announce still has [announce]"

declare -A gap rec port rc
for mode in without with; do
	conf=$with
	[ $mode = without ] && conf=$without
	blackout_reset "$conf"
	blackout_promote "$conf" "$WINDOW"
	gap[$mode]=$BO_GAP rec[$mode]=$BO_RECOVERED rc[$mode]=$BO_RC port[$mode]=$(blackout_b_port)
	echo "promote $mode announce: exit ${rc[$mode]}, blackout ${gap[$mode]} ms$([ "${rec[$mode]}" = 0 ] &&
		echo " (traffic not back ${WINDOW} s after promote returned)"), switch B has cli on ${port[$mode]:-nothing}"
done
sed 's/^/   /' "$LAB_TMP/probes.log"

check "promote with announce exits 0" test "${rc[with]}" = 0
check "promote without announce exits 0" test "${rc[without]}" = 0
check "with announce, srv -> cli traffic comes back" test "${rec[with]}" = 1
check "with announce, switch B learned cli on port3 (fw2)" test "${port[with]}" = port3
check "without announce, switch B still sends cli's frames to port2 (fw1)" test "${port[without]}" = port2
check "blackout with announce < blackout without" test "${gap[with]}" -lt "${gap[without]}"
echo "blackout with announce: ${gap[with]} ms; without announce: ${gap[without]} ms$([ "${rec[without]}" = 0 ] &&
	echo " (not back within the probe's window)")"
if [ "$LAB_FAILS" -gt 0 ]; then
	echo "fw2's promotes:"
	sed 's/^/   /' "$LAB_TMP/promote.log"
fi
lab_done "blackout checks passed"
