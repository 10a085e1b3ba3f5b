#!/usr/bin/env bash
# Stale promote/demote detection follows the monotonic clock of this boot,
# not the wall clock: after an NTP step back of an hour (libfaketime moves
# only fencer's wall clock) a promote still runs; a record from another
# boot never makes a command stale; one invoked later in this boot does.
set -u
. "$(dirname "$0")/lib.sh"
lab_init cs
: "${FENCER:?FENCER must name the fencer binary}"
command -v faketime >/dev/null || lab_skip "faketime missing (apt-get install faketime)"

C=$LAB_TMP/fencer.conf S=$LAB_TMP/state L=$LAB_TMP/bridge
cat >"$C" <<EOF
[fencer]
node = fw2
state-dir = $S
activate = sh -c 'echo up >> $L'
deactivate = sh -c 'echo down >> $L'
EOF
chmod 0644 "$C"
# A sanitized fencer refuses a preloaded library ahead of its runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
stepped_back() { FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f -1h "$FENCER" -c "$C" "$@"; }

"$FENCER" -c "$C" demote >/dev/null || lab_die "demote failed"
out=$(stepped_back promote) || lab_die "promote after a clock step back failed: $out"
[[ $out == *skipped* ]] && lab_die "promote after a clock step back was skipped: $out"
[ "$(tail -n1 "$L")" = up ] || lab_die "promote after a clock step back did not activate"
out=$(stepped_back demote) || lab_die "demote failed: $out"
[ "$(tail -n1 "$L")" = down ] || lab_die "demote after a clock step back did not deactivate: $out"
echo "ok - an hour's step back of the wall clock: promote and demote still run"

# A record of another boot, however late its clock: not stale.
printf '{"command":"demote","boot_id":"00000000-0000-0000-0000-000000000000","invoked_mono_us":%s}' \
	999999999999999 >"$S/last-transition.json"
out=$("$FENCER" -c "$C" promote) || lab_die "promote after a reboot's record failed: $out"
[ "$(tail -n1 "$L")" = up ] || lab_die "a record of another boot made promote stale: $out"
# One of this boot invoked later: the command is stale and changes nothing.
printf '{"command":"promote","boot_id":"%s","invoked_mono_us":%s}' "$(cat /proc/sys/kernel/random/boot_id)" \
	999999999999999 >"$S/last-transition.json"
out=$("$FENCER" -c "$C" demote) || lab_die "stale demote failed: $out"
[[ $out == "demote skipped: a promote invoked after it has already run" ]] || lab_die "not skipped: $out"
[ "$(tail -n1 "$L")" = up ] || lab_die "a stale demote deactivated"
echo "ok - a record of another boot is not later; a later one of this boot is"
echo "clock: stale transitions ordered by the monotonic clock of this boot"
