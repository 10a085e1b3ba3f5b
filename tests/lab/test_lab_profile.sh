#!/usr/bin/env bash
# The lab's latency profiles (lib.sh, lab_profile). With
# FENCER_LAB_PROFILE=catalyst, lab_sshd makes iosemu slow to prompt and to
# answer, and lab_snmpd puts snmpdelay.py in front of snmpd; fencer fences
# and unfences through both (the ports read in the kernel). The delays are
# read from the emulator's and the relay's own logs, as a least (a loaded
# machine only adds to them): no timing here. An unknown profile is
# refused by name; no profile is the lab as fast as it is.
set -u
. "$(dirname "$0")/lib.sh"
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

# --- catalyst: a Cisco-like and an SNMP switch ---------------------------------
export FENCER_LAB_PROFILE=catalyst
lab_switch swa 10.77.0.2/24
lab_switch swb 10.77.0.3/24
lab_ns h1
lab_ns h2
lab_switch_port swa gi1 "$(ns h1)" eth0
lab_switch_port swb port1 "$(ns h2)" eth0
lab_sshd swa 10.77.0.2 GigabitEthernet0/1=gi1
lab_snmpd swb 10.77.0.3
A=$LAB_TMP/swa B=$LAB_TMP/swb C=$LAB_TMP/fencer.conf
cat >"$C" <<EOF
[fencer]
node = fw2
state-dir = $LAB_TMP/state
deadline = 20s
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
[node fw1]
port = swa GigabitEthernet0/1
port = swb port1
[node fw2]
port = swa GigabitEthernet0/2
port = swb port2
EOF
chmod 0644 "$C"

check "iosemu's config has the login delay" grep -qx "login-delay-ms=1200" "$A/ios.conf.orig"
check "  and the delay per command" grep -qx "delay-ms=80" "$A/ios.conf.orig"
listening() { lab_in "$(ns swb)" ss -Hlunp "sport = :161"; }
check "snmpd listens on the switch's loopback only" \
	eval 'listening | grep snmpd | grep -q "127.0.0.1:161" && ! listening | grep snmpd | grep -q 10.77.0.3'
check "  the relay on its address" eval 'listening | grep python3 | grep -q "10.77.0.3:161"'

: >"$A/ios.log"
: >"$LAB_TMP/swb-snmpdelay.log"
fencer fence fw1 >"$OUT" 2>&1
check "fencer fence fw1 through the slow switches" test $? = 0
check "  Gi0/1 is down in the kernel" lab_link_down "$(ns swa)" gi1
check "  port1 is down in the kernel" lab_link_down "$(ns swb)" port1

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

fencer unfence fw1 >"$OUT" 2>&1
check "fencer unfence fw1 through them" test $? = 0
check "  Gi0/1 is up again" lab_link_up "$(ns swa)" gi1
check "  port1 is up again" lab_link_up "$(ns swb)" port1

lab_done "the catalyst profile: slow prompt, slow answers, slow SNMP, all fenced and given back"
