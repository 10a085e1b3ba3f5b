#!/usr/bin/env bash
# fence_fencer as pacemaker-fenced calls it: key=value lines on stdin. The
# metadata validates against the fence-agents schema; off takes the real
# switch port down in the kernel (here through the exec driver and Debian's
# fence_ifmib against a real snmpd), status answers 2 for off and 0 for on,
# on brings the port back, and injection attempts in port= reach nothing.
set -u
. "$(dirname "$0")/lib.sh"
lab_init fa
: "${FENCER:?FENCER must name the fencer binary}"
AGENT=$(dirname "$FENCER")/fence_fencer
[ -x "$AGENT" ] || lab_die "$AGENT not built"

rng=/usr/share/cluster/relaxng/metadata.rng
if [ -f "$rng" ]; then
	"$AGENT" -o metadata | xmllint --noout --relaxng "$rng" - || lab_die "metadata does not validate"
fi

lab_ifmib_pair
agent() { printf '%s\n' "$@" | lab_in "$LAB_MGMT" "$AGENT"; }

agent "action=status" "port=fw1" "config=$C" "nodename=fw1"; rc=$?
[ $rc = 0 ] || lab_die "status of an up port exited $rc, not 0"
agent "# pacemaker-fenced" "action=off" "plug=fw1" "config=$C" "nodename=fw1" || lab_die "off failed"
admin_down p1 || lab_die "off exited 0 but p1 is up in the kernel"
agent "action=status" "port=fw1" "config=$C"; rc=$?
[ $rc = 2 ] || lab_die "status of a fenced port exited $rc, not 2"
out=$(agent "action=off" "port=sw:p1" "config=$C") || lab_die "second off failed"
[[ $out == *"Already OFF"* ]] || lab_die "second off did not say Already OFF: $out"
agent "action=list" "config=$C" | grep -q '^fw1,' || lab_die "list does not name fw1"
agent "action=on" "port=fw1" "config=$C" || lab_die "on failed"
admin_up p1 || lab_die "on exited 0 but p1 is not up"
agent "action=monitor" "config=$C" || lab_die "monitor failed"

# Injection through port=: refused before anything reaches a switch.
for bad in 'sw:p1;reload' 'sw:p1|x' 'sw:$(reboot)' 'sw:p1 extra'; do
	agent "action=off" "port=$bad" "config=$C" && lab_die "port=$bad was accepted"
done
admin_up p1 || lab_die "an injection attempt took p1 down"
agent "action=off" "port=nosuchnode" "config=$C" && lab_die "an unknown node was accepted"
echo "fence_fencer: metadata valid, off/status/on/list/monitor through the stdin protocol"
