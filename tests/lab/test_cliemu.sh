#!/usr/bin/env bash
# The CLI emulator itself, both dialects, behind the lab's real sshd and
# driven by the real ssh client (with and without a pty): prompts, modes,
# errors with their caret, paging, the quirks, and every effect in the
# kernel of the switch namespace (ip link, bridge fdb). The drivers' tests
# (test_comware.sh, test_dell_os.sh) rely on what is checked here.
set -u
. "$(dirname "$0")/cliemu_lib.sh"
cli_setup ce comware
EN=$(cat "$D/enable")
# emu MODE LINES...: one session, key login; MODE notty|tty; output in $OUT
emu() {
	local how=$1; shift
	case $how in
	notty) printf '%s\n' "$@" | lab_ssh swa -T >"$OUT" 2>&1;;
	tty) printf '%s\n' "$@" | lab_ssh swa -tt >"$OUT" 2>&1;;
	esac
}

# === Comware ===================================================================
emu notty "display interface $P1 brief" quit
check "comware: login lands in user view" has "<swa>"
check "comware: brief shows the port UP, abbreviated" grep -Eq "^GE1/0/1 +UP " "$OUT"
emu tty system-view "interface $P1" shutdown "display interface $P1 brief" return quit
check "comware: system-view says how to return" has "System View: return to User View with Ctrl+Z."
check "comware: system view prompt" has "[swa]interface $P1"
check "comware: interface view prompt" has "[swa-$P1]shutdown"
check "comware: shutdown takes the kernel port down" admin_down gi1
check "comware: brief says ADM" grep -Eq "^GE1/0/1 +ADM " "$OUT"
check "comware: the other port stays up" admin_up gi2
emu notty system-view "interface $P1" "undo shutdown" quit quit quit
check "comware: undo shutdown brings it up" admin_up gi1
check "comware: quit leaves one view at a time" has "[swa-$P1]quit"
emu notty "foo bar" "display interface $P9 brief" "system-view" "interface" "undo mac-address dynamic interface $P1" quit quit
check "comware: an unknown word: caret under it" has $'<swa>foo bar\r\n     ^\r\n% Unrecognized command found at \'^\' position.'
check "comware: a port it lacks" has $'                       ^\r\n% Wrong parameter found at \'^\' position.'
check "comware: a command cut short" has "% Incomplete command found at '^' position."
check "comware: undo mac-address needs system view" has "[swa]undo mac-address dynamic interface $P1"

# --- the MAC table: extern_learn entries, flushed per port --------------------------
check "entries learned on both ports" cli_plant
emu notty "display mac-address" quit
check "comware: display mac-address lists them in H-H-H" grep -Eq "^02cf-0000-0102 +1 +Learned +GE1/0/2 " "$OUT"
emu notty system-view "undo mac-address dynamic interface $P2" quit quit
check "comware: undo mac-address removes the port's entry" not_in_fdb "$MX2" gi2
check "comware: ... and no other" in_fdb "$MX1" gi1
check "comware: the log says what the kernel was told" grep -q "kernel.fdb flush gi2" "$D/cli.log"

# --- super, paging, quirks -----------------------------------------------------------------
emu notty super "$EN" quit
check "comware: super asks for the password" has "Password:"
check "comware: the password is not echoed" hasnt "Password:$EN"
check "comware: super accepted" grep -q "super ok" "$D/cli.log"
cli_fault length=3
emu notty "display interface $P1 brief" " " " " quit
check "comware: pages of 3 lines with ---- More ----" has "  ---- More ----"
check "comware: the pages turned with a space" grep -Eq "^GE1/0/1 +UP " "$OUT"
emu notty "screen-length disable" "display interface $P1 brief" quit
check "comware: screen-length disable ends paging" hasnt "---- More ----"
cli_fault quirk=no-paging length=3
emu notty "screen-length disable" "display interface $P1 brief" " " " " quit
check "comware: no-paging refuses screen-length disable" has "% Unrecognized command found at '^' position."
check "comware: ... and pages stay" has "---- More ----"
cli_fault quirk=old-forms
emu notty "display interface $P1 brief" "display brief interface $P1" quit
check "comware: old-forms refuses Comware 7's brief" has "% Unrecognized command found at '^' position."
check "comware: ... and answers Comware 5's" has "The brief information of interface(s) under bridge mode:"
cli_fault "refuse=display version"
emu notty "display version" quit
check "comware: refuse= refuses the command" has "% Unrecognized command found at '^' position."
cli_fault quirk=ignore-shutdown quirk=logs
emu notty system-view "interface $P1" shutdown quit quit quit
check "comware: ignore-shutdown changes nothing" admin_up gi1
check "comware: logs prints a log line" has "IFNET/3/PHY_UPDOWN: Physical state on the interface $P1 changed to down."
cli_fault quirk=hang
LAB_SSH_TIMEOUT=3 emu notty "display version" quit
check "comware: hang says nothing after login" hasnt "<swa>"
cli_fault

# === Dell OS6 ===================================================================
sed -i -e 's/^dialect=.*/dialect=dell-os/' -e "s|^port=$P1 |port=Gi1/0/1 |" -e "s|^port=$P2 |port=Gi1/0/2 |" \
	"$D/cli.conf.orig"
cli_fault
emu notty enable "$EN" "terminal length 0" configure "interface Gi1/0/1" shutdown end \
	"show running-config interface Gi1/0/1" "show interfaces configuration Gi1/0/1" exit
check "dell: login lands in user EXEC" has "swa>enable"
check "dell: enable asks for the password, not echoed" eval 'has "Password:" && hasnt "Password:$EN"'
check "dell: configure gives (config)#" has "swa(config)#interface Gi1/0/1"
check "dell: the interface mode names the port" has "swa(config-if-Gi1/0/1)#shutdown"
check "dell: shutdown takes the kernel port down" admin_down gi1
check "dell: running-config shows shutdown" has $'interface Gi1/0/1\r\nshutdown\r\nexit'
check "dell: interfaces configuration says Down" grep -Eq "^Gi1/0/1 .* Down" "$OUT"
check "dell: the other port stays up" admin_up gi2
emu notty enable "$EN" configure "interface Gi1/0/1" "no shutdown" exit exit "show interfaces status" exit
check "dell: no shutdown brings it up" admin_up gi1
check "dell: exit leaves one level" has $'swa(config-if-Gi1/0/1)#exit\r\nswa(config)#exit\r\nswa#show'
check "dell: interfaces status lists the ports" grep -Eq "^Gi1/0/2 .* Up " "$OUT"
emu notty "show foo" enable "$EN" configure "interface Gi1/0/9" exit
check "dell: an unknown word: caret under it" has $'swa>show foo\r\n          ^\r\n% Invalid input detected at \'^\' marker.'
check "dell: a port it lacks" has $'                  ^\r\n% Invalid input detected at \'^\' marker.'
check "entries learned on both ports" cli_plant
emu notty enable "$EN" "show mac address-table" "clear mac address-table dynamic interface Gi1/0/2" exit
check "dell: show mac address-table lists them dotted" grep -Eq "^1 +02cf\.0000\.0101 +Dynamic +Gi1/0/1" "$OUT"
check "dell: clear ... interface removes the port's entry" not_in_fdb "$MX2" gi2
check "dell: ... and no other" in_fdb "$MX1" gi1
emu notty enable "$EN" "clear mac address-table dynamic" exit
check "dell: clear all removes every learned entry" not_in_fdb "$MX1" gi1
cli_fault length=2
emu notty "show version" " " " " exit
check "dell: pages with --More-- or (q)uit" has "--More-- or (q)uit"
cli_fault quirk=old-forms
emu notty "terminal length 0" "terminal datadump" exit
check "dell: old-forms refuses terminal length" has "% Invalid input detected at '^' marker."
check "dell: ... and takes terminal datadump" has $'swa>terminal datadump\r\nswa>'
cli_fault privileged=1
emu notty exit
check "dell: privileged=1 lands at #" has "swa#"
cli_fault
lab_done
