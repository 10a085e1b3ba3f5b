#!/usr/bin/env bash
# make install honours PREFIX and DESTDIR: the units, the examples and the
# OCF agent it installs call fencer where it installed it, never a
# /usr/sbin/fencer that is not there; the ucarp scripts and the agent are
# executable, the rest is not. The agent goes where Pacemaker looks
# (/usr/lib/ocf, under DESTDIR), and uninstall removes it.
set -u
. "$(dirname "$0")/lib.sh"
lab_init in
: "${FENCER:?FENCER must name the fencer binary}"
top=$(cd "$LAB_HERE/../.." && pwd)
b=$(cd "$(dirname "$FENCER")" && pwd)
R=$LAB_TMP/root

# -o: the binary under test as it is, whatever make thinks of its age
make -s -C "$top" install BUILD="$b" -o "$b/fencer" PREFIX=/opt/fx DESTDIR="$R" >"$LAB_TMP/install.log" 2>&1 ||
	lab_die "make install failed: $(tail -n 20 "$LAB_TMP/install.log")"
[ -x "$R/opt/fx/sbin/fencer" ] || lab_die "no $R/opt/fx/sbin/fencer"
units=$R/opt/fx/lib/systemd/system ex=$R/opt/fx/share/doc/fencer/examples
grep -q "^ExecStart=/opt/fx/sbin/fencer boot$" "$units/fencer-boot.service" ||
	lab_die "fencer-boot.service: $(grep ExecStart "$units/fencer-boot.service")"
grep -q "^ExecStart=/opt/fx/sbin/fencer serve$" "$units/fencer.service" ||
	lab_die "fencer.service: $(grep ExecStart "$units/fencer.service" 2>&1)"
grep -q "^exec /opt/fx/sbin/fencer promote" "$ex/ucarp-up.sh" || lab_die "ucarp-up.sh: $(cat "$ex/ucarp-up.sh")"
grep -q '"/opt/fx/sbin/fencer promote' "$ex/keepalived.conf.example" || lab_die "keepalived.conf.example"
ra=$R/usr/lib/ocf/resource.d/fencer/bridge
[ "$(stat -c %a "$ra" 2>/dev/null)" = 755 ] || lab_die "no executable $ra"
OCF_ROOT=/usr/lib/ocf "$ra" meta-data | grep -q '<content type="string" default="/opt/fx/sbin/fencer"/>' ||
	lab_die "the agent does not run /opt/fx/sbin/fencer: $(grep -n sbin/fencer "$ra")"
left=$(grep -rlE '/usr(/local)?/sbin/fencer' "$units" "$ex" "$ra")
[ -z "$left" ] || lab_die "installed files call a fencer that is not there: $left"
for f in ucarp-up.sh ucarp-down.sh; do
	[ "$(stat -c %a "$ex/$f")" = 755 ] || lab_die "$f is mode $(stat -c %a "$ex/$f"), not 755"
done
[ "$(stat -c %a "$units/fencer-check.timer")" = 644 ] || lab_die "the timer is mode $(stat -c %a "$units/fencer-check.timer")"
make -s -C "$top" uninstall BUILD="$b" PREFIX=/opt/fx DESTDIR="$R" >>"$LAB_TMP/install.log" 2>&1 ||
	lab_die "make uninstall failed: $(tail -n 20 "$LAB_TMP/install.log")"
[ ! -e "$ra" ] && [ ! -e "$R/opt/fx/sbin/fencer" ] || lab_die "uninstall left the agent or fencer"
echo "install: PREFIX=/opt/fx lands in the units, examples and the OCF agent; ucarp scripts and agent 0755"
