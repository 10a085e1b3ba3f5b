#!/usr/bin/env bash
# Run every lab test (tests/lab/test_*.sh), each as its own process with its
# own namespaces, and print one closing tally line.
# Each test runs bounded (tests/bounded.sh): LAB_TIMEOUT seconds (default
# 600), and every process it started dies with it. What a test killed that
# way could not remove itself (its namespaces, its temp dir) is swept after
# it: lab_init records each prefix it makes in $LAB_RECORD.
# Env: FENCER (path to the fencer binary), LABBIN (lab helper binaries),
#      LAB_TESTS (optional: space-separated subset of test names).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../bounded.sh"
if [ "$(id -u)" != 0 ]; then
	echo "lab: the lab needs root (network namespaces)"; echo "lab: 0 passed, 1 failed"; exit 1
fi
secs=${LAB_TIMEOUT:-600}
pass=0 fail=0 skip=0 failed=()
tests=${LAB_TESTS:-$(cd "$here" && ls test_*.sh 2>/dev/null)}

# sweep RECORD: remove the namespaces and temp dirs of every prefix in it;
# print what was left.
sweep() {
	local pfx tmp ns pids
	while read -r pfx tmp; do
		for ns in $(ip netns list | awk -v p="$pfx-" 'index($1, p) == 1 {print $1}'); do
			pids=$(ip netns pids "$ns" 2>/dev/null)
			[ -n "$pids" ] && kill -9 $pids 2>/dev/null
			ip netns del "$ns"
			echo "namespace $ns"
		done
		case $tmp in
		/tmp/fencer-lab-"$pfx".*) [ -d "$tmp" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$tmp" && echo "directory $tmp";;
		esac
	done <"$1"
}

for t in $tests; do
	t=${t%.sh}.sh
	log=/tmp/fencer-lab-$$-$t.log record=/tmp/fencer-lab-$$-$t.record
	: >"$record"
	start=$(date +%s%N)
	LAB_RECORD=$record run_bounded "$secs" "$log" bash "$here/$t"; rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	why=$(bounded_why $rc "$secs")
	[ -n "$why" ] && echo "$t: $why" >>"$log"
	left=$(sweep "$record")
	# A test that passed must have removed all it made (LAB_KEEP keeps
	# the temp dir on purpose).
	if [ -n "$left" ]; then
		printf '%s left behind (now removed):\n%s\n' "$t" "$left" >>"$log"
		[ $rc -eq 0 ] && [ -z "${LAB_KEEP:-}" ] && rc=1
	fi
	case $rc in
	0) pass=$((pass + 1)); echo "ok   $t (${ms} ms)";;
	77) skip=$((skip + 1)); echo "skip $t: $(tail -n1 "$log")";;
	*) fail=$((fail + 1)); failed+=("$t"); echo "FAIL $t (exit $rc, ${ms} ms)"
	   sed 's/^/    | /' "$log" | tail -n 60;;
	esac
	rm -f "$log" "$record"
done
echo "lab: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
