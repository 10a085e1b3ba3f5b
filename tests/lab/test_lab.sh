#!/usr/bin/env bash
# The whole topology through the `lab` script: it comes up, traffic flows
# cli -> srv through fw1 (fw2's bridge down), a cut link fails over to fw2
# with traffic back, and `lab down` leaves no namespace, process or file.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
lab_init tl
export LAB_STATE=$LAB_TMP/lab.state
# The failover must not depend on the switch drivers being built: their own
# tests cover on-fence-failure = abort.
export LAB_ON_FENCE_FAILURE=continue

lab_on_exit '[ -f "$LAB_STATE" ] && "$here/lab" down'
t=$(lab_ms)
"$here/lab" up || lab_die "lab up failed"
echo "lab up took $(($(lab_ms) - t)) ms"
. "$LAB_STATE"
fw() { ip netns exec "$LAB_PFX-$1" "${@:2}"; }
cli_mac=$(ip -n "$LAB_PFX-cli" -br link show dev eth0 | awk '{print $3}')

check "traffic cli -> srv" fw cli ping -c3 -i0.2 -W1 10.77.1.20
check "fw1 forwards: it learned cli on a0" eval "bridge -n $LAB_PFX-fw1 fdb show br br0 | grep -q '^$cli_mac dev a0 '"
check "fw2 is backup: its bridge is down" lab_link_down "$LAB_PFX-fw2" br0
check "lab status runs" "$here/lab" status
"$here/lab" status | sed 's/^/   /'

t=$(lab_ms)
check "cut-link failover: traffic back through fw2" "$here/lab" failover cut-link
echo "failover (cut-link) to traffic back took $(($(lab_ms) - t)) ms"
check "fw2's bridge is up" lab_link_up "$LAB_PFX-fw2" br0
check "fw2 forwards: it learned cli on a0" eval "fw cli ping -c2 -i0.2 -W1 10.77.1.20 && bridge -n $LAB_PFX-fw2 fdb show br br0 | grep -q '^$cli_mac dev a0 '"
tail -n 20 "$LAB_TMP/fw2/fencer.log" | sed "s/^/   fw2: /"
lab_tmp=$LAB_TMP
LAB_TMP=$(dirname "$LAB_STATE")	# our own temp dir again (the state overwrote it)

t=$(lab_ms)
"$here/lab" down
echo "lab down took $(($(lab_ms) - t)) ms"
# Absence, read positively: the listing worked (pgrep says 1 for "none").
check "no namespace left" eval 'ns_now=$(ip netns list) && lacks "^$LAB_PFX-" <<<"$ns_now"'
check "no process left" eval 'pgrep -f "$lab_tmp"; [ $? -eq 1 ]'
check "no files left" test ! -e "$lab_tmp"

lab_done "lab topology checks passed"
