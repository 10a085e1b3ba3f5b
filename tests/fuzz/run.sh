#!/usr/bin/env bash
# make fuzz: build every tests/fuzz/fuzz_*.c with clang's libFuzzer (ASan +
# UBSan) against the fencer sources, and run each for FUZZ_SECONDS
# (default 60) from its seed corpus. Crashes are kept in build/fuzz/.
set -eu
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-60}
out=build/fuzz
mkdir -p "$out"
flags="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE -D_GNU_SOURCE -DFENCER_VERSION=\"fuzz\" -I."
pk=$(pkg-config --cflags --libs libssh netsnmp libcurl inih jansson libpcap)
srcs=$(ls fencer/*.c drivers/*.c | grep -v 'fencer/main.c')
rc=0
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	target=${name#fuzz_}
	clang $flags -o "$out/$name" "$f" $srcs $pk -lnet -lpthread
	mkdir -p "$out/corpus-$target"
	echo "== $name: ${secs}s"
	if ! "$out/$name" -max_total_time="$secs" -artifact_prefix="$out/$name-" \
		"$out/corpus-$target" "tests/fuzz/corpus/$target" 2>"$out/$name.log"; then
		echo "FAIL $name (see $out/$name.log)"; rc=1
	fi
	tail -n 3 "$out/$name.log" | sed 's/^/   /'
done
exit $rc
