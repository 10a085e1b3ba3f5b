# tests/bench/lib.sh: sourced by every benchmark. Medians and table rows;
# timings come from the monotonic clock of the shell (EPOCHREALTIME).
#   bench_now_ms                  milliseconds, with fractions
#   bench_median V...             the median of the values
#   bench_row FIGURE F P RUNS [UNIT]  one table row: fencer F, peer P,
#                                 ratio P/F (how many times faster fencer is)
bench_now_ms() { printf '%s\n' "$EPOCHREALTIME" | awk -F. '{printf "%.3f\n", $1 * 1000 + substr($2 "000000", 1, 6) / 1000}'; }
bench_median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
bench_row() {
	local fig=$1 f=$2 p=$3 runs=$4 unit=${5:-ms} ratio
	if [ -n "$p" ] && [ "$p" != "-" ] && awk "BEGIN {exit !($f > 0)}"; then
		ratio=$(awk "BEGIN {printf \"%.1fx\", $p / $f}")
	else
		ratio=-
	fi
	printf '| %s | %s %s | %s%s | %s | %s |\n' "$fig" "$f" "$unit" "$p" "$([ "$p" = - ] || echo " $unit")" "$ratio" "$runs"
}
