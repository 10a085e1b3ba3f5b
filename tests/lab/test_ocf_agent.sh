#!/usr/bin/env bash
# ocf:fencer:bridge (ocf/bridge, fencer(8) PACEMAKER), as Pacemaker runs
# it: environment variables, one action a run, the OCF exit codes.
#
# 1. ocf-tester (Debian resource-agents) against a bridge in a namespace
#    and a fencer.conf with no switch.
# 2. On fw2 of the whole lab (topo.sh, no keepalived: fw1 forwards, fw2's
#    bridge is down): start, promote, monitor, demote, stop, monitor, with
#    their effects in the kernel: fw2's bridge up or down, fw1's ports
#    fenced on swa and swb, traffic through fw2. Then a promote whose
#    fencing is refused by the switch: exit 1, the bridge stays down; a
#    bridge brought up by hand reads as promoted (8), and a promoted one
#    whose bridge went down as a failed master (9).
set -u
. "$(dirname "$0")/lib.sh"
lab_init oc
: "${FENCER:?FENCER must name the fencer binary}"
top=$(cd "$LAB_HERE/../.." && pwd)
RA=$top/ocf/bridge
command -v ocf-tester >/dev/null || lab_skip "ocf-tester missing (apt-get install resource-agents)"
export OCF_ROOT=/usr/lib/ocf HA_RSCTMP=$LAB_TMP/rsctmp

# ---- 1. ocf-tester -----------------------------------------------------
lab_ns ot
ip -n "$(ns ot)" link add name br0 type bridge || lab_die "bridge"
mkdir -p "$LAB_TMP/ot/state"
cat >"$LAB_TMP/ot/fencer.conf" <<CONF
[fencer]
node = fw
state-dir = $LAB_TMP/ot/state
activate = ip link set dev br0 up
deactivate = ip link set dev br0 down
CONF
chmod 0600 "$LAB_TMP/ot/fencer.conf"
lab_in "$(ns ot)" ocf-tester -n fwbridge -o config="$LAB_TMP/ot/fencer.conf" -o fencer="$FENCER" \
	-o bridge=br0 "$RA" >"$LAB_TMP/ocf-tester.log" 2>&1 ||
	lab_die "ocf-tester failed: $(tail -n 30 "$LAB_TMP/ocf-tester.log")"
grep -q "passed all tests" "$LAB_TMP/ocf-tester.log" || lab_die "ocf-tester: $(cat "$LAB_TMP/ocf-tester.log")"
lacks "^\* rc=" "$LAB_TMP/ocf-tester.log" || lab_die "ocf-tester reported errors: $(grep "^\* rc=" "$LAB_TMP/ocf-tester.log")"
echo "ok - ocf-tester: $(tail -n1 "$LAB_TMP/ocf-tester.log")"
# Without resource-agents' shell functions too (OCF_FUNCTIONS_DIR empty).
lab_in "$(ns ot)" env OCF_FUNCTIONS_DIR="$LAB_TMP/none" ocf-tester -n fwbridge \
	-o config="$LAB_TMP/ot/fencer.conf" -o fencer="$FENCER" -o bridge=br0 "$RA" >"$LAB_TMP/ocf-tester2.log" 2>&1 ||
	lab_die "ocf-tester without ocf-shellfuncs failed: $(tail -n 30 "$LAB_TMP/ocf-tester2.log")"
echo "ok - ocf-tester without ocf-shellfuncs"

# ---- 2. the actions against the lab ------------------------------------
LAB_KEEPALIVED=0
. "$LAB_HERE/topo.sh"
topo_up
lab_link_up "$(ns fw1)" br0 && lab_link_down "$(ns fw2)" br0 || lab_die "the lab did not start with fw1 forwarding"

# ra ACTION: the agent on fw2 as Pacemaker's executor runs it; prints
# nothing, sets RC.
ra() {
	lab_in "$(ns fw2)" env OCF_RESOURCE_INSTANCE=fwbridge:1 OCF_RESKEY_config="$LAB_TMP/fw2/fencer.conf" \
		OCF_RESKEY_fencer="$FENCER" OCF_RESKEY_bridge=br0 OCF_RESKEY_CRM_meta_timeout=30000 \
		"$RA" "$1" >>"$LAB_TMP/ra.log" 2>&1
	RC=$?
	echo "$1 -> $RC" >>"$LAB_TMP/ra.log"
}
expect() {	# ACTION CODE: run it, it must exit CODE
	ra "$1"
	[ "$RC" = "$2" ] || lab_die "$1 exited $RC, not $2: $(tail -n 15 "$LAB_TMP/ra.log")"
}
fw2_br() { lab_link_state "$(ns fw2)" br0; }
fenced() { lab_link_down "$(ns swa)" gi2 && lab_link_down "$(ns swb)" port2; }
fw2_ports_up() { lab_link_up "$(ns swa)" gi3 && lab_link_up "$(ns swb)" port3; }

expect monitor 7
expect validate-all 0
expect start 0
[ "$(fw2_br)" = DOWN ] || lab_die "start brought the bridge up"
expect monitor 0
expect promote 0
[ "$(fw2_br)" = UP ] || lab_die "promote exited 0 but fw2's br0 is down"
fenced || lab_die "promote exited 0 but fw1's ports are not down on swa gi2 and swb port2"
fw2_ports_up || lab_die "fw2's own ports are not up"
wait_for 10 topo_traffic || lab_die "no traffic cli -> srv through fw2"
expect monitor 8
expect promote 0		# promoting a promoted instance changes nothing
fenced && [ "$(fw2_br)" = UP ] || lab_die "a second promote changed the state"
expect demote 0
[ "$(fw2_br)" = DOWN ] || lab_die "demote exited 0 but fw2's br0 is up"
fenced || lab_die "demote gave fw1's ports back: only unfence does"
expect monitor 0
expect stop 0
[ "$(fw2_br)" = DOWN ] || lab_die "stop left the bridge up"
expect monitor 7
echo "ok - start, promote, monitor, demote, stop, monitor: bridge and switch ports as the codes say"

# A promote whose fencing the switch refuses: fw1's ports given back, swa
# ignores shutdown. fencer aborts (on-fence-failure = abort): exit 1, and
# the bridge never comes up.
topo_unfence fw1
lab_link_up "$(ns swa)" gi2 || lab_die "fw1's port on swa not given back"
echo "fault=ignore-shutdown" >>"$LAB_TMP/swa/ios.conf"
expect start 0
expect promote 1
[ "$(fw2_br)" = DOWN ] || lab_die "a promote whose fencing failed brought the bridge up"
grep -q "fencer promote failed: fw2 not promoted" "$LAB_TMP/ra.log" || lab_die "no exit reason in fencer's words: $(tail -n 15 "$LAB_TMP/ra.log")"
expect monitor 0
cp "$LAB_TMP/swa/ios.conf.orig" "$LAB_TMP/swa/ios.conf"

# The kernel is the truth: a bridge up that Pacemaker did not promote
# reads as promoted (Pacemaker then recovers it); stop takes it down.
ip -n "$(ns fw2)" link set dev br0 up
expect monitor 8
expect stop 0
[ "$(fw2_br)" = DOWN ] || lab_die "stop of a bridge brought up by hand left it up"
expect monitor 7
# A promoted instance whose bridge went down is a failed master.
expect start 0
expect promote 0
ip -n "$(ns fw2)" link set dev br0 down
expect monitor 9
expect stop 0
expect monitor 7
echo "ok - a refused fence keeps the bridge down (1); a bridge up by hand reads 8, a promoted one down 9"
echo "ocf:fencer:bridge: ok"
