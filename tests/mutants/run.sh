#!/usr/bin/env bash
# make mutants: plant each bug of tests/mutants/mutants.txt, one at a time,
# in a scratch copy of the tree, run the tests that must catch it, and print
# a table. Not part of make check: it builds and runs for many minutes.
#
#   caught     a test named for it failed; every test named runs, and the
#              table says which caught it and which missed it
#   SURVIVED   every test named for it passed: the suite misses that bug
#   STALE      a sed expression no longer changes the file: the code moved,
#              fix the record
#   BROKEN     the planted tree does not build: fix the record
#   no-base    a test named for it fails without any bug planted: the
#              mutant proves nothing until that test passes
#
# The scratch copy holds the files git knows and the new ones it does not
# ignore, as they are in the working tree; the tree itself is never
# touched. Logs go to build/mutants/NAME.log.
# Env: MUTANTS (names, space-separated: a subset), LAB_TIMEOUT (default
# 300 s per lab test here), UNIT_TIMEOUT (default 60 s).
# Exit 0 when every mutant was caught.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
list=$src/tests/mutants/mutants.txt
logs=$src/build/mutants
[ "$(id -u)" = 0 ] || { echo "mutants: the lab tests need root"; exit 1; }
export LAB_TIMEOUT=${LAB_TIMEOUT:-300} UNIT_TIMEOUT=${UNIT_TIMEOUT:-60}

# ---- the records ------------------------------------------------------------
names=() files=() seds=() tests=() bugs=()
add_record() {
	[ -n "$r_name" ] || return 0
	[ -n "$r_file" ] && [ -n "$r_sed" ] && [ -n "$r_tests" ] ||
		{ echo "mutants: record $r_name lacks file, sed or tests" >&2; exit 2; }
	if [ -z "${MUTANTS:-}" ] || [[ " $MUTANTS " == *" $r_name "* ]]; then
		names+=("$r_name") files+=("$r_file") seds+=("$r_sed") tests+=("$r_tests") bugs+=("$r_bug")
	fi
}
r_name= r_file= r_sed= r_tests= r_bug=
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'*) ;;
	'') add_record; r_name= r_file= r_sed= r_tests= r_bug=;;
	name:\ *) r_name=${line#name: };;
	bug:\ *) r_bug=${line#bug: };;
	file:\ *) r_file=${line#file: };;
	sed:\ *) r_sed+=${r_sed:+$'\n'}${line#sed: };;
	tests:\ *) r_tests=${line#tests: };;
	*) echo "mutants: $list: cannot read: $line" >&2; exit 2;;
	esac
done <"$list"
add_record
[ ${#names[@]} -gt 0 ] || { echo "mutants: no mutant selected"; exit 2; }

# ---- the scratch copy -----------------------------------------------------------
scratch=$(mktemp -d /tmp/fencer-mutants.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM HUP
(cd "$src" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$scratch" ||
	{ echo "mutants: cannot copy the tree"; exit 2; }
rm -rf "$logs"
mkdir -p "$logs"

# build: the fencer, the lab helpers and the unit binaries the tests name.
build() {
	local bins=() t
	for t in ${tests[*]}; do
		case $t in unit:*) bins+=("build/tests/${t#unit:}");; esac
	done
	make -C "$scratch" -s all "${bins[@]}" >"$1" 2>&1
}

join() { local IFS=,; echo "$*" | sed 's/,/, /g'; }

# run_test TEST LOG: one test against the scratch build; 0 when it passed.
run_test() {
	case $1 in
	unit:*) (cd "$scratch" && tests/run-unit.sh "build/tests/${1#unit:}") >>"$2" 2>&1;;
	*) (cd "$scratch" && FENCER=$scratch/build/fencer LABBIN=$scratch/build/lab \
		LAB_TESTS=$1 tests/lab/run-tests.sh) >>"$2" 2>&1;;
	esac
}

echo "mutants: building the scratch copy in $scratch"
build "$logs/build.log" || { echo "mutants: the unplanted tree does not build (see $logs/build.log)"; exit 2; }

# The baseline: every test named, once, without a bug. A test that fails
# here cannot catch anything.
declare -A base
for t in $(printf '%s\n' ${tests[*]} | sort -u); do
	if run_test "$t" "$logs/baseline.log"; then base[$t]=ok; else base[$t]=FAIL; fi
	echo "mutants: baseline $t: ${base[$t]}"
done

# ---- plant, build, run, restore -------------------------------------------------------
results=() caught_by=() survived=0
for i in "${!names[@]}"; do
	name=${names[i]} file=${files[i]} log=$logs/${names[i]}.log result= by=
	: >"$log"
	cp "$src/$file" "$scratch/$file.orig"
	while IFS= read -r expr; do
		cp "$scratch/$file" "$scratch/$file.before"
		sed -i -e "$expr" "$scratch/$file"
		if cmp -s "$scratch/$file" "$scratch/$file.before"; then
			result=STALE by="no change: $expr"
			break
		fi
	done <<<"${seds[i]}"
	rm -f "$scratch/$file.before"
	diff -u "$scratch/$file.orig" "$scratch/$file" | sed "s|$scratch/||" >>"$log"
	if [ -z "$result" ] && ! build "$log.build"; then
		result=BROKEN by="see $log.build"
	fi
	if [ -z "$result" ]; then
		hit= miss= nobase=
		for t in ${tests[i]}; do
			if [ "${base[$t]}" != ok ]; then
				nobase+=" $t"
				continue
			fi
			echo "== $t" >>"$log"
			if run_test "$t" "$log"; then miss+=" $t"; else hit+=" $t"; fi
		done
		if [ -n "$hit" ]; then
			result=caught by="by $(join $hit)${miss:+; missed by $(join $miss)}"
		elif [ -n "$nobase" ]; then
			result=no-base by="$(join $nobase) fails unplanted"
		else
			result=SURVIVED by="missed by $(join $miss)"
		fi
	fi
	mv "$scratch/$file.orig" "$scratch/$file"
	touch "$scratch/$file"	# the next build recompiles it
	[ "$result" = caught ] || survived=$((survived + 1))
	results+=("$result") caught_by+=("$by")
	echo "mutants: $name: $result${by:+ ($by)}"
done

# ---- the table ----------------------------------------------------------------------
echo
echo "| mutant | bug | tests | result |"
echo "|---|---|---|---|"
for i in "${!names[@]}"; do
	echo "| ${names[i]} | ${bugs[i]} | ${tests[i]} | ${results[i]}${caught_by[i]:+ (${caught_by[i]})} |"
done
echo
echo "mutants: $(( ${#names[@]} - survived )) of ${#names[@]} caught; logs in $logs"
[ $survived -eq 0 ]
