#!/usr/bin/env bash
# make bench: run every tests/bench/bench_*.sh; each prints rows of one table:
#   | figure | fencer (median) | peer (median) | ratio | runs |
# BENCHES (optional): space-separated subset, e.g. BENCHES="bench_blackout".
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces)"; exit 1; }
echo "| figure | fencer (median) | peer (median) | ratio | runs |"
echo "|---|---|---|---|---|"
rc=0
for b in ${BENCHES:-$(cd "$here" && ls bench_*.sh 2>/dev/null)}; do
	b=$here/${b%.sh}.sh
	[ -e "$b" ] || { echo "| $(basename "$b"): no such benchmark | | | | |"; rc=1; continue; }
	bash "$b" || { echo "| $(basename "$b") failed | | | | |"; rc=1; }
done
exit $rc
