#!/usr/bin/env bash
# The aruba-os-switch driver against httpsemu's ArubaOS-Switch REST API
# behind real TLS (a test CA made at test time): fence, unfence and status
# read back from the kernel of the switch namespace; the MAC flush through
# the API's cli resource seen in the bridge FDB, and said to be unsupported
# where the API has no cli; check changing nothing; every session logged
# out; a wrong password, a certificate of another CA, a wrong pin, a
# refused write and a refused command in the switch's own words; the
# deadline against a silent switch; the password in no output.
set -u
. "$(dirname "$0")/https_lib.sh"
https_setup ar 1 2
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
learn() {
	lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
	lab_in "$(ns h2)" ping -c1 -W1 10.77.1.1 >/dev/null
	in_fdb "$M1" gi1 && in_fdb "$M2" gi2
}
logins() { grep -c "^rest	POST /rest/v[0-9]*/login-sessions$" "$D/api.log"; }
logouts() { grep -c "^rest	logout$" "$D/api.log"; }
every_session_ended() { [ "$(logins)" -gt 0 ] && [ "$(logins)" = "$(logouts)" ]; }

# --- fence, status, unfence ----------------------------------------------------------
https_conf aruba-os-switch
check "configtest accepts the aruba-os-switch switch" fencer configtest
check "fence fw1" fencer fence fw1
check "  port 1 is down in the kernel" admin_down gi1
check "  port 2 was left alone" admin_up gi2
check "  with PUT /rest/v4/ports/1 is_port_enabled false" grep -q '^rest	PUT /rest/v4/ports/1 .*"is_port_enabled": *false' "$D/api.log"
check "status reads it back as down" eval 'fencer status && grep -Eq "^fw1 +swa +1 +down" "$OUT"'
check "unfence fw1" fencer unfence fw1
check "  port 1 is up again" admin_up gi1
check "every session was logged out" every_session_ended

# --- certificates and logins fencer must refuse ---------------------------------------------
: >"$D/api.log"
https_conf aruba-os-switch "password-file = $D/password
ca-file = $D/other-ca.crt"
check "fence against a certificate of another CA fails" eval '! fencer fence fw1'
check "  as a certificate not trusted" has "the certificate of 10.77.0.2 port 443 is not trusted"
WRONG=sha256//$(head -c32 /dev/urandom | base64)
https_conf aruba-os-switch "password-file = $D/password
pinned-key = $WRONG"
check "fence with a wrong pin fails" eval '! fencer fence fw1'
check "  as a key that is not the pinned one" has "its public key is not pinned-key $WRONG"
check "  nothing reached the switch's API" lacks . "$D/api.log"
https_conf aruba-os-switch "password-file = $D/password
pinned-key = $PIN"
check "fence with the pinned key alone" fencer fence fw1
check "  port 1 is down" admin_down gi1
https_conf aruba-os-switch
check "unfence" fencer unfence fw1
check "  port 1 is up" admin_up gi1
lab_secret "$LAB_TMP/wrong.pw" "wrong-$(lab_rand 4)"
https_conf aruba-os-switch "password-file = $LAB_TMP/wrong.pw
ca-file = $D/ca.crt"
check "fence with a wrong password fails" eval '! fencer fence fw1'
check "  as a login refused, in the switch's words" has "login refused for user fencer (HTTP 401 to POST /rest/v4/login-sessions): Authentication failed."
check "  port 1 stays up" admin_up gi1

# --- refusals: the switch's words ------------------------------------------------------------
https_conf aruba-os-switch
https_fault "refuse-port-write=1"
check "fence with the port write refused fails" eval '! fencer fence fw1'
check "  in the switch's words" has "the switch refused PUT /rest/v4/ports/1 for port 1 (HTTP 403): Operation not permitted: read-only access"
check "  port 1 is up" admin_up gi1
https_fault
FW1_PORTS="1 9" https_conf aruba-os-switch
check "fence with a port the switch lacks fails" eval '! fencer fence fw1'
check "  in the switch's words" has "(HTTP 404): Port 9 not found"
check "  the other port was fenced" admin_down gi1
https_conf aruba-os-switch
check "unfence" fencer unfence fw1
https_fault "ignore-shutdown=1"
check "fence fails when the port does not go down" eval '! fencer fence fw1'
check "  the read-back caught it" has "port is still up after shutdown"
check "  port 1 is really up" admin_up gi1
https_fault

# --- flush through the cli resource ------------------------------------------------------------
check "h1 and h2 learned" learn
check "fencer flush" fencer flush
check "  with clear mac-address" grep -q "^cli	clear mac-address$" "$D/api.log"
check "  h1's entry is gone from the bridge" not_in_fdb "$M1" gi1
check "  h2's entry is gone from the bridge" not_in_fdb "$M2" gi2
check "h1 and h2 learned again" learn
check "promote fences fw1 and flushes its port" fencer promote
check "  port 1 is down" admin_down gi1
check "  with clear mac-address port 1" grep -q "^cli	clear mac-address port 1$" "$D/api.log"
check "  h1's entry is gone" not_in_fdb "$M1" gi1
check "  h2's entry on port 2 is kept" in_fdb "$M2" gi2
check "unfence fw1" fencer unfence fw1
https_fault "refuse=clear mac-address"
check "a refused clear: fencer flush fails" eval '! fencer flush'
check "  in the switch's words" has "the switch rejected \`clear mac-address\`: CCS_FAILURE: Authorization denied for command 'clear mac-address'"
https_fault "old-rest=1"
check "an API without cli (REST v3): flush fails" eval '! fencer flush'
check "  as unsupported, with the switch's 404" has "the switch refused POST /rest/v3/cli (HTTP 404): Resource not found"
check "  ports still work through REST v3" eval 'fencer status && grep -Eq "^fw1 +swa +1 +up" "$OUT"'
https_fault

# --- check ---------------------------------------------------------------------------------
: >"$D/api.log"
check "check" fencer check
check "  asked for the product" grep -q "^rest	GET /rest/v4/system/status/switch$" "$D/api.log"
check "  the write test named no field" grep -q '^rest	PUT /rest/v4/ports/1 {"id": *"1"}$' "$D/api.log"
check "  the flush test ran show mac-address" grep -q "^cli	show mac-address$" "$D/api.log"
check "  nothing that changes a port or a table" eval '! grep -q "is_port_enabled" "$D/api.log" && ! grep -q "^cli	clear" "$D/api.log"'
check "  the ports are as they were" eval 'admin_up gi1 && admin_up gi2'
check "  every session was logged out" every_session_ended
https_fault "old-rest=1"
check "check on an API without cli warns of the flush" eval 'fencer check; grep -q "will fail\|Resource not found" "$OUT"'
https_fault

# --- the deadline against a silent switch -----------------------------------------------------
https_fault "silent=1"
DEADLINE=2s TIMEOUT=20s https_conf aruba-os-switch
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch: exit 1" test "$rc" = 1
check "  reported as a timeout at the deadline" grep -Eq "timeout.*deadline" "$OUT"
check "  port 1 untouched" admin_up gi1
TIMEOUT=1s https_conf aruba-os-switch
timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; rc=$?
cat "$OUT" >>"$LAB_TMP/all.out"
check "a silent switch, the switch's timeout first: exit 1" test "$rc" = 1
check "  reported as the timeout of GET /rest/version" has "no answer within 1000 ms (timeout) to GET /rest/version"
https_fault

for f in "$D/password" "$LAB_TMP/wrong.pw"; do
	s=$(cat "$f")
	check "secret $(basename "$f") is in no output, journal or state" \
		lacks -rF -- "$s" "$LAB_TMP/all.out" "$LAB_TMP/state"
	check "secret $(basename "$f") is not in the switch's log" lacks -F -- "$s" "$D/api.log"
done
lab_done
