#!/usr/bin/env bash
# The command line as a new user meets it: --version and -V; every
# command's help says what it does, its options and an example; `fence` of
# this node itself is refused without --force; a dry run prints only what
# would run; --json is always exactly one JSON document, errors included;
# fence_fencer never answers success for a node without a port. Nothing
# here reaches a switch: the exec driver's agent writes what it is asked
# into a file, which must stay empty where nothing may run.
set -u
. "$(dirname "$0")/lib.sh"
lab_init cl
: "${FENCER:?FENCER must name the fencer binary}"
AGENT=$(dirname "$FENCER")/fence_fencer

C=$LAB_TMP/fencer.conf CALLS=$LAB_TMP/calls OUT=$LAB_TMP/out
# a fence agent that keeps each port's state in a file and logs its calls
cat >"$LAB_TMP/agent" <<EOF
#!/bin/sh
in=\$(cat)
printf '%s\n\n' "\$in" >>$CALLS
port=\$(printf '%s\n' "\$in" | sed -n 's/^port=//p')
case \$(printf '%s\n' "\$in" | sed -n 's/^action=//p') in
off) touch $LAB_TMP/off-\$port;;
on) rm -f $LAB_TMP/off-\$port;;
status) [ -e $LAB_TMP/off-\$port ] && exit 2;;
esac
exit 0
EOF
chmod 0755 "$LAB_TMP/agent"
cat >"$C" <<EOF
[fencer]
node = fw2
state-dir = $LAB_TMP/state
[switch sw]
driver = exec
agent = $LAB_TMP/agent
[node fw1]
port = sw 1
[node fw2]
port = sw 2
EOF
chmod 0644 "$C"
fencer() { "$FENCER" -c "$C" "$@" >"$OUT" 2>"$OUT.err"; }
one_json() {	# the whole stdout is one JSON document
	/usr/bin/python3 -c 'import json,sys; json.loads(sys.stdin.read())' <"$OUT" ||
		lab_die "--json $*: stdout is not one JSON document: $(cat "$OUT")"
}

# --- version --------------------------------------------------------------------
for v in --version -V version; do
	fencer $v || lab_die "fencer $v exited $?"
	head -n1 "$OUT" | grep -Eq '^fencer [0-9]+\.[0-9]+\.[0-9]+$' || lab_die "fencer $v: $(head -n1 "$OUT")"
done
echo "ok - --version, -V and version print the version"

# --- every command's help: what, options, example -----------------------------------
cmds=$("$FENCER" help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on=0}')
for c in $cmds; do
	fencer "$c" --help || lab_die "fencer $c --help exited $?"
	must_have "usage: fencer" "$c --help"
	must_have "options:" "$c --help"
	grep -q "^example" "$OUT" || lab_die "$c --help has no example: $(cat "$OUT")"
	[ "$(sed -n 3p "$OUT")" != "" ] || lab_die "$c --help does not say what it does"
done
fencer fence --help
must_have "--force" "fence --help"
must_have "fencer -v fence fw1" "fence --help example"
echo "ok - every command's help says what it does, its options and an example"

# --- check SWITCH: that switch only ----------------------------------------------------------
cp "$C" "$C.one"
printf '[switch other]\ndriver = exec\nagent = %s/agent\n' "$LAB_TMP" >>"$C"
sed -i 's/^\[node fw1\]$/&\nport = other 7/' "$C"
fencer check sw || lab_die "check sw exited $?: $(cat "$OUT")"
grep -q "^FENCER OK - 1 switch, 2 ports | sw_latency=[0-9]*ms$" "$OUT" || lab_die "check sw: $(cat "$OUT")"
grep -q "port=7" "$CALLS" && lab_die "check sw read switch other: $(cat "$CALLS")"
: >"$CALLS"
fencer check || lab_die "check exited $?: $(cat "$OUT")"
grep -q "^FENCER OK - 2 switches, 3 ports" "$OUT" || lab_die "check: $(cat "$OUT")"
mv "$C.one" "$C"
: >"$CALLS"
echo "ok - check SWITCH checks that switch only"

# --- fencing this node ------------------------------------------------------------------
fencer fence fw2; rc=$?
[ $rc = 2 ] || lab_die "fence of this node itself exited $rc, not 2"
grep -q "fw2 is this node" "$OUT.err" || lab_die "no reason given: $(cat "$OUT.err")"
[ -s "$CALLS" ] && lab_die "fence of this node reached the agent: $(cat "$CALLS")"
fencer fence fw2 --force || lab_die "fence fw2 --force exited $?: $(cat "$OUT" "$OUT.err")"
grep -q "port=2" "$CALLS" || lab_die "fence --force did not reach the agent"
: >"$CALLS"
echo "ok - fence of this node refused without --force"

# --- the dry run: only what would run -----------------------------------------------------
sed -i 's/^\[switch sw\]$/&\nflush = none/' "$C"
fencer -n promote || lab_die "dry promote exited $?"
must_have "would fence sw 1 (node fw1" "dry promote"
for w in flush announce notify activate; do must_lack "$w" "dry promote with no $w configured"; done
printf 'activate = ip link set dev br0 up\n' >"$LAB_TMP/act"
sed -i "/^state-dir/r $LAB_TMP/act" "$C"
fencer -n promote
must_have "would run activate: ip link set dev br0 up" "dry promote with activate"
must_lack "flush" "dry promote with flush = none"
[ -s "$CALLS" ] && lab_die "a dry run reached the agent: $(cat "$CALLS")"
echo "ok - the dry run prints only what would run"

# --- --json: always one document -----------------------------------------------------------------
for args in "-n promote" "-n fence fw1" "-n demote" "configtest" "version" "help" "fence --help" \
    "fence" "fence nosuchnode" "fence fw2" "bogus" "check" "trust sw" "learn" "-n flush"; do
	fencer --json $args
	one_json "$args"
done
fencer --json -n promote
/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["dry_run"] and any("would fence sw 1" in l for l in d["plan"]), d' <"$OUT" ||
	lab_die "the dry run's plan is not in the document: $(cat "$OUT")"
"$FENCER" -c /nonexistent --json configtest >"$OUT" 2>/dev/null
one_json "-c /nonexistent configtest"
grep -Eq "action=(off|on)" "$CALLS" && lab_die "a --json dry run or error changed a port: $(cat "$CALLS")"
echo "ok - --json prints one JSON document, errors and dry runs included"

# --- fence_fencer never succeeds on an empty set -----------------------------------------------------
cat >"$LAB_TMP/empty.conf" <<EOF
[fencer]
node = fw2
state-dir = $LAB_TMP/state2
[node fw1]
[node fw2]
EOF
chmod 0644 "$LAB_TMP/empty.conf"
for action in off status on; do
	printf 'action=%s\nport=fw1\nconfig=%s\n' "$action" "$LAB_TMP/empty.conf" | "$AGENT" >"$OUT" 2>&1; rc=$?
	[ $rc = 1 ] || lab_die "fence_fencer $action of a node without a port exited $rc, not 1: $(cat "$OUT")"
	grep -q "Success" "$OUT" && lab_die "fence_fencer $action said Success: $(cat "$OUT")"
done
"$FENCER" -c "$LAB_TMP/empty.conf" fence fw1 >"$OUT" 2>&1 && lab_die "fence of a node without a port succeeded: $(cat "$OUT")"
grep -q "fw1 has no port to fence" "$OUT" || lab_die "fence of nothing does not say so: $(cat "$OUT")"
echo "cli: version, help, self-fence guard, dry run, --json and the empty node"
