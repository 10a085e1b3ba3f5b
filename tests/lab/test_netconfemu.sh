#!/usr/bin/env bash
# The lab's NETCONF emulator itself (netconfemu.py behind a real sshd as its
# `netconf` subsystem), driven by OpenSSH's client and netconf_client.py,
# not by fencer: both framings chosen from the hellos, a commit of `disable`
# setting the kernel port down and its removal setting it up, the admin
# status read from the kernel, the flush deleting the port's FDB entries,
# and each quirk (lock held, commit error, 1.0 only, silent, unknown rpc).
set -u
. "$(dirname "$0")/junos_lib.sh"
junos_setup ne
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
M1=$(mac_of h1) || lab_die "cannot read h1's MAC"

nc() {
	lab_in "$LAB_MGMT" /usr/bin/python3 "$LAB_HERE/netconf_client.py" "$@" -- \
		ssh -q -p 830 -i "$D/id_ed25519" -o UserKnownHostsFile="$D/known_hosts" -o BatchMode=yes \
		-o GlobalKnownHostsFile=/dev/null fencer@10.77.0.4 -s netconf >"$OUT" 2>&1
}
DISABLE='<edit-config><target><candidate/></target><config><configuration><interfaces><interface><name>ge-0/0/1</name><disable/></interface></interfaces></configuration></config></edit-config>'
ENABLE='<edit-config><target><candidate/></target><config><configuration><interfaces><interface><name>ge-0/0/1</name><disable operation="delete"/></interface></interfaces></configuration></config></edit-config>'
LOCK='<lock><target><candidate/></target></lock>'
UNLOCK='<unlock><target><candidate/></target></unlock>'
TERSE='<get-interface-information><terse/><interface-name>ge-0/0/1</interface-name></get-interface-information>'

# --- 1.1 chunked, a commit that disables the port ------------------------------
check "a session with base:1.1 on both sides" eval 'printf "%s\n" "$LOCK" "$DISABLE" "<commit/>" "$UNLOCK" "$TERSE" "<close-session/>" | nc'
check "  runs chunked" has "framing 1.1"
check "  the hello has a session-id and :candidate" eval 'grep -q "<session-id>[0-9]*</session-id>" "$OUT" && has ":candidate:1.0"'
check "  every rpc answered <ok/> by message-id" eval 'for i in 1 2 3 4; do grep -q "message-id=\"$i\"><ok/>" "$OUT" || exit 1; done'
check "  ge1 is down in the kernel" admin_down ge1
check "  get-interface-information says down" has "<admin-status>down</admin-status>"
check "  the commit is in running.json" grep -q '"ge-0/0/1": true' "$D/running.json"

# --- 1.0 only: the quirk, and a client that asks for 1.0 -----------------------------
junos_fault version=1.0
check "a 1.0-only switch" eval 'printf "%s\n" "$TERSE" | nc'
check "  runs end-of-message framing" has "framing 1.0"
check "  and names no base:1.1" hasnt "base:1.1"
junos_fault
check "a 1.0-only client on a 1.1 switch" eval 'printf "%s\n" "$LOCK" "$ENABLE" "<commit/>" "$UNLOCK" | nc --v10'
check "  runs end-of-message framing" has "framing 1.0"
check "  ge1 is up again" admin_up ge1
check "  get-interface-information says up" eval 'printf "%s\n" "$TERSE" | nc && has "<admin-status>up</admin-status>"'
check "delete of an absent disable: a warning beside ok" eval 'printf "%s\n" "$LOCK" "$ENABLE" "<discard-changes/>" "$UNLOCK" | nc'
check "  says statement not found, severity warning" eval 'grep -q "<error-severity>warning</error-severity>.*statement not found.*<ok/>" "$OUT"'

# --- the flush deletes the port's learned entries --------------------------------
check "h1 is learned on ge1" eval 'lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null; in_fdb "$M1" ge1'
check "ELS: clear-ethernet-switching-table with <interface> is a syntax error" eval 'echo "<clear-ethernet-switching-table><interface>ge-0/0/1</interface></clear-ethernet-switching-table>" | nc && has "syntax error" && hasnt "<ok/>"'
check "  the entry is still there" in_fdb "$M1" ge1
check "ELS: clear-ethernet-switching-interface-table interface-name ge-0/0/1" eval 'echo "<clear-ethernet-switching-interface-table><interface-name>ge-0/0/1</interface-name></clear-ethernet-switching-interface-table>" | nc && has "<ok/>"'
check "  h1's entry is gone from the kernel" not_in_fdb "$M1" ge1
check "h1 learned again" eval 'lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null; in_fdb "$M1" ge1'
junos_fault els=0
check "non-ELS: clear-ethernet-switching-table interface ge-0/0/1" eval 'echo "<clear-ethernet-switching-table><interface>ge-0/0/1</interface></clear-ethernet-switching-table>" | nc && has "<ok/>"'
check "  h1's entry is gone from the kernel" not_in_fdb "$M1" ge1
check "non-ELS: the table takes <summary/>, not <count/>" eval 'printf "%s\n" "<get-ethernet-switching-table-information><summary/></get-ethernet-switching-table-information>" "<get-ethernet-switching-table-information><count/></get-ethernet-switching-table-information>" | nc && grep -q "message-id=\"1\"><ethernet-switching-table-information>" "$OUT" && grep -q "message-id=\"2\"><rpc-error>" "$OUT"'
junos_fault
check "ELS: the table takes <count/>, not <summary/>" eval 'printf "%s\n" "<get-ethernet-switching-table-information><summary/></get-ethernet-switching-table-information>" "<get-ethernet-switching-table-information><count/></get-ethernet-switching-table-information>" | nc && grep -q "message-id=\"1\"><rpc-error>" "$OUT" && grep -q "message-id=\"2\"><l2ng-l2ald-rtb-macdb>" "$OUT"'
check "h1 learned again" eval 'lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null; in_fdb "$M1" ge1'
junos_fault no-flush-rpc=1
check "no-flush-rpc: the rpc is a syntax error" eval 'echo "<clear-ethernet-switching-table/>" | nc && has "syntax error" && hasnt "<ok/>"'
check "  the entry is still there" in_fdb "$M1" ge1
check "  <command>clear ethernet-switching table</command> works" eval 'echo "<command>clear ethernet-switching table</command>" | nc && hasnt rpc-error'
check "  h1's entry is gone" not_in_fdb "$M1" ge1

# --- quirks -----------------------------------------------------------------------
junos_fault "locked-by=admin terminal p0 (pid 4242) on since 2026-12-01 17:00:00 UTC, idle 00:00:05 exclusive"
check "locked-by: lock is refused" eval 'echo "$LOCK" | nc && has "configuration database locked by:" && has "lock-denied"'
junos_fault "commit-error=mgd: interface ge-0/0/1 cannot be disabled"
check "commit-error: the commit fails with its words and path" eval 'printf "%s\n" "$LOCK" "$DISABLE" "<commit/>" | nc && has "cannot be disabled" && has "[edit interfaces ge-0/0/1]"'
check "  ge1 stays up" admin_up ge1
junos_fault
check "an unknown rpc is an error" eval 'echo "<get-nothing/>" | nc && has "operation-not-supported"'
check "a port the switch lacks: device not found" eval 'echo "<get-interface-information><terse/><interface-name>ge-0/0/9</interface-name></get-interface-information>" | nc && has "device ge-0/0/9 not found"'
junos_fault hang=1
lab_in "$LAB_MGMT" timeout 5 /usr/bin/python3 "$LAB_HERE/netconf_client.py" -- \
	ssh -q -p 830 -i "$D/id_ed25519" -o UserKnownHostsFile="$D/known_hosts" -o BatchMode=yes \
	-o GlobalKnownHostsFile=/dev/null fencer@10.77.0.4 -s netconf </dev/null >"$OUT" 2>&1; rc=$?
check "hang: no hello within 5 s (timeout ends the client)" test "$rc" = 124
check "  nothing was sent" hasnt "framing"
junos_fault
lab_done
