#!/usr/bin/env bash
# fencer check as a Nagios plugin, against a real snmpd through the exec
# driver (Debian's fence_ifmib): OK with perfdata while all is well, WARNING
# when a port is fenced (drift: unfence it when the node is back), CRITICAL
# when the switch stops answering, said once for the switch and without a
# latency for it; UNKNOWN (3) with a FENCER UNKNOWN line for a broken
# configuration; --json (problems a list) and the Prometheus textfile (mode
# 0644, per-port fenced state, the last promote) say the same.
set -u
. "$(dirname "$0")/lib.sh"
lab_init ck
: "${FENCER:?FENCER must name the fencer binary}"

M=$LAB_TMP/fencer.prom
lab_ifmib_pair "metrics-file = $M"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); assert $1, d"; }

out=$(fencer check); rc=$?
[ $rc = 0 ] || lab_die "check of a healthy switch exited $rc: $out"
[[ $out == "FENCER OK - 1 switch, 2 ports | sw_latency="*ms ]] || lab_die "bad OK line: $out"
grep -q '^fencer_switch_up{switch="sw"} 1$' "$M" || lab_die "metrics file does not say sw is up: $(cat "$M")"
grep -q '^fencer_check_status 0$' "$M" || lab_die "metrics file status is not 0"
[ "$(stat -c %a "$M")" = 644 ] || lab_die "metrics file mode $(stat -c %a "$M"), not 644: node_exporter cannot read it"
grep -q '^fencer_port_fenced{node="fw1",switch="sw",port="p1"} 0$' "$M" || lab_die "no per-port fenced state: $(cat "$M")"

fencer fence fw1 >/dev/null || lab_die "fence failed"
out=$(fencer check); rc=$?
[ $rc = 1 ] || lab_die "check with a fenced port exited $rc, not 1 (WARNING): $out"
[[ $out == "FENCER WARNING - "*"sw p1 of fw1 is fenced"* ]] || lab_die "bad WARNING line: $out"
fencer --json check | json 'd["status"]=="WARNING" and d["exit_code"]==1 and isinstance(d["problems"], list) and "sw p1 of fw1 is fenced" in d["problems"][0]' ||
	lab_die "--json does not say WARNING with a list of problems"
grep -q '^fencer_port_fenced{node="fw1",switch="sw",port="p1"} 1$' "$M" || lab_die "metrics do not say p1 is fenced: $(cat "$M")"
fencer unfence fw1 >/dev/null || lab_die "unfence failed"

# the last promote's outcome, duration and time
fencer promote >/dev/null || lab_die "promote failed"
fencer check >/dev/null
grep -q '^fencer_last_promote_exit_code 0$' "$M" || lab_die "no last promote outcome: $(cat "$M")"
grep -Eq '^fencer_last_promote_duration_seconds [0-9]+\.[0-9]{3}$' "$M" || lab_die "no last promote duration"
t=$(awk '/^fencer_last_promote_timestamp_seconds/ {printf "%d", $2}' "$M")
[ -n "$t" ] && [ $(( $(date +%s) - t )) -lt 600 ] || lab_die "last promote time $t is not now: $(cat "$M")"
fencer unfence fw1 >/dev/null

# a switch that does not answer: said once, no latency for it
lab_kill sw-snmpd
sed -i 's/^timeout = 8s/timeout = 2s/' "$C"
out=$(fencer check); rc=$?
[ $rc = 2 ] || lab_die "check with a dead switch exited $rc, not 2 (CRITICAL): $out"
[[ $out == "FENCER CRITICAL - "*"switch sw"* ]] || lab_die "bad CRITICAL line: $out"
n=$(printf '%s\n' "$out" | grep -o 'fence_ifmib' | wc -l)
[ "$n" = 1 ] || lab_die "the switch's error appears $n times, not once: $out"
[[ $out == *"sw p1"* || $out == *"sw p2"* ]] && lab_die "the dead switch's ports are problems of their own: $out"
[[ $out == *"sw_latency="* ]] && lab_die "perfdata has a latency for a switch that did not answer: $out"
grep -q '^fencer_switch_up{switch="sw"} 0$' "$M" || lab_die "metrics file does not say sw is down"
grep -q '^fencer_switch_latency_seconds{switch="sw"}' "$M" && lab_die "metrics have a latency for a dead switch"

out=$(fencer check nosuchswitch 2>/dev/null); rc=$?
[ $rc = 3 ] && [[ $out == "FENCER UNKNOWN - no [switch nosuchswitch]"* ]] || lab_die "check of an unknown switch: $rc $out"

# a configuration error: UNKNOWN, on stdout, in Nagios form
echo "bogus = 1" >>"$C"
out=$(fencer check 2>/dev/null); rc=$?
[ $rc = 3 ] || lab_die "check with a broken configuration exited $rc, not 3 (UNKNOWN): $out"
[[ $out == "FENCER UNKNOWN - configuration: "*"unknown key 'bogus'"* ]] || lab_die "bad UNKNOWN line: $out"
fencer --json check 2>/dev/null | json 'd["exit_code"]==3 and "unknown key" in d["errors"][0]' ||
	lab_die "--json of a broken configuration is not one document with the errors"
echo "check: OK, WARNING, CRITICAL once per switch, UNKNOWN, --json and metrics"
