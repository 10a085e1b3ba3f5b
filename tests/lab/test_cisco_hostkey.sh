#!/usr/bin/env bash
# Host keys of the cisco-ios driver: an unknown and a changed key are both
# refused before any login, with the offered SHA256 fingerprint and the
# `fencer trust` hint; `fencer trust SWITCH` shows the key and records
# nothing; `--yes` records it (and drops the old key of a changed one);
# fencing then works. The switch port is checked in the kernel throughout.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup kh
KH=$LAB_TMP/state-kh/known_hosts
mkdir -p "$(dirname "$KH")"
FP=$(ssh-keygen -lf "$D/ssh_host_ed25519_key.pub" | awk '{print $2}')
KNOWN_HOSTS=$KH cisco_conf
logins() { cat "$D/ios.log" 2>/dev/null | grep -c "event.login"; }

# --- unknown key -------------------------------------------------------------
check "fence with an unknown host key fails" eval '! fencer fence fw1'
check "  says so, with the offered fingerprint" has "unknown host key: 10.77.0.2 offers ssh-ed25519 $FP"
check "  and the hint" has "run: fencer trust swa"
check "  nothing logged in to the CLI" test "$(logins)" = 0
check "  Gi0/1 is up" admin_up gi1

check "trust without --yes shows the key" fencer trust swa
check "  with its fingerprint" has "$FP: not known yet"
check "  in one line" test "$(wc -l <"$OUT")" = 1
check "  and records nothing" eval '[ ! -e "$KH" ] || lacks ssh-ed25519 "$KH"'
check "fence is still refused" eval '! fencer fence fw1'
check "  Gi0/1 is up" admin_up gi1

check "trust --yes" fencer trust swa --yes
check "  says it recorded the key" has "$FP: recorded"
check "  known-hosts holds it" grep -q "^10.77.0.2 $(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" "$KH"
check "trust again: already trusted" eval 'fencer trust swa && grep -qF "$FP: already trusted" "$OUT"'
check "  in one line, nothing about --yes" eval 'test "$(wc -l <"$OUT")" = 1 && ! grep -q -- --yes "$OUT"'
check "fence now works" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- changed key: known-hosts holds another key of the same type ---------------
ssh-keygen -q -t ed25519 -N '' -f "$LAB_TMP/other" -C other
printf '10.77.0.2 %s\n' "$(cut -d' ' -f1,2 "$LAB_TMP/other.pub")" >"$KH"
cp "$KH" "$LAB_TMP/kh.before"
n=$(logins)
check "fence with a changed host key fails" eval '! fencer fence fw1'
check "  says HOST KEY CHANGED with the offered fingerprint" has "HOST KEY CHANGED: 10.77.0.2 offers ssh-ed25519 $FP"
check "  and the hint" has "run: fencer trust swa"
check "  nothing logged in to the CLI" test "$(logins)" = "$n"
check "  Gi0/1 is up" admin_up gi1
check "trust without --yes reports the change, exit 1" eval '! fencer trust swa && grep -qF "$FP: HOST KEY CHANGED" "$OUT"'
check "  in one line" test "$(wc -l <"$OUT")" = 1
check "  and leaves known-hosts alone" cmp -s "$KH" "$LAB_TMP/kh.before"
check "trust --yes replaces the key" fencer trust swa --yes
check "  and says so" has "$FP: recorded, in place of the key known-hosts held"
check "  the old key is gone" lacks -F "$(cut -d" " -f2 "$LAB_TMP/other.pub")" "$KH"
check "  the new key is there" grep -qF "$(cut -d' ' -f2 "$D/ssh_host_ed25519_key.pub")" "$KH"
check "fence works with the replaced key" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
lab_done
