#!/usr/bin/env bash
# make fuzz: build every tests/fuzz/fuzz_*.c with clang's libFuzzer (ASan +
# UBSan) against the fencer sources, and run each for FUZZ_SECONDS
# (default 60) from its seed corpus. Crashes are kept in build/fuzz/.
# FUZZ_TARGETS="fdb_parse learn_frame" runs only those (names without
# fuzz_); the default is every target.
set -eu
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
if [ -n "${FUZZ_TARGETS:-}" ]; then
	files=
	for t in $FUZZ_TARGETS; do
		t=${t#fuzz_}
		[ -f "tests/fuzz/fuzz_$t.c" ] || { echo "no fuzz target $t" >&2; exit 2; }
		files="$files tests/fuzz/fuzz_$t.c"
	done
else
	files=$(ls tests/fuzz/fuzz_*.c)
fi
out=build/fuzz
mkdir -p "$out"
flags="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_DEFAULT_SOURCE -D_GNU_SOURCE -DFENCER_VERSION=\"fuzz\" -I."
# The sources and packages are the Makefile's (make fuzz passes them).
: "${FUZZ_SRCS:?run make fuzz: it names the sources and packages}"
pk="$FUZZ_PKG_CFLAGS $FUZZ_LIBS"
srcs=$FUZZ_SRCS
rc=0
for f in $files; do
	name=$(basename "$f" .c)
	target=${name#fuzz_}
	clang $flags -o "$out/$name" "$f" $srcs $pk
	mkdir -p "$out/corpus-$target"
	echo "== $name: ${secs}s"
	if ! "$out/$name" -max_total_time="$secs" -artifact_prefix="$out/$name-" -print_final_stats=1 \
		"$out/corpus-$target" "tests/fuzz/corpus/$target" 2>"$out/$name.log"; then
		echo "FAIL $name (see $out/$name.log)"; rc=1
		tail -n 20 "$out/$name.log" | sed 's/^/   /'
		continue
	fi
	# The final coverage line, the run's totals and the corpus kept.
	grep -E '[[:space:]]DONE |^Done |^stat::(number_of_executed_units|average_exec_per_sec)' \
		"$out/$name.log" | sed 's/^/   /'
	echo "   corpus: $(ls "$out/corpus-$target" | wc -l) files in $out/corpus-$target"
done
exit $rc
