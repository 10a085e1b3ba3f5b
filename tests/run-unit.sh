#!/usr/bin/env bash
# Run every cmocka unit-test binary given; print one closing tally line.
set -u
pass=0 fail=0
# UNIT_WRAPPER: e.g. "valgrind -q --error-exitcode=9 --leak-check=full".
for t in "$@"; do
	out=$(${UNIT_WRAPPER:-} "$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then fail=$((fail + 1)); echo "FAIL: $t exited $rc"; fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
