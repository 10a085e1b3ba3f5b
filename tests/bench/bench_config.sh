#!/usr/bin/env bash
# Reading a large configuration: `fencer configtest` on a file of N
# switches (exec driver, one agent they share) and N ports of one node,
# for N = 10,000 and 100,000 (the most a configuration may hold: fencer.conf(5)).
# The time must grow linearly: names are found through hash maps (16,000
# switches took 7.8 s when each lookup walked the list). No peer: no other
# tool reads fencer.conf.
#   rows: wall time of configtest at each size (process start to exit), and
#         the ratio of the two (10x when linear, 100x when quadratic).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/lib.sh"
: "${FENCER:?}"
RUNS=${BENCH_RUNS:-5}
lab_init bc >/dev/null
medians=()
for n in 10000 100000; do
	label=$(printf '%d' "$n" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta')
	c=$LAB_TMP/fencer-$n.conf
	awk -v s="$LAB_TMP/state" -v n=$n 'BEGIN {
		printf "[fencer]\nnode = fw2\nstate-dir = %s\n", s
		for (i = 0; i < n; i++) printf "[switch s%d]\ndriver = exec\nagent = /bin/true\n", i
		printf "[node fw1]\n"
		for (i = 0; i < n; i++) printf "port = s%d p%d\n", i, i }' >"$c"
	"$FENCER" -c "$c" configtest >/dev/null || lab_die "configtest of $n switches failed"
	times=()
	for ((r = 0; r < RUNS; r++)); do
		t0=$(bench_now_ms)
		"$FENCER" -c "$c" configtest >/dev/null
		t1=$(bench_now_ms)
		times+=("$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")")
	done
	m=$(bench_median "${times[@]}")
	medians+=("$m")
	bench_row "configtest: $label switches and $label ports, start to exit" "$m" - "$RUNS"
done
bench_row "... growth from 10,000 to 100,000 entries (linear: 10x; quadratic: 100x)" \
	"$(awk "BEGIN {printf \"%.1f\", ${medians[1]} / ${medians[0]}}")" - "$RUNS" x
