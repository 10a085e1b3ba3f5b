#!/usr/bin/env bash
# Run every lab test (tests/lab/test_*.sh), each as its own process with its
# own namespaces, and print one closing tally line.
# Env: FENCER (path to the fencer binary), LABBIN (lab helper binaries),
#      LAB_TESTS (optional: space-separated subset of test names).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "lab: the lab needs root (network namespaces)"; echo "lab: 0 passed, 1 failed"; exit 1
fi
pass=0 fail=0 skip=0 failed=()
tests=${LAB_TESTS:-$(cd "$here" && ls test_*.sh 2>/dev/null)}
for t in $tests; do
	t=${t%.sh}.sh
	start=$(date +%s%N)
	timeout -k 10 600 bash "$here/$t" >"/tmp/fencer-lab-$$-$t.log" 2>&1; rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	case $rc in
	0) pass=$((pass + 1)); echo "ok   $t (${ms} ms)";;
	77) skip=$((skip + 1)); echo "skip $t: $(tail -n1 "/tmp/fencer-lab-$$-$t.log")";;
	*) fail=$((fail + 1)); failed+=("$t"); echo "FAIL $t (exit $rc, ${ms} ms)"
	   sed 's/^/    | /' "/tmp/fencer-lab-$$-$t.log" | tail -n 60;;
	esac
	rm -f "/tmp/fencer-lab-$$-$t.log"
done
echo "lab: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
