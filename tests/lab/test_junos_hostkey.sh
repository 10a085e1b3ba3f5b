#!/usr/bin/env bash
# Host keys of the junos driver, through the SSH layer cisco-ios uses: an
# unknown and a changed key are refused before any NETCONF session, with
# the offered SHA256 fingerprint and the `fencer trust` hint; `fencer trust`
# shows the key of [address]:830 and `--yes` records it. The switch port is
# checked in the kernel throughout.
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup jk
KH=$LAB_TMP/state-kh/known_hosts
mkdir -p "$(dirname "$KH")"
FP=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" | awk '{print $2}')
KNOWN_HOSTS=$KH junos_conf
sessions() { cat "$D/nc.log" 2>/dev/null | grep -c "event.login"; }

# --- unknown key -------------------------------------------------------------
check "fence with an unknown host key fails" eval '! fencer fence fw1'
check "  says so, with the offered fingerprint" has "unknown host key: 10.77.0.4 offers ssh-ed25519 $FP"
check "  and the hint" has "run: fencer trust swj"
check "  no NETCONF session started" test "$(sessions)" = 0
check "  ge1 is up" admin_up ge1
check "trust without --yes shows the key" fencer trust swj
check "  with its fingerprint" has "$FP: not known yet"
check "  and records nothing" eval '[ ! -e "$KH" ] || lacks ssh-ed25519 "$KH"'
check "trust --yes" fencer trust swj --yes
check "  known-hosts holds it for [10.77.0.4]:830" \
	grep -q "^\[10.77.0.4\]:830 $(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" "$KH"
check "fence now works" fencer fence fw1
check "  ge1 is down" admin_down ge1
check "unfence" fencer unfence fw1
check "  ge1 is up" admin_up ge1

# --- changed key --------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$LAB_TMP/other" -C other
printf '[10.77.0.4]:830 %s\n' "$(cut -d' ' -f1,2 "$LAB_TMP/other.pub")" >"$KH"
n=$(sessions)
check "fence with a changed host key fails" eval '! fencer fence fw1'
check "  says HOST KEY CHANGED with the offered fingerprint" has "HOST KEY CHANGED: 10.77.0.4 offers ssh-ed25519 $FP"
check "  no NETCONF session started" test "$(sessions)" = "$n"
check "  ge1 is up" admin_up ge1
check "trust --yes replaces the key" fencer trust swj --yes
check "  and says so" has "$FP: recorded, in place of the key known-hosts held"
check "fence works with the replaced key" fencer fence fw1
check "  ge1 is down" admin_down ge1
lab_done
