#!/usr/bin/env bash
# fencer check as a Nagios plugin, against a real snmpd through the exec
# driver (Debian's fence_ifmib): OK with perfdata while all is well, WARNING
# when a port is fenced (drift: unfence it when the node is back), CRITICAL
# when the switch stops answering; --json and the Prometheus textfile say
# the same.
set -u
. "$(dirname "$0")/lib.sh"
lab_init ck
: "${FENCER:?FENCER must name the fencer binary}"

M=$LAB_TMP/fencer.prom
lab_ifmib_pair "metrics-file = $M"
fencer() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@"; }

out=$(fencer check); rc=$?
[ $rc = 0 ] || lab_die "check of a healthy switch exited $rc: $out"
[[ $out == "FENCER OK - 1 switch, 1 port | sw_latency="*ms ]] || lab_die "bad OK line: $out"
grep -q '^fencer_switch_up{switch="sw"} 1$' "$M" || lab_die "metrics file does not say sw is up: $(cat "$M")"
grep -q '^fencer_check_status 0$' "$M" || lab_die "metrics file status is not 0"

fencer fence fw1 >/dev/null || lab_die "fence failed"
out=$(fencer check); rc=$?
[ $rc = 1 ] || lab_die "check with a fenced port exited $rc, not 1 (WARNING): $out"
[[ $out == "FENCER WARNING - "*"sw p1 of fw1 is fenced"* ]] || lab_die "bad WARNING line: $out"
fencer --json check | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["status"]=="WARNING" and d["exit_code"]==1, d' ||
	lab_die "--json does not say WARNING"

lab_kill sw-snmpd
sed -i 's/^timeout = 8s/timeout = 2s/' "$C"
out=$(fencer check); rc=$?
[ $rc = 2 ] || lab_die "check with a dead switch exited $rc, not 2 (CRITICAL): $out"
[[ $out == "FENCER CRITICAL - "*"switch sw"* ]] || lab_die "bad CRITICAL line: $out"
grep -q '^fencer_switch_up{switch="sw"} 0$' "$M" || lab_die "metrics file does not say sw is down"
echo "check: OK, WARNING and CRITICAL as a Nagios plugin, with metrics"
