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
ok "fence with an unknown host key fails" eval '! fencer fence fw1'
ok "  says so, with the offered fingerprint" has "unknown host key: 10.77.0.2 offers ssh-ed25519 $FP"
ok "  and the hint" has "run: fencer trust swa"
ok "  nothing logged in to the CLI" test "$(logins)" = 0
ok "  Gi0/1 is up" admin_up gi1

ok "trust without --yes shows the key" fencer trust swa
ok "  with its fingerprint" has "$FP: not known yet"
ok "  in one line" test "$(wc -l <"$OUT")" = 1
ok "  and records nothing" eval '[ ! -e "$KH" ] || lacks ssh-ed25519 "$KH"'
ok "fence is still refused" eval '! fencer fence fw1'
ok "  Gi0/1 is up" admin_up gi1

ok "trust --yes" fencer trust swa --yes
ok "  says it recorded the key" has "$FP: recorded"
ok "  known-hosts holds it" grep -q "^10.77.0.2 $(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" "$KH"
ok "trust again: already trusted" eval 'fencer trust swa && grep -qF "$FP: already trusted" "$OUT"'
ok "  in one line, nothing about --yes" eval 'test "$(wc -l <"$OUT")" = 1 && ! grep -q -- --yes "$OUT"'
ok "fence now works" fencer fence fw1
ok "  Gi0/1 is down" admin_down gi1
ok "unfence" fencer unfence fw1
ok "  Gi0/1 is up" admin_up gi1

# --- changed key: known-hosts holds another key of the same type ---------------
ssh-keygen -q -t ed25519 -N '' -f "$LAB_TMP/other" -C other
printf '10.77.0.2 %s\n' "$(cut -d' ' -f1,2 "$LAB_TMP/other.pub")" >"$KH"
cp "$KH" "$LAB_TMP/kh.before"
n=$(logins)
ok "fence with a changed host key fails" eval '! fencer fence fw1'
ok "  says HOST KEY CHANGED with the offered fingerprint" has "HOST KEY CHANGED: 10.77.0.2 offers ssh-ed25519 $FP"
ok "  and the hint" has "run: fencer trust swa"
ok "  nothing logged in to the CLI" test "$(logins)" = "$n"
ok "  Gi0/1 is up" admin_up gi1
ok "trust without --yes reports the change, exit 1" eval '! fencer trust swa && grep -qF "$FP: HOST KEY CHANGED" "$OUT"'
ok "  in one line" test "$(wc -l <"$OUT")" = 1
ok "  and leaves known-hosts alone" cmp -s "$KH" "$LAB_TMP/kh.before"
ok "trust --yes replaces the key" fencer trust swa --yes
ok "  and says so" has "$FP: recorded, in place of the key known-hosts held"
ok "  the old key is gone" lacks -F "$(cut -d" " -f2 "$LAB_TMP/other.pub")" "$KH"
ok "  the new key is there" grep -qF "$(cut -d' ' -f2 "$D/ssh_host_ed25519_key.pub")" "$KH"
ok "fence works with the replaced key" fencer fence fw1
ok "  Gi0/1 is down" admin_down gi1
cisco_done
