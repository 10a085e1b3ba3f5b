#!/usr/bin/env bash
# The lab's latency profiles (lib.sh, lab_profile). With
# FENCER_LAB_PROFILE=catalyst, lab_sshd makes iosemu slow to prompt and to
# answer, and lab_snmpd puts snmpdelay.py in front of snmpd; cli_switch
# makes cliemu slow the same way, junos_sshd makes netconfemu slow to say
# hello and to reply, https_switch makes httpsemu slow to answer and
# slower to make a REST login session. fencer fences and unfences through
# all of them (the ports read in the kernel). The delays are read from the
# emulators' and the relay's own logs, as a least (a loaded machine only
# adds to them): no timing here. An unknown profile is refused by name; no
# profile is the lab as fast as it is.
set -u
# (the drivers' lab files first: each sources lib.sh, which starts afresh)
. "$(dirname "$0")/cliemu_lib.sh"
. "$(dirname "$0")/junos_lib.sh"
. "$(dirname "$0")/https_lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
lab_init lp
OUT=$LAB_TMP/out

# --- the names ----------------------------------------------------------------
# lab_die ends the subshell only (a subshell runs no EXIT trap of ours)
(FENCER_LAB_PROFILE=nexus lab_profile) >"$OUT" 2>&1
check "an unknown profile fails" test $? != 0
check "  and says which it knows" has "FENCER_LAB_PROFILE=nexus: no such lab profile (default, catalyst)"
(unset FENCER_LAB_PROFILE; lab_profile; echo "$LAB_LOGIN_MS $LAB_CMD_MS $LAB_SNMP_MS") >"$OUT" 2>&1
check "no profile: no delay anywhere" test "$(cat "$OUT")" = "0 0 0"

# --- catalyst: Cisco-like, SNMP, Comware, Junos, EOS and ArubaOS switches ---------
# swd is one httpsemu: eAPI for the eos switch, REST for the aruba one.
export FENCER_LAB_PROFILE=catalyst
lab_switch swa 10.77.0.2/24
lab_switch swb 10.77.0.3/24
lab_switch swj 10.77.0.4/24
lab_switch swc 10.77.0.5/24
lab_switch swd 10.77.0.6/24
for h in h1 h2 h3 h4 h5 h6; do lab_ns $h; done
lab_switch_port swa gi1 "$(ns h1)" eth0
lab_switch_port swb port1 "$(ns h2)" eth0
lab_switch_port swj ge1 "$(ns h3)" eth0
lab_switch_port swc gi1 "$(ns h4)" eth0
lab_switch_port swd gi1 "$(ns h5)" eth0
lab_switch_port swd gi2 "$(ns h6)" eth0
lab_sshd swa 10.77.0.2 GigabitEthernet0/1=gi1
lab_snmpd swb 10.77.0.3
junos_sshd swj 10.77.0.4 ge-0/0/1=ge1
cli_switch swc 10.77.0.5 comware GigabitEthernet1/0/1=gi1
https_switch swd 10.77.0.6 Ethernet1=gi1 1=gi2
A=$LAB_TMP/swa B=$LAB_TMP/swb J=$LAB_TMP/swj W=$LAB_TMP/swc H=$LAB_TMP/swd C=$LAB_TMP/fencer.conf
cat >"$C" <<EOF
[fencer]
node = fw2
state-dir = $LAB_TMP/state
deadline = 30s
[switch swa]
driver = cisco-ios
address = 10.77.0.2
user = fencer
identity = $A/id_ed25519
enable-secret-file = $A/enable
known-hosts = $A/known_hosts
timeout = 10s
check-wiring = no
[switch swb]
driver = snmp
address = 10.77.0.3
snmp-version = 2c
community-file = $B/rw.community
timeout = 10s
[switch swj]
driver = junos
address = 10.77.0.4
user = fencer
identity = $J/id_ed25519
known-hosts = $J/known_hosts
timeout = 10s
check-wiring = no
[switch swc]
driver = comware
address = 10.77.0.5
user = fencer
identity = $W/id_ed25519
enable-secret-file = $W/enable
known-hosts = $W/known_hosts
timeout = 10s
check-wiring = no
[switch swd-eos]
driver = eos
address = 10.77.0.6
user = fencer
password-file = $H/password
ca-file = $H/ca.crt
timeout = 10s
check-wiring = no
[switch swd-aruba]
driver = aruba-os-switch
address = 10.77.0.6
user = fencer
password-file = $H/password
ca-file = $H/ca.crt
timeout = 10s
check-wiring = no
[node fw1]
port = swa GigabitEthernet0/1
port = swb port1
port = swj ge-0/0/1
port = swc GigabitEthernet1/0/1
port = swd-eos Ethernet1
port = swd-aruba 1
[node fw2]
port = swa GigabitEthernet0/2
port = swb port2
port = swj ge-0/0/2
port = swc GigabitEthernet1/0/2
port = swd-eos Ethernet2
port = swd-aruba 2
EOF
chmod 0644 "$C"

check "iosemu's config has the login delay" grep -qx "login-delay-ms=1200" "$A/ios.conf.orig"
check "  and the delay per command" grep -qx "delay-ms=80" "$A/ios.conf.orig"
listening() { lab_in "$(ns swb)" ss -Hlunp "sport = :161"; }
check "snmpd listens on the switch's loopback only" \
	eval 'listening | grep snmpd | grep -q "127.0.0.1:161" && ! listening | grep snmpd | grep -q 10.77.0.3'
check "  the relay on its address" eval 'listening | grep python3 | grep -q "10.77.0.3:161"'
check "cliemu's config has the login delay" grep -qx "login-delay-ms=1200" "$W/cli.conf.orig"
check "  and the delay per command" grep -qx "delay-ms=80" "$W/cli.conf.orig"
check "netconfemu's config has the delay before the hello" grep -qx "hello-delay-ms=1200" "$J/nc.conf.orig"
check "  and the delay per rpc" grep -qx "delay-ms=80" "$J/nc.conf.orig"
check "httpsemu's config has the delay per request" grep -qx "delay-ms=80" "$H/emu.conf.orig"
check "  and the REST login's" grep -qx "login-delay-ms=1200" "$H/emu.conf.orig"

for f in "$A/ios.log" "$LAB_TMP/swb-snmpdelay.log" "$W/cli.log" "$J/nc.log" "$H/api.log"; do : >"$f"; done
fencer fence fw1 >"$OUT" 2>&1
check "fencer fence fw1 through the slow switches" test $? = 0
check "  Gi0/1 is down in the kernel" lab_link_down "$(ns swa)" gi1
check "  port1 is down in the kernel" lab_link_down "$(ns swb)" port1
check "  ge-0/0/1 is down in the kernel" lab_link_down "$(ns swj)" ge1
check "  GigabitEthernet1/0/1 is down in the kernel" lab_link_down "$(ns swc)" gi1
check "  Ethernet1 (eos) is down in the kernel" lab_link_down "$(ns swd)" gi1
check "  1 (aruba) is down in the kernel" lab_link_down "$(ns swd)" gi2

ms() { sed -n "s/^$1 \([0-9]*\)\(\.[0-9]*\)\{0,1\} ms$/\1/p" "$2"; }
at_least() {	# at_least MIN V...: at least one value, each MIN or more
	local min=$1 v; shift
	[ $# -gt 0 ] || return 1
	for v; do [ "$v" -ge "$min" ] || return 1; done
}
prompt=$(ms $'event\tprompt after' "$A/ios.log")
check "iosemu prompted at least 1200 ms after the login ($prompt ms)" at_least 1200 $prompt
answers=$(ms $'event\tanswer after' "$A/ios.log")
check "  and answered each command at least 80 ms late ($(wc -w <<<"$answers") answers)" at_least 80 $answers
held=$(sed -n 's/^request [0-9]* bytes from 10\.77\.0\.1:[0-9]* held \([0-9]*\)\.[0-9] ms$/\1/p' \
	"$LAB_TMP/swb-snmpdelay.log")
check "the relay held each of fencer's requests at least 5 ms ($(wc -w <<<"$held") requests)" at_least 5 $held

prompt=$(ms $'event\tprompt after' "$W/cli.log")
check "cliemu prompted at least 1200 ms after the login ($prompt ms)" at_least 1200 $prompt
answers=$(ms $'event\tanswer after' "$W/cli.log")
check "  and answered each command at least 80 ms late ($(wc -w <<<"$answers") answers)" at_least 80 $answers

nc_ms() { sed -n "s/^[0-9]*\tevent\t$1 \([0-9]*\) ms$/\1/p" "$J/nc.log"; }
hello=$(nc_ms "hello after")
check "netconfemu said hello at least 1200 ms after the login ($hello ms)" at_least 1200 $hello
replies=$(nc_ms "reply after")
check "  and replied to each rpc at least 80 ms late ($(wc -w <<<"$replies") replies)" at_least 80 $replies
check "  every rpc had its delay" test "$(grep -c $'\trpc\t' "$J/nc.log")" = "$(wc -w <<<"$replies")"

answers=$(ms $'event\tanswer after' "$H/api.log")
check "httpsemu answered each request at least 80 ms late ($(wc -w <<<"$answers") answers)" at_least 80 $answers
check "  eAPI's among them" grep -q $'^eapi\t' "$H/api.log"
login=$(ms $'event\tlogin-session after' "$H/api.log")
check "  and took at least 1200 ms more to make the REST login session ($login ms)" at_least 1200 $login

fencer unfence fw1 >"$OUT" 2>&1
check "fencer unfence fw1 through them" test $? = 0
check "  Gi0/1 is up again" lab_link_up "$(ns swa)" gi1
check "  port1 is up again" lab_link_up "$(ns swb)" port1
check "  ge-0/0/1 is up again" lab_link_up "$(ns swj)" ge1
check "  GigabitEthernet1/0/1 is up again" lab_link_up "$(ns swc)" gi1
check "  Ethernet1 (eos) is up again" lab_link_up "$(ns swd)" gi1
check "  1 (aruba) is up again" lab_link_up "$(ns swd)" gi2

lab_done "the catalyst profile: slow prompts, hellos, answers and logins, slow SNMP, all fenced and given back"
