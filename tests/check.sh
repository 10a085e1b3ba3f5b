#!/usr/bin/env bash
# make check: unit tests (plain, under ASan+UBSan and under valgrind), then
# the lab, and the lab's driver tests again with the sanitized fencer; one
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
# The lab tests that drive the switch sessions, the worker threads and the
# deadline cuts, once more with fencer built with ASan+UBSan: an exit
# under a cut worker crashed only there.
if [ "${SANITIZE:-}" != 1 ]; then
	run make -s lab SANITIZE=1 LAB_TESTS="${LAB_SAN_TESTS:-test_cisco.sh test_junos.sh test_snmp.sh test_snmp_timeout.sh test_announce_frames.sh test_announce_refresh.sh test_announce_vlan.sh test_notify.sh test_concurrency.sh test_kill9.sh test_fence_agent.sh test_promote_later.sh test_local_attacks.sh test_eos.sh test_nxos.sh test_aruba_os_switch.sh test_comware.sh test_dell_os.sh test_serve.sh test_serve_families.sh}"
fi
echo "check: $total_pass passed, $total_fail failed, $total_skip skipped"
[ $total_fail -eq 0 ]
