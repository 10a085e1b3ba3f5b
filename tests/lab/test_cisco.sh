#!/usr/bin/env bash
# The cisco-ios driver against the IOS emulator behind a real OpenSSH sshd:
# fence and unfence with password and with key login, enable secret right
# and wrong, a refused login, the verification catching a port that did not
# go down, the switch's own % errors, paging left on, and a switch that stops
# answering cut at the deadline. Every outcome is checked in the kernel of
# the switch namespace (the port's administrative state), not only by exit
# code; the secrets must not appear anywhere fencer wrote.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup ci

# --- password login, enable with the right secret ----------------------------
cisco_conf
check "configtest accepts the cisco-ios switch" fencer configtest
check "fence fw1 (password login)" fencer fence fw1
check "  Gi0/1 is down in the kernel" admin_down gi1
check "  Gi0/2 was left alone" admin_up gi2
check "  the switch saw enable accepted" grep -q "enable ok" "$D/ios.log"
check "status reads it back as down" eval 'fencer status && grep -Eq "^fw1 +swa +GigabitEthernet0/1 +down" "$OUT"'
check "unfence fw1" fencer unfence fw1
check "  Gi0/1 is up again" admin_up gi1

# --- public-key login ---------------------------------------------------------
cisco_conf "identity = $D/id_ed25519
enable-secret-file = $D/enable"
check "fence fw1 (key login)" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  sshd accepted the public key" grep -q "Accepted publickey for fencer" "$LAB_TMP/swa-sshd.log"
check "unfence fw1 (key login)" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- wrong enable secret, wrong password --------------------------------------
lab_secret "$LAB_TMP/wrong.enable" "wrong-$(lab_rand 4)"
cisco_conf "password-file = $D/password
enable-secret-file = $LAB_TMP/wrong.enable"
check "fence with a wrong enable secret fails" eval '! fencer fence fw1'
check "  and says the enable secret was refused" has "enable secret refused"
check "  Gi0/1 stays up" admin_up gi1
lab_secret "$LAB_TMP/wrong.pw" "wrong-$(lab_rand 4)"
cisco_conf "password-file = $LAB_TMP/wrong.pw
enable-secret-file = $D/enable"
check "fence with a wrong password fails" eval '! fencer fence fw1'
check "  and says the login was refused" has "login refused for user fencer"
check "  Gi0/1 stays up" admin_up gi1

# --- a login that lands in privileged EXEC needs no enable; a closed port ----------
cisco_conf
cisco_fault privilege=15
: >"$D/ios.log"
check "fence when the login lands at #" fencer fence fw1
check "  no enable was sent" lacks "	enable" "$D/ios.log"
check "  Gi0/1 is down" admin_down gi1
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1
cisco_fault
sed -i 's/^address = .*/&\nport = 2222/' "$C"
check "fence through a closed TCP port fails" eval '! fencer fence fw1'
check "  as a connection failure" has "connect swa failed: cannot connect to 10.77.0.2 port 2222"
check "  Gi0/1 is up" admin_up gi1

# --- verification: the switch accepts shutdown but does nothing ---------------
cisco_conf
cisco_fault fault=ignore-shutdown
check "fence fails when the port does not go down" eval '! fencer fence fw1'
check "  shutdown was sent" grep -q "kernel.ip link set dev gi1 down" "$D/ios.log"
check "  the read-back caught it" has "port is still up after shutdown"
check "  Gi0/1 is really up" admin_up gi1
check "  fenced.json records it sent, not verified" grep -q '"state": "sent, not verified"' "$LAB_TMP/state/fenced.json"
check "  and never as fenced" lacks '"state": "fenced"' "$LAB_TMP/state/fenced.json"
cisco_fault

# --- the switch's own % errors --------------------------------------------------
FW1_PORTS="GigabitEthernet0/1 GigabitEthernet0/9" cisco_conf
check "fence with a port the switch lacks fails" eval '! fencer fence fw1'
check "  with the switch's words" has "% Invalid input detected at '^' marker."
check "  the port and the command" has "no such port: switch swa has no GigabitEthernet0/9 (its answer to \`interface GigabitEthernet0/9\`"
check "  the other port was fenced in the same session" admin_down gi1
cisco_conf
check "unfence restores it" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- paging on: terminal length refused, 4-line pages ----------------------------
cisco_fault fault=no-terminal-length length=4
check "fence with paging on" fencer fence fw1
check "  terminal length 0 was refused by the switch" grep -q "terminal length 0" "$D/ios.log"
check "  Gi0/1 is down" admin_down gi1
check "status reads the paged running-config" eval 'fencer status && grep -Eq "^fw1 +swa +GigabitEthernet0/1 +down" "$OUT"'
check "unfence with paging on" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- check: read-only probe -----------------------------------------------------
cisco_fault
: >"$D/ios.log"
check "check logs in and reads" fencer check
check "  nothing that changes a port or a table reached the switch" eval 'grep -q "	show" "$D/ios.log" && lacks -E "	(shut|no shut|clear)" "$D/ios.log"'
sed -i 's/^\[switch swa\]$/&\ncheck-write = no/' "$C"
: >"$D/ios.log"
check "check with check-write = no" fencer check
check "  nothing but reads reached the switch" eval 'grep -q "	show" "$D/ios.log" && lacks -E "	(conf|shut|no shut|clear)" "$D/ios.log"'

# --- a switch that stops answering mid-session ----------------------------------
cisco_fault delay-ms=60000
DEADLINE=2s TIMEOUT=20s cisco_conf
# `timeout 30` only guards against a hang of the test itself.
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a switch that stops answering: exit 1" test "$rc" = 1
check "  reported as a timeout at the deadline" grep -Eq "timeout.*deadline" "$OUT"
check "  Gi0/1 untouched" admin_up gi1
cisco_fault fault=hang
TIMEOUT=1s cisco_conf
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a switch silent after login: exit 1" test "$rc" = 1
check "  reported as a timeout of the first prompt" has "no answer within 1000 ms (timeout) to the first prompt"
cisco_fault

# --- secrets --------------------------------------------------------------------
for f in "$D/password" "$D/enable" "$LAB_TMP/wrong.enable" "$LAB_TMP/wrong.pw"; do
	s=$(cat "$f")
	check "secret $(basename "$f") is in no output, journal or state" \
		lacks -rF -- "$s" "$LAB_TMP/all.out" "$LAB_TMP/state"
	check "secret $(basename "$f") is not in the switch's command log" lacks -F -- "$s" "$D/ios.log"
done
lab_done
