#!/usr/bin/env bash
# The eos driver against httpsemu's eAPI behind real TLS (a test CA made
# at test time): fence, unfence and status read back from the kernel of the
# switch namespace; the MAC flush seen in the bridge FDB; check changing
# nothing; a wrong password, a certificate of another CA, a wrong pin and a
# refused command failing in the switch's own words; the older answer
# form; the deadline against a silent switch; the password in no output.
set -u
. "$(dirname "$0")/https_lib.sh"
https_setup eo Ethernet1 Ethernet2
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
learn() {
	lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
	lab_in "$(ns h2)" ping -c1 -W1 10.77.1.1 >/dev/null
	in_fdb "$M1" gi1 && in_fdb "$M2" gi2
}

# --- fence, status, unfence with ca-file ---------------------------------------
https_conf eos
check "configtest accepts the eos switch" fencer configtest
check "fence fw1" fencer fence fw1
check "  Ethernet1 is down in the kernel" admin_down gi1
check "  Ethernet2 was left alone" admin_up gi2
check "  in one runCmds: enable, configure, interface, shutdown" eval \
	'grep -A3 "^eapi	enable$" "$D/api.log" | tr "\n" "|" | grep -q "configure|eapi	interface Ethernet1|eapi	shutdown"'
check "status reads it back as down" eval 'fencer status && grep -Eq "^fw1 +swa +Ethernet1 +down" "$OUT"'
check "unfence fw1" fencer unfence fw1
check "  Ethernet1 is up again" admin_up gi1
check "status reads it back as up" eval 'fencer status && grep -Eq "^fw1 +swa +Ethernet1 +up" "$OUT"'

# --- pinned-key: alone, and with ca-file ---------------------------------------
https_conf eos "password-file = $D/password
pinned-key = $PIN"
check "fence with the pinned key alone" fencer fence fw1
check "  Ethernet1 is down" admin_down gi1
https_conf eos "password-file = $D/password
ca-file = $D/ca.crt
pinned-key = $PIN"
check "unfence with ca-file and the pinned key" fencer unfence fw1
check "  Ethernet1 is up" admin_up gi1

# --- certificates fencer must refuse --------------------------------------------
: >"$D/api.log"
https_conf eos "password-file = $D/password
ca-file = $D/other-ca.crt"
check "fence against a certificate of another CA fails" eval '! fencer fence fw1'
check "  as a certificate not trusted" has "the certificate of 10.77.0.2 port 443 is not trusted"
check "  Ethernet1 stays up" admin_up gi1
check "  nothing reached the switch's API" lacks . "$D/api.log"
WRONG=sha256//$(head -c32 /dev/urandom | base64)
https_conf eos "password-file = $D/password
pinned-key = $WRONG"
check "fence with a wrong pin fails" eval '! fencer fence fw1'
check "  as a key that is not the pinned one" has "its public key is not pinned-key $WRONG"
https_conf eos "password-file = $D/password
ca-file = $D/ca.crt
pinned-key = $WRONG"
check "fence with a good CA and a wrong pin fails" eval '! fencer fence fw1'
check "  as a key that is not the pinned one" has "its public key is not pinned-key"
check "  Ethernet1 stays up" admin_up gi1
check "  nothing reached the switch's API" lacks . "$D/api.log"
https_conf eos "password-file = $D/password"
check "fence with neither (the system's CAs) fails" eval '! fencer fence fw1'
check "  as a certificate not trusted" has "is not trusted"
check "configtest refuses a malformed pin" eval '! { https_conf eos "password-file = $D/password
pinned-key = sha256//short"; fencer configtest; }'
check "  and says what a pin is" has "pinned-key must be sha256//"

# --- wrong password -----------------------------------------------------------------
lab_secret "$LAB_TMP/wrong.pw" "wrong-$(lab_rand 4)"
https_conf eos "password-file = $LAB_TMP/wrong.pw
ca-file = $D/ca.crt"
check "fence with a wrong password fails" eval '! fencer fence fw1'
check "  as a login refused, with the switch's words" has "login refused for user fencer (HTTP 401"
check "  ... Bad username/password combination" has "Bad username/password combination"
check "  Ethernet1 stays up" admin_up gi1

# --- a refused command: the switch's words ----------------------------------------
https_conf eos
https_fault "refuse=shutdown"
check "fence with shutdown refused fails" eval '! fencer fence fw1'
check "  with eAPI's message" has "CLI command 4 of 4 'shutdown' failed: could not run command"
check "  and the switch's words" has "Authorization denied for command 'shutdown'"
check "  Ethernet1 is up" admin_up gi1
https_fault
FW1_PORTS="Ethernet1 Ethernet9" https_conf eos
check "fence with a port the switch lacks fails" eval '! fencer fence fw1'
check "  in the switch's words" has "Invalid input (at token 1: 'Ethernet9')"
check "  the other port was fenced" admin_down gi1
https_conf eos
check "unfence" fencer unfence fw1
check "  Ethernet1 is up" admin_up gi1

# --- verification: shutdown accepted, nothing done ----------------------------------
https_fault "ignore-shutdown=1"
check "fence fails when the port does not go down" eval '! fencer fence fw1'
check "  the read-back caught it" has "port is still up after shutdown"
check "  Ethernet1 is really up" admin_up gi1
https_fault

# --- the older answer form: show interfaces X status without JSON ---------------------
https_fault "old-status=1"
: >"$D/api.log"
check "fence on an EOS without JSON for show interfaces status" fencer fence fw1
check "  Ethernet1 is down" admin_down gi1
check "  read back with show interfaces Ethernet1" grep -q "^eapi	show interfaces Ethernet1$" "$D/api.log"
check "unfence" fencer unfence fw1
check "  Ethernet1 is up" admin_up gi1
https_fault

# --- flush: the kernel's FDB ----------------------------------------------------------
check "h1 and h2 learned" learn
check "fencer flush" fencer flush
check "  h1's entry is gone from the bridge" not_in_fdb "$M1" gi1
check "  h2's entry is gone from the bridge" not_in_fdb "$M2" gi2
check "h1 and h2 learned again" learn
check "promote fences fw1 and flushes its port" fencer promote
check "  Ethernet1 is down" admin_down gi1
check "  the port's table was flushed" grep -q "^eapi	clear mac address-table dynamic interface Ethernet1$" "$D/api.log"
check "  h1's entry is gone" not_in_fdb "$M1" gi1
check "  h2's entry on Ethernet2 is kept" in_fdb "$M2" gi2
check "unfence fw1" fencer unfence fw1
check "  Ethernet1 is up" admin_up gi1

# --- check: reads, and a write test that changes nothing --------------------------------
: >"$D/api.log"
check "check" fencer check
check "  read the version and the MAC table" eval 'grep -q "^eapi	show version$" "$D/api.log" && grep -q "^eapi	show mac address-table$" "$D/api.log"'
check "  entered the port's interface mode" grep -q "^eapi	interface Ethernet1$" "$D/api.log"
check "  sent nothing that changes a port or a table" lacks -E "^eapi	(shutdown|no shutdown|clear)" "$D/api.log"
check "  the ports are as they were" eval 'admin_up gi1 && admin_up gi2'

# --- check's wiring proof: the MACs the switch learned on each port ---------------
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$OUT')); w={(x['switch'],x['port']): x for x in d['wiring']}; sys.exit(0 if ($1) else 1)"; }
wiring_conf() {	# MAC1 MAC2: the MACs on fw1's and fw2's port lines
	https_conf eos
	sed -i -e 's/^check-wiring = no/check-wiring = yes/' -e "s|^port = swa Ethernet1\$|& $1|" \
		-e "s|^port = swa Ethernet2\$|& $2|" "$C"
}
check "h1 and h2 learned again" learn
wiring_conf "$M1" "$M2"
lab_in "$LAB_MGMT" "$FENCER" -c "$C" --json check >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "wiring: the right map is OK (exit 0)" test "$rc" = 0
check "  h1's MAC read on Ethernet1, the port proven" \
	json "'$M1' in w[('swa','Ethernet1')]['macs'] and w[('swa','Ethernet1')]['status'] == 'ok'"
check "  h2's MAC read on Ethernet2 only" \
	json "w[('swa','Ethernet2')]['macs'] == ['$M2']"
wiring_conf "$M2" "$M1"
lab_in "$LAB_MGMT" "$FENCER" -c "$C" --json check >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "wiring: the swapped map is CRITICAL (exit 2)" test "$rc" = 2
check "  Ethernet1 is configured for fw1 but leads to fw2" \
	json "any(p.startswith('swa Ethernet1 is configured for fw1, but fw2') for p in d['problems'])"

# --- the deadline against a silent switch ---------------------------------------------------
https_fault "silent=1"
DEADLINE=2s TIMEOUT=20s https_conf eos
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch: exit 1" test "$rc" = 1
check "  reported as a timeout at the deadline" grep -Eq "timeout.*deadline" "$OUT"
check "  Ethernet1 untouched" admin_up gi1
TIMEOUT=1s https_conf eos
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch, the switch's timeout first: exit 1" test "$rc" = 1
check "  reported as the timeout of show version" has "no answer within 1000 ms (timeout) to \`show version\`"
https_fault

# --- secrets ------------------------------------------------------------------------------
for f in "$D/password" "$LAB_TMP/wrong.pw"; do
	s=$(cat "$f")
	check "secret $(basename "$f") is in no output, journal or state" \
		lacks -rF -- "$s" "$LAB_TMP/all.out" "$LAB_TMP/state"
done
lab_done
