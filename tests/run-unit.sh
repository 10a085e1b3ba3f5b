#!/usr/bin/env bash
# Run every cmocka unit-test binary given; print one closing tally line.
# Each binary runs bounded (tests/bounded.sh): UNIT_TIMEOUT seconds (default
# 120), and the children it forked die with it.
# UNIT_WRAPPER: e.g. "valgrind -q --error-exitcode=9 --leak-check=full".
set -u
. "$(dirname "$0")/bounded.sh"
pass=0 fail=0 secs=${UNIT_TIMEOUT:-120}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	# UNIT_WRAPPER is a command line: split into words on purpose.
	# shellcheck disable=SC2086
	run_bounded "$secs" "$log" ${UNIT_WRAPPER:-} "$t"; rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	why=$(bounded_why $rc "$secs")
	if [ $rc -ne 0 ] && { [ "${f:-0}" = 0 ] || [ -n "$why" ]; }; then
		fail=$((fail + 1)); echo "FAIL: $t exited $rc${why:+ ($why)}"
	fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
