#!/usr/bin/env bash
# make check: unit tests (plain and under ASan+UBSan), then the lab; one
# closing tally of everything at the end.
# Env: BUILD (build dir), SANITIZE (1: the main build is already sanitized).
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0 total_skip=0
tally() {
	local line
	line=$(printf '%s\n' "$1" | grep -E '^(unit|lab): [0-9]+ passed, [0-9]+ failed' | tail -n1)
	[ -n "$line" ] || { total_fail=$((total_fail + 1)); return; }
	set -- $(printf '%s\n' "$line" | grep -oE '[0-9]+')
	total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); total_skip=$((total_skip + ${3:-0}))
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
	echo "== $*"
	"$@" 2>&1 | tee "$log"
	tally "$(cat "$log")"
}
run make -s unit SANITIZE="${SANITIZE:-}"
if [ "${SANITIZE:-}" != 1 ]; then
	run make -s unit SANITIZE=1
fi
if [ "${SANITIZE:-}" != 1 ] && command -v valgrind >/dev/null; then
	run env UNIT_WRAPPER="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite" make -s unit
fi
run make -s lab SANITIZE="${SANITIZE:-}"
echo "check: $total_pass passed, $total_fail failed, $total_skip skipped"
[ $total_fail -eq 0 ]
