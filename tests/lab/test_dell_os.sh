#!/usr/bin/env bash
# The dell-os driver against cliemu's Dell OS6 dialect behind a real OpenSSH
# sshd: fence, unfence, read-back, flush, check, credentials, host key,
# refused commands, paging, a silent switch (cliemu_lib.sh's cli_common),
# then what is Dell's own: PowerConnect's `terminal datadump`, a login that
# lands in privileged EXEC, the read-back by `show interfaces configuration`
# when `show running-config interface` is refused, `fencer flush`. Every
# outcome is checked in the switch namespace's kernel.
set -u
. "$(dirname "$0")/cliemu_lib.sh"
cli_setup de dell-os
WORDS_UNKNOWN="% Invalid input detected at '^' marker."
WORDS_BAD_PORT="% Invalid input detected at '^' marker."
SET_DOWN=shutdown SET_UP="no shutdown" FLUSH_CMD="clear mac address-table dynamic interface"
PRIV=enable READ_CMD=show MACS_CMD="show mac address-table interface"
LLDP_CMD="show lldp remote-device detail"
cli_common

# --- PowerConnect: `terminal datadump` for paging off ----------------------------
cli_conf
cli_fault quirk=old-forms length=2
: >"$D/cli.log"
check "fence a switch with only terminal datadump" fencer fence fw1
check "  terminal length 0 was tried first" grep -q "	terminal length 0$" "$D/cli.log"
check "  then terminal datadump" grep -q "	terminal datadump$" "$D/cli.log"
check "  $P1 is down" admin_down gi1
check "unfence" fencer unfence fw1
check "  $P1 is up" admin_up gi1

# --- a login that lands at # needs no enable ------------------------------------
cli_fault privileged=1
: >"$D/cli.log"
check "fence when the login lands at #" fencer fence fw1
check "  no enable was typed" lacks "	enable" "$D/cli.log"
check "  $P1 is down" admin_down gi1
check "unfence" fencer unfence fw1
check "  $P1 is up" admin_up gi1

# --- read back by show interfaces configuration -------------------------------------
cli_fault "refuse=show running-config"
: >"$D/cli.log"
check "fence where show running-config is refused" fencer fence fw1
check "  read back by show interfaces configuration" grep -q "	show interfaces configuration $P1$" "$D/cli.log"
check "  $P1 is down" admin_down gi1
check "status reads it as down" eval 'fencer status && grep -Eq "^fw1 +swa +$P1 +down" "$OUT"'
check "unfence" fencer unfence fw1
check "  $P1 is up" admin_up gi1
cli_fault

# --- fencer flush: the whole dynamic table -------------------------------------------
: >"$D/cli.log"
check "entries learned on both ports" cli_plant
check "fencer flush" fencer flush
check "  with clear mac address-table dynamic" grep -q "	clear mac address-table dynamic$" "$D/cli.log"
check "  the entry on $P1 is gone" not_in_fdb "$MX1" gi1
check "  the entry on $P2 is gone" not_in_fdb "$MX2" gi2
lab_done
