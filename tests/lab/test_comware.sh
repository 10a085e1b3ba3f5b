#!/usr/bin/env bash
# The comware driver against cliemu's Comware dialect behind a real OpenSSH
# sshd: fence, unfence, read-back, flush, check, credentials, host key,
# refused commands, paging, a silent switch (cliemu_lib.sh's cli_common),
# then what is Comware's own: Comware 5's `display brief interface`, log
# lines on the terminal, super, and flush = all refused. Every outcome is
# checked in the switch namespace's kernel.
set -u
. "$(dirname "$0")/cliemu_lib.sh"
cli_setup cw comware
WORDS_UNKNOWN="% Unrecognized command found at '^' position."
WORDS_BAD_PORT="% Wrong parameter found at '^' position."
SET_DOWN=shutdown SET_UP="undo shutdown" FLUSH_CMD="undo mac-address dynamic interface"
PRIV=super READ_CMD=display MACS_CMD="display mac-address interface"
LLDP_CMD="display lldp neighbor-information interface"
cli_common

# --- Comware 5: only `display brief interface X` -----------------------------------
cli_conf
cli_fault quirk=old-forms
: >"$D/cli.log"
check "fence a Comware 5 switch" fencer fence fw1
check "  $P1 is down" admin_down gi1
check "  read back with the Comware 7 form first" grep -q "	display interface $P1 brief$" "$D/cli.log"
check "  then with Comware 5's" grep -q "	display brief interface $P1$" "$D/cli.log"
check "status reads it as down" eval 'fencer status && grep -Eq "^fw1 +swa +$P1 +down" "$OUT"'
check "unfence" fencer unfence fw1
check "  $P1 is up" admin_up gi1

# --- log lines on the terminal are no error ----------------------------------------
cli_fault quirk=logs
check "fence with log lines after each shutdown" fencer fence fw1
check "  $P1 is down" admin_down gi1
check "unfence with log lines" fencer unfence fw1
check "  $P1 is up" admin_up gi1
cli_fault

# --- no super password: no super ----------------------------------------------------
cli_conf "password-file = $D/password"
: >"$D/cli.log"
check "fence without enable-secret-file" fencer fence fw1
check "  no super was typed" lacks "	super" "$D/cli.log"
check "  $P1 is down" admin_down gi1
check "unfence" fencer unfence fw1
check "  $P1 is up" admin_up gi1

# --- the whole table: refused with the reason ----------------------------------------
FLUSH=all cli_conf
check "configtest refuses flush = all" eval '! fencer configtest'
check "  saying why" has "driver comware cannot flush = all"
cli_conf
: >"$D/cli.log"
check "fencer flush (the whole table) fails" eval '! fencer flush'
check "  saying the driver flushes per port" has "driver comware flushes per port"
check "  and nothing was deleted" lacks "undo mac-address" "$D/cli.log"
lab_done
