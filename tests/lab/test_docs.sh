#!/usr/bin/env bash
# The documentation follows the code: the man pages lint clean, every
# command of `fencer help` is in fencer(8) and back, every key of the
# example configuration is in fencer.conf(5) and back, and the example
# configuration passes configtest once its secret files exist.
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

# The example, with its secret files pointed at generated ones.
d=$LAB_TMP/etc
mkdir -p "$d"
sed -e "s|/etc/fencer/|$d/|g" -e "s|= /var/lib/fencer|= $LAB_TMP/state|" "$ex" >"$d/fencer.conf"
for f in $(grep -o "$d/[A-Za-z0-9_.]*" "$d/fencer.conf" | sort -u); do
	[ "$f" = "$d/fencer.conf" ] && continue
	lab_secret "$f" "secret-$(lab_rand 4)"
done
out=$("$FENCER" -c "$d/fencer.conf" configtest 2>&1) || lab_die "the example does not pass configtest: $out"
[ "$out" = "configuration OK" ] || lab_die "configtest said: $out"
out=$("$FENCER" -c "$ex" configtest 2>&1) && lab_die "the example passed without its secret files"
printf '%s\n' "$out" | grep -q "fencer.conf.example:[0-9]*: cannot read secret file /etc/fencer/" ||
	lab_die "missing secret files are not reported with their line: $out"
echo "docs: man pages lint clean and match the commands and keys"
