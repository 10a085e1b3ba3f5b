#!/usr/bin/env bash
# mibs/FENCER-MIB.txt passes `smilint -l 4` with nothing to say, and the
# OIDs fencer sends (fencer/notify_trap.c) are the ones the MIB defines.
# smilint needs the IETF base modules (SNMPv2-SMI, -TC, -CONF,
# SNMP-FRAMEWORK-MIB), which Debian main ships only inside erlang-snmp:
# used from there when installed, else unpacked from the package (not
# installed) into the test's temp dir.
set -u
. "$(dirname "$0")/lib.sh"
lab_init mb
top=$(cd "$LAB_HERE/../.." && pwd)
mib=$top/mibs/FENCER-MIB.txt
command -v smilint >/dev/null || lab_skip "smilint missing (Debian package smitools)"
base=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs 2>/dev/null | head -n1)
if [ -z "$base" ]; then
	(cd "$LAB_TMP" && apt-get download erlang-snmp >/dev/null 2>&1 &&
		dpkg-deb -x erlang-snmp_*.deb root) || lab_skip "no SNMPv2-SMI to lint against (apt-get download erlang-snmp failed)"
	base=$(ls -d "$LAB_TMP"/root/usr/lib/erlang/lib/snmp-*/mibs | head -n1)
fi
[ -f "$base/SNMPv2-SMI.mib" ] || lab_die "no SNMPv2-SMI in $base"
out=$(SMIPATH=$base smilint -l 4 "$mib" 2>&1)
[ -z "$out" ] || lab_die "smilint -l 4 complains: $out"
# The module resolves to the OIDs fencer puts in its notifications.
tree=$(SMIPATH=$base smidump -f identifiers "$mib" 2>&1)
for want in "fencerPromoted notification 1.3.6.1.4.1.99999.1.0.1" \
	"fencerDemoted notification 1.3.6.1.4.1.99999.1.0.2" \
	"fencerFenceFailed notification 1.3.6.1.4.1.99999.1.0.3" \
	"fencerCheckCritical notification 1.3.6.1.4.1.99999.1.0.4" \
	"fencerEventNode scalar 1.3.6.1.4.1.99999.1.1.1" \
	"fencerEventSummary scalar 1.3.6.1.4.1.99999.1.1.9"; do
	printf '%s\n' "$tree" | tr -s ' ' | grep -q "$want" || lab_die "smidump lacks '$want': $tree"
done
grep -q "define FENCER_PEN 99999" "$top/fencer/notify_trap.c" || lab_die "notify_trap.c and the MIB disagree on the PEN"
echo "FENCER-MIB: smilint -l 4 clean, OIDs match"
