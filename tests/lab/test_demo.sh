#!/usr/bin/env bash
# make demo's output says what each figure is: times are ms after the
# failure (no raw epoch seconds), the ping check gives no figure of its own
# to contradict the probe's blackout, the VRRP holders are explained, the
# blackout's split adds up to it, and the last line is `blackout: N ms`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
lab_init de
: "${FENCER:?FENCER must name the fencer binary}"
OUT=$LAB_TMP/demo.out

# The demo makes and removes its own world (its own prefix and trap).
bash "$here/demo.sh" >"$OUT" 2>&1 || lab_die "the demo failed: $(tail -n 30 "$OUT")"
sed 's/^/    | /' "$OUT" | tail -n 12
grep -Eq '(^|[^0-9])1[0-9]{9}([.][0-9]+)?([^0-9]|$)|[0-9]{13}' "$OUT" &&
	lab_die "raw epoch times in the output: $(grep -E '1[0-9]{9}|[0-9]{13}' "$OUT")"
grep -q 'traffic back after [0-9]* ms' "$OUT" && lab_die "a second blackout figure: $(grep 'traffic back after' "$OUT")"
grep -q '^== the VRRP address is on fw2, the new master' "$OUT" || lab_die "the VRRP holders are not explained"
grep -q 'master: fw' "$OUT" && lab_die "an unexplained master list: $(grep 'master: fw' "$OUT")"
grep -q '^   vrrp address on: fw1 (as each node sees itself)' "$OUT" || lab_die "the lab status does not say what its VRRP line is"
grep -q '\[[0-9]* ms after the failure\] fw2 keepalived -> master' "$OUT" || lab_die "the notify is not timed from the failure"
b=$(tail -n1 "$OUT" | sed -n 's/^blackout: \([0-9]*\) ms$/\1/p')
[ -n "$b" ] || lab_die "the last line is not 'blackout: N ms': $(tail -n1 "$OUT")"
split=$(sed -n 's/.*blackout: \([0-9]*\) ms from .*detection \([0-9]*\) ms .*then \([0-9]*\) ms from the notify.*/\1 \2 \3/p' "$OUT")
[ -n "$split" ] || lab_die "no split of the blackout"
set -- $split
[ $(($1 + $2 + $3)) = "$b" ] || lab_die "$1 + $2 + $3 ms is not the blackout $b ms"
echo "demo: every figure named, times after the failure, blackout $b ms = $1 + $2 + $3"
