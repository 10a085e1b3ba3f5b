#!/usr/bin/env bash
# What the cisco-ios driver makes of a switch's answers, against the lab's
# IOS emulator with its faults: a CLI that refuses `end` is left with
# `exit`; a port whose shutdown was sent but not verified is recorded
# ("sent, not verified") and unfence brings it back; an answer that is not
# the command's known success (`No such command : ...`) is a failure in the
# switch's words, never "flushed"; a port the switch does not have is "no
# such port", with the names it has; check finds a session below privilege
# 15 and a switch without the MAC table commands before a promote does.
# Every port state is read in the switch's kernel.
set -u
. "$(dirname "$0")/cisco_lib.sh"
cisco_setup ca
cisco_conf
F=$LAB_TMP/state/fenced.json

# --- `end` refused: leave config mode with exit --------------------------------
cisco_fault fault=no-end
: >"$D/ios.log"
check "fence with a CLI that refuses end" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  verified: recorded as fenced" grep -q '"state": "fenced"' "$F"
check "  left config mode with exit" grep -q "(config-if)#	exit" "$D/ios.log"
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- shutdown sent, verification impossible: recorded, unfence knows it -------------
cisco_fault fault=no-end fault=no-exit
check "fence with a CLI that cannot leave config mode fails" eval '! fencer fence fw1'
check "  in the switch's words" has "cannot leave config mode"
check "  Gi0/1 is down in the kernel all the same" admin_down gi1
check "  fenced.json holds it: sent, not verified" grep -q '"state": "sent, not verified"' "$F"
cisco_fault
check "status shows it" eval 'fencer status fw1 && grep -q "GigabitEthernet0/1 .*down .*sent, not verified, since" "$OUT"'
check "unfence brings it back" fencer unfence fw1
check "  says 1 port" has "fw1 unfenced (1 port)"
check "  Gi0/1 is up" admin_up gi1
check "  and fenced.json forgets it" eval '! grep -q GigabitEthernet0/1 "$F"'

# --- answers that are not the known success --------------------------------------
cisco_fault fault=plain-errors fault=no-mac-table
: >"$D/ios.log"
check "flush of a switch that knows no clear command fails" eval '! fencer flush swa'
check "  in the switch's words" has "No such command : clear mac-address-table dynamic"
check "  never says flushed" hasnt "MAC tables flushed"
check "  both forms were tried" grep -q "	clear mac address-table dynamic$" "$D/ios.log"
check "fence still works there (its commands answer nothing)" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "unfence" fencer unfence fw1
cisco_fault
check "flush of a good switch says what it did" fencer -v flush swa
check "  the command accepted, in the timeline" has "\`clear mac address-table dynamic\` accepted"
check "  and in the journal" grep -q '"detail":"`clear mac address-table dynamic` accepted"' "$LAB_TMP/state/journal.jsonl"

# --- a port the switch does not have ------------------------------------------------
FW1_PORTS=GigabitEthernet0/9 cisco_conf
check "status of a port the switch lacks fails" eval '! fencer status fw1'
check "  no such port" has "no such port: switch swa has no GigabitEthernet0/9"
check "  with the names it has" has "near names on it: GigabitEthernet0/1, GigabitEthernet0/2"
check "fence of it fails alike" eval '! fencer fence fw1'
check "  no such port" has "no such port: switch swa has no GigabitEthernet0/9"
check "  Gi0/1 and Gi0/2 stay up" eval 'admin_up gi1 && admin_up gi2'
cisco_conf

# --- check finds what the next promote would fail at -----------------------------------
check "check of a good switch: OK" fencer -v check
check "  says the write and the flush were checked" eval 'has "swa: write: privilege level 15" && has "swa: MAC flush: flushes with"'
cisco_fault privilege=7
check "check of a session at privilege 7: CRITICAL" eval 'fencer check; test $? = 2'
check "  says why" has "a fence would fail: the session is at privilege level 7"
check "  and fence does fail there" eval '! fencer fence fw1'
check "  Gi0/1 is up" admin_up gi1
sed -i 's/^\[switch swa\]$/&\ncheck-write = no/' "$C"
check "with check-write = no the write is not tried: OK" fencer check
cisco_conf
cisco_fault fault=no-mac-table
check "check of a switch without MAC table commands: WARNING" eval 'fencer check; test $? = 1'
check "  says the flush would fail" has "switch swa: the MAC flush would fail"
cisco_fault
check "nothing changed on the switch by check" eval 'admin_up gi1 && admin_up gi2'
lab_done
