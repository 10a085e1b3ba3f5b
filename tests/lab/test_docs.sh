#!/usr/bin/env bash
# The documentation follows the code: the man pages lint clean, every
# command of `fencer help` is in fencer(8) and back, every key of the
# example configuration is in fencer.conf(5) and back, and the example
# configuration and every configuration shown in README.md and the man
# pages pass configtest once their secret files exist.
set -u
. "$(dirname "$0")/lib.sh"
lab_init dc
: "${FENCER:?FENCER must name the fencer binary}"
top=$(cd "$LAB_HERE/../.." && pwd)
command -v mandoc >/dev/null || lab_skip "mandoc missing (apt-get install mandoc)"

for page in "$top"/man/*.[58]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1) || lab_die "mandoc lint $page: $out"
done

cmds=$("$FENCER" help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on=0}' | sort)
man_cmds=$(sed -n '/^\.Sh COMMANDS/,/^\.Sh /s/^\.It Ic \([a-z-]*\).*/\1/p' "$top/man/fencer.8" | sort)
[ -n "$cmds" ] || lab_die "fencer help lists no command"
[ "$cmds" = "$man_cmds" ] || lab_die "fencer help and fencer(8) disagree: $(diff <(echo "$cmds") <(echo "$man_cmds") | tr '\n' ' ')"
for c in $cmds; do
	"$FENCER" "$c" --help >/dev/null || lab_die "fencer $c --help failed"
done

ex="$top/conf/fencer.conf.example"
ex_keys=$(sed -n 's/^#* *\([a-z][a-z-]*\) *=.*/\1/p' "$ex" | sort -u)
man_keys=$(sed -n 's/^\.It Ic \([a-z][a-z-]*\) No = .*/\1/p' "$top/man/fencer.conf.5" | sort -u)
missing=$(comm -23 <(echo "$ex_keys") <(echo "$man_keys"))
[ -z "$missing" ] || lab_die "keys in the example but not in fencer.conf(5): $missing"
missing=$(comm -13 <(echo "$ex_keys") <(echo "$man_keys"))
[ -z "$missing" ] || lab_die "keys in fencer.conf(5) but not in the example: $missing"

# configtest_block NAME FILE: the configuration in FILE, as a user copies
# it, with its secret files pointed at generated ones, passes configtest.
n_blocks=0
configtest_block() {
	local d=$LAB_TMP/etc/$n_blocks f out
	n_blocks=$((n_blocks + 1))
	mkdir -p "$d"
	sed -e "s|/etc/fencer/|$d/|g" -e "s|= /var/lib/fencer|= $LAB_TMP/state|" "$2" >"$d/fencer.conf"
	for f in $(grep -o "$d/[A-Za-z0-9_.]*" "$d/fencer.conf" | sort -u); do
		[ "$f" = "$d/fencer.conf" ] && continue
		lab_secret "$f" "secret-$(lab_rand 4)"
	done
	out=$("$FENCER" -c "$d/fencer.conf" configtest 2>&1) || lab_die "$1 does not pass configtest: $out"
	[ "$out" = "configuration OK" ] || lab_die "configtest of $1 said: $out"
}

# Every configuration the documentation shows: the example, README's
# indented blocks and the man pages' literal displays that hold [fencer].
configtest_block "$ex" "$ex"
blocks=$LAB_TMP/blocks
mkdir -p "$blocks"
awk -v out="$blocks/readme" '
	/^ *$/ && buf != "" { buf = buf "\n"; next }
	/^    / { buf = buf substr($0, 5) "\n"; if ($0 ~ /^ *\[fencer\]/) has = 1; next }
	{ if (has) { n++; printf "%s", buf > (out "." n); close(out "." n) } buf = ""; has = 0 }
	END { if (has) { n++; printf "%s", buf > (out "." n) } }' "$top/README.md"
for page in "$top"/man/*.[58]; do
	awk -v out="$blocks/$(basename "$page")" '
		/^\.Bd -literal/ { on = 1; buf = ""; has = 0; next }
		/^\.Ed/ && on { on = 0; if (has) { n++; printf "%s", buf > (out "." n); close(out "." n) } next }
		on { gsub(/\\e/, "\\"); gsub(/\\&/, ""); buf = buf $0 "\n"; if ($0 ~ /^\[fencer\]/) has = 1 }' "$page"
done
ls "$blocks"/readme.* >/dev/null 2>&1 || lab_die "found no configuration in README.md"
ls "$blocks"/fencer.conf.5.* >/dev/null 2>&1 || lab_die "found no configuration in fencer.conf(5)"
for b in "$blocks"/*; do
	configtest_block "$(basename "$b" | sed 's/\.\([0-9]*\)$/ (configuration \1)/')" "$b"
done
out=$("$FENCER" -c "$ex" configtest 2>&1) && lab_die "the example passed without its secret files"
printf '%s\n' "$out" | grep -q "fencer.conf.example:[0-9]*: cannot read secret file /etc/fencer/" ||
	lab_die "missing secret files are not reported with their line: $out"
echo "docs: man pages lint clean and match the commands and keys; $n_blocks configurations pass configtest"
