#!/usr/bin/env bash
# The junos driver against the NETCONF emulator (netconfemu.py) behind a
# real OpenSSH sshd as its `netconf` subsystem on port 830: fence and
# unfence with password and key login, in both framings, with commit
# confirmed; status reading the port back; the flush in both forms; check
# (a lock and an unlock, nothing written); a wrong password; an unknown host
# key and `fencer trust`; a locked database, a commit error and an answer
# fencer does not know, each a failure in the switch's words with the
# candidate discarded and unlocked; a commit the kernel did not follow
# caught by the read-back; a port the switch lacks; a slow switch; a silent
# switch cut at the deadline. Every outcome is checked in the kernel of the
# switch namespace (the port's administrative state, the bridge's FDB).
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup ju

# --- password login, NETCONF 1.1 ---------------------------------------------------
junos_conf
check "configtest accepts the junos switch" fencer configtest
check "fence fw1 (password login)" fencer fence fw1
check "  ge1 is down in the kernel" admin_down ge1
check "  ge2 was left alone" admin_up ge2
check "  the session ran chunked (1.1)" grep -q "event.hello 1.1 chunked" "$D/nc.log"
check "  lock, edit-config, commit, unlock, then the read-back" \
	eval 'rpcs | grep -q "^lock edit-config commit unlock get-interface-information"'
check "  the disable is committed" grep -q '"ge-0/0/1": true' "$D/running.json"
check "status reads it back as down" eval 'fencer status && grep -Eq "^fw1 +swj +ge-0/0/1 +down" "$OUT"'
check "unfence fw1" fencer unfence fw1
check "  ge1 is up again" admin_up ge1
check "  the disable was deleted" grep -q '"ge-0/0/1": false' "$D/running.json"

# --- a newline after the hello's ]]>]]>, then chunks ----------------------------------
junos_fault hello-newline=1
check "fence fw1 when the hello ends with a newline" fencer fence fw1
check "  ge1 is down" admin_down ge1
check "unfence fw1" fencer unfence fw1
check "  ge1 is up" admin_up ge1
junos_fault

# --- key login, NETCONF 1.0 only ------------------------------------------------------
junos_fault version=1.0
: >"$D/nc.log"
junos_conf "identity = $D/id_ed25519"
check "fence fw1 (key login, a 1.0-only switch)" fencer fence fw1
check "  ge1 is down" admin_down ge1
check "  sshd accepted the public key" grep -q "Accepted publickey for fencer" "$LAB_TMP/swj-sshd.log"
check "  the session ran end-of-message framing (1.0)" grep -q "event.hello 1.0" "$D/nc.log"
check "unfence fw1 (1.0)" fencer unfence fw1
check "  ge1 is up" admin_up ge1
junos_fault

# --- commit confirmed, confirmed in the same session ------------------------------
: >"$D/nc.log"
EXTRA="commit-confirmed = 120s" junos_conf
check "fence fw1 with commit-confirmed = 120s" fencer fence fw1
check "  ge1 is down" admin_down ge1
check "  a confirmed commit of 120 s, then the confirming commit" \
	eval 'awk -F"\t" "\$2 == \"commit\" {print \$3}" "$D/nc.log" | tr "\n" " " | grep -qx "confirmed 120 plain "'
check "unfence fw1" fencer unfence fw1
check "  ge1 is up" admin_up ge1
junos_conf

# --- unfence of a port that has no disable: a warning, or RFC 6241's error -----------
: >"$D/nc.log"
check "unfence fw1 again (no disable to delete: Junos' warning)" fencer unfence fw1 --all
check "  ge1 is up" admin_up ge1
check "  the delete was in no-change mode, then committed" \
	eval 'grep -q "edit.delete interfaces ge-0/0/1 disable (default-operation none)" "$D/nc.log" && rpcs | grep -q "^lock edit-config commit unlock"'
junos_fault delete-absent=error
check "unfence fw1 again (RFC 6241's data-missing error)" fencer unfence fw1 --all
check "  ge1 is up" admin_up ge1
junos_fault

# --- wrong password ----------------------------------------------------------------
lab_secret "$LAB_TMP/wrong.pw" "wrong-$(lab_rand 4)"
junos_conf "password-file = $LAB_TMP/wrong.pw"
check "fence with a wrong password fails" eval '! fencer fence fw1'
check "  and says the login was refused" has "login refused for user fencer"
check "  ge1 stays up" admin_up ge1
junos_conf

# --- the switch's own refusals: the lock, the commit, an unknown answer ------------------
junos_fault "locked-by=admin terminal p0 (pid 4242) on since 2026-12-01 17:00:00 UTC, idle 00:00:05 exclusive"
: >"$D/nc.log"
check "fence with the configuration locked by another user fails" eval '! fencer fence fw1'
check "  with the switch's words" has "configuration database locked by: admin terminal p0 (pid 4242)"
check "  and its error-tag" has "tag lock-denied"
check "  nothing was edited" eval 'rpcs | grep -q "^lock " && ! rpcs | grep -q edit-config'
check "  ge1 stays up" admin_up ge1

junos_fault "commit-error=mgd: interface ge-0/0/1 cannot be disabled"
: >"$D/nc.log"
check "fence with a commit error fails" eval '! fencer fence fw1'
check "  with the switch's words and error-path" \
	has "mgd: interface ge-0/0/1 cannot be disabled (severity error, tag operation-failed, path [edit interfaces ge-0/0/1])"
check "  the candidate was discarded and unlocked" eval 'rpcs | grep -q "commit discard-changes unlock"'
check "  ge1 stays up" admin_up ge1
check "  fenced.json does not say fenced" lacks '"state": "fenced"' "$LAB_TMP/state/fenced.json"

junos_fault commit-reply=commit-queued
: >"$D/nc.log"
check "fence with a commit answer fencer does not know fails" eval '! fencer fence fw1'
check "  naming the answer" has "answered <commit> with <commit-queued>, not <ok/>: not taken as done"
check "  the candidate was discarded and unlocked" eval 'rpcs | grep -q "commit discard-changes unlock"'
check "  ge1 stays up" admin_up ge1

# --- read-back: the commit accepted, the port not down -------------------------------
junos_fault ignore-disable=1
check "fence fails when the port does not go down" eval '! fencer fence fw1'
check "  the read-back caught it" has "still up"
check "  ge1 is really up" admin_up ge1
check "  fenced.json records it sent, not verified" grep -q '"state": "sent, not verified"' "$LAB_TMP/state/fenced.json"
junos_fault
check "unfence clears the committed disable" fencer unfence fw1
check "  ge1 is up" admin_up ge1

# --- a port the switch lacks ---------------------------------------------------------
FW1_PORTS=ge-0/0/9 junos_conf
check "fence of a port the switch lacks fails" eval '! fencer fence fw1'
check "  with the switch's words" has "device ge-0/0/9 not found"
junos_conf

# --- check: read-only, and the write test is a lock and an unlock ---------------------------
: >"$D/nc.log"
check "check" fencer check
check "  says OK" has "FENCER OK"
check "  locked and unlocked, nothing edited or committed" \
	eval 'rpcs | grep -q "lock unlock" && ! rpcs | grep -Eq "edit-config|commit|clear"'
check "  read the software version" eval 'rpcs | grep -q get-software-information'
sed -i 's/^\[switch swj\]$/&\ncheck-write = no/' "$C"
: >"$D/nc.log"
check "check with check-write = no" fencer check
check "  no lock either" eval 'rpcs | grep -q get-software-information && ! rpcs | grep -Eq "lock|edit-config|commit|clear"'
junos_conf

# --- a slow switch, within its timeout ----------------------------------------------------
junos_fault delay-ms=400
check "fence a switch that answers each rpc 400 ms late" fencer fence fw1
check "  ge1 is down" admin_down ge1
check "unfence" fencer unfence fw1
check "  ge1 is up" admin_up ge1

# --- a silent switch, cut at the deadline and at the timeout ------------------------------
junos_fault hang=1
DEADLINE=2s TIMEOUT=20s junos_conf
# `timeout 30` only guards against a hang of the test itself.
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch: exit 1" test "$rc" = 1
check "  reported as a timeout at the deadline" grep -Eq "timeout.*deadline" "$OUT"
check "  ge1 untouched" admin_up ge1
TIMEOUT=1s junos_conf
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch with timeout = 1s: exit 1" test "$rc" = 1
check "  reported as a timeout of the hello" has "no answer within 1000 ms (timeout) to the switch's hello"
junos_fault
junos_conf

# --- secrets --------------------------------------------------------------------
for f in "$D/password" "$LAB_TMP/wrong.pw"; do
	s=$(cat "$f")
	check "secret $(basename "$f") is in no output, journal or state" lacks -rF -- "$s" "$LAB_TMP/all.out" "$LAB_TMP/state"
	check "secret $(basename "$f") is not in the switch's log" lacks -F -- "$s" "$D/nc.log"
done
lab_done
