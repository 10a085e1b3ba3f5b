#!/usr/bin/env bash
# The IOS emulator behind a real OpenSSH sshd, driven by the real ssh client
# (public key and password, with and without a pty); every effect is checked
# in the kernel (ip link, bridge fdb).
set -u
. "$(dirname "$0")/lib.sh"
lab_init io

lab_switch swa 10.77.0.2/24
lab_ns h1
lab_ns h2
lab_switch_port swa gi1 "$(ns h1)" eth0
lab_switch_port swa gi2 "$(ns h2)" eth0
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
lab_sshd swa 10.77.0.2 GigabitEthernet0/1=gi1 GigabitEthernet0/2=gi2
D=$LAB_TMP/swa
EN=$(cat "$D/enable")
SW=$(ns swa)
OUT=$LAB_TMP/out
# ios MODE LINES...: one session; MODE key|keytty|pw; output in $OUT
ios() {
	local how=$1; shift
	case $how in
	key) printf '%s\n' "$@" | lab_ssh swa -T >"$OUT" 2>&1;;
	keytty) printf '%s\n' "$@" | lab_ssh swa -tt >"$OUT" 2>&1;;
	pw) printf '%s\n' "$@" | lab_ssh_pw swa -tt >"$OUT" 2>&1;;
	esac
}
dotted() { echo "$1" | tr -d : | sed 's/\(....\)\(....\)\(....\)/\1.\2.\3/'; }
learn() { lab_in "$(ns h1)" ping -c2 -i0.2 -W1 10.77.1.2 >/dev/null; }

# --- logins, prompts, show interfaces --------------------------------------
ios key "show interfaces gi0/1" exit
check "key login lands in user EXEC" has "swa>"
check "show interfaces: up" has "GigabitEthernet0/1 is up, line protocol is up"
ios pw enable "$EN" "show running-config interface GigabitEthernet0/1" logout
check "password login + enable gives #" has "swa#"
check "enable password not echoed" hasnt "Password: $EN"
check "show run int: no shutdown line" hasnt " shutdown"

# --- shutdown / no shutdown, abbreviations, Ctrl-Z -------------------------
ios keytty enable "$EN" "conf t" "int gi 0/1" shut end "sh run int gi0/1" "sh int gi0/1" exit
check "conf t gives (config)#" has "swa(config)#"
check "int gi 0/1 gives (config-if)#" has "swa(config-if)#"
check "shut takes the kernel port down" admin_down gi1
check "show run int shows shutdown" has " shutdown"
check "show interfaces: administratively down" has "GigabitEthernet0/1 is administratively down, line protocol is down"
check "the other port stays up" admin_up gi2
ios key enable "$EN" "configure terminal" "interface GigabitEthernet0/1" "no shutdown" $'\x1a' "show interfaces Gi0/1" exit
check "no shutdown brings it up" admin_up gi1
check "Ctrl-Z returns to privileged EXEC" has $'^Z\r\nswa#show interfaces'
check "show interfaces: up again" has "GigabitEthernet0/1 is up"
ios key enable "$EN" "conf t" "int gi0/2" exit exit "show version" exit
check "exit leaves one level" has $'swa(config-if)#exit\r\nswa(config)#exit\r\nswa#show version'

# --- errors -----------------------------------------------------------------
ios key "show foo" show e "conf t" "show interfaces gi0/9" exit
check "invalid input with caret under the word" has $'swa>show foo\r\n          ^\r\n% Invalid input detected at \'^\' marker.'
check "incomplete command" has "% Incomplete command."
check "ambiguous command" has '% Ambiguous command: "e"'
check "configure is privileged only" has $'swa>conf t\r\n     ^'
check "unknown interface is invalid input" has $'swa>show interfaces gi0/9\r\n                     ^'
ios key enable wrong wrong wrong exit
check "wrong enable secret" has "% Bad secrets"

# --- paging -----------------------------------------------------------------
ios key enable "$EN" "show running-config" q exit
check "--More-- without terminal length 0" has " --More-- "
check "q stops the output" hasnt "line vty 5 15"
ios key enable "$EN" "terminal width 511" "terminal length 0" "show running-config" exit
check "no paging after terminal length 0" hasnt "--More--"
check "whole config shown" has "line vty 5 15"

# --- MAC table --------------------------------------------------------------
learn
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
check "h1 learned on gi1" in_fdb "$M1" gi1
ios key "show mac address-table" exit
check "show mac address-table lists h1 on Gi0/1" grep -q "$(dotted "$M1") *DYNAMIC *Gi0/1" "$OUT"
ios key enable "$EN" "clear mac address-table dynamic interface gi0/1" exit
check "clear ... interface flushes that port" not_in_fdb "$M1" gi1
check "... and only that port" in_fdb "$M2" gi2
learn
ios key enable "$EN" "clear mac address-table dynamic" exit
check "clear all flushes h1" not_in_fdb "$M1" gi1
check "clear all flushes h2" not_in_fdb "$M2" gi2
learn
ios key enable "$EN" "clear mac-address-table dynamic interface Gi0/2" exit
check "old form works too" not_in_fdb "$M2" gi2

# --- faults -----------------------------------------------------------------
fault() { cp "$D/ios.conf.orig" "$D/ios.conf"; for f in "$@"; do echo "$f" >>"$D/ios.conf"; done; }
fault fault=old-clear
learn
ios key enable "$EN" "clear mac address-table dynamic" exit
check "old-clear: new form rejected" has "% Invalid input detected"
check "old-clear: nothing flushed" in_fdb "$M1" gi1
ios key enable "$EN" "clear mac-address-table dynamic" exit
check "old-clear: old form flushes" not_in_fdb "$M1" gi1
fault fault=no-clear
learn
ios key enable "$EN" "clear mac address-table dynamic" "clear mac-address-table dynamic interface Gi0/1" exit
check "no-clear: both forms rejected" eval '[ "$(grep -c "% Invalid input detected" "$OUT")" = 2 ]'
check "no-clear: nothing flushed" in_fdb "$M1" gi1
fault fault=ignore-shutdown
ios key enable "$EN" "conf t" "int gi0/1" shutdown end exit
check "ignore-shutdown: port stays up" admin_up gi1
fault fault=ignore-no-shutdown
ios key enable "$EN" "conf t" "int gi0/1" shutdown "no shutdown" end "show interfaces gi0/1" exit
check "ignore-no-shutdown: shutdown takes the port down" has "GigabitEthernet0/1 is administratively down"
check "ignore-no-shutdown: no shutdown leaves it down" admin_down gi1
ip -n "$SW" link set dev gi1 up
fault fault=no-terminal-length
ios key enable "$EN" "terminal length 0" "show running-config" q exit
check "no-terminal-length: rejected, paging stays" has " --More-- "
fault fault=hang
logins() { grep -c "Accepted publickey for fencer" "$LAB_TMP/swa-sshd.log"; }
n=$(logins)
LAB_SSH_TIMEOUT=3 ios key enable exit
# No prompt from a session that did start: sshd let it in.
check "hang: the login was accepted" test "$(logins)" -gt "$n"
check "hang: no prompt ever" hasnt "swa>"
fault privilege=15
ios key "conf t" end exit
check "privilege 15 lands in #" has "swa(config)#"
ios key "show privilege" exit
check "show privilege says 15" has "Current privilege level is 15"
fault privilege=7
ios key "show privilege" "conf t" "clear mac address-table dynamic" enable "$EN" "show privilege" "conf t" end exit
check "privilege 7 lands in # at level 7" has $'swa#show privilege\r\nCurrent privilege level is 7'
check "  configure terminal refused there" has $'swa#conf t\r\n     ^'
check "  enable gives level 15" has "Current privilege level is 15"
check "  and config mode" has "swa(config)#"
fault fault=no-end
ios key enable "$EN" "conf t" "int gi0/1" end exit exit exit
check "no-end: end is refused" has $'swa(config-if)#end\r\n                 ^'
check "no-end: exit leaves one level after the other" has $'swa(config-if)#exit\r\nswa(config)#exit\r\nswa#exit'
fault fault=no-end fault=no-exit
ios key enable "$EN" "conf t" end exit logout
check "no-exit: exit refused in config mode" has $'swa(config)#exit\r\n            ^'
fault fault=plain-errors fault=no-mac-table
ios key enable "$EN" "clear mac address-table dynamic" "show mac-address-table" "show foo" exit
check "plain-errors: no %, no caret" has $'swa#clear mac address-table dynamic\r\nNo such command : clear mac address-table dynamic\r\nswa#'
check "no-mac-table: the old form is gone too" has "No such command : show mac-address-table"
check "plain-errors: any refused line" has "No such command : show foo"
ios key "show ip interface brief" exit
check "show ip interface brief lists the ports" has "GigabitEthernet0/2"

# --- a slow switch: login delay, per-command delay ---------------------------
# The lines are typed ahead, during the login delay: they wait for the
# prompt. How long each wait was comes from the emulator's own log (its
# monotonic clock), read as a least: a loaded machine only adds to it.
fault login-delay-ms=400 delay-ms=150
: >"$D/ios.log"
ios key "show privilege" "show version" exit
check "login delay: the output starts with the prompt" cmp -n 6 "$OUT" <(printf '\r\nswa>')
check "  the lines typed ahead are answered after it, in order" \
	has $'swa>show privilege\r\nCurrent privilege level is 1\r\nswa>show version\r\nCisco IOS Software'
# login, the prompt, then the first line read: the log's own order
order=$(grep -n -e $'^event\tlogin$' -e $'^event\tprompt after' -e $'^swa>\tshow privilege$' "$D/ios.log" | cut -d: -f1 | tr '\n' ' ')
check "  the emulator logged in, prompted, then read the first line" eval '[ "$order" = "1 2 3 " ]'
prompt_ms=$(sed -n 's/^event\tprompt after \([0-9]*\) ms$/\1/p' "$D/ios.log")
check "  its clock: the prompt came at least 400 ms after the login ($prompt_ms ms)" test "${prompt_ms:-0}" -ge 400
# at_least MIN COUNT V...: COUNT values, each MIN or more
at_least() {
	local min=$1 n=$2 v; shift 2
	[ $# = "$n" ] || return 1
	for v; do [ "$v" -ge "$min" ] || return 1; done
}
answers=$(sed -n 's/^event\tanswer after \([0-9]*\) ms$/\1/p' "$D/ios.log" | tr '\n' ' ')
check "per-command delay: each of the 3 commands waited at least 150 ms ($answers)" at_least 150 3 $answers
fault

lab_done "all iosemu checks passed"
