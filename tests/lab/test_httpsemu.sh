#!/usr/bin/env bash
# httpsemu itself, driven by curl rather than fencer: eAPI's and NX-API's
# answers, what each command does to the kernel's bridge, the login, the
# certificate from the test CA, and each quirk. The driver tests stand on
# these.
set -u
. "$(dirname "$0")/https_lib.sh"
command -v curl >/dev/null || lab_skip "lab: curl missing"
https_setup he Ethernet1 Ethernet2
PW=$(cat "$D/password")
# post PATH CONTENT-TYPE BODY [USER:PASSWORD]: the answer in $OUT, the
# HTTP status in $CODE.
post() {
	CODE=$(lab_in "$LAB_MGMT" curl -sS --max-time "${MAXT:-10}" --cacert "$D/ca.crt" -u "${4:-fencer:$PW}" \
		-H "Content-Type: $2" --data-binary "$3" -o "$OUT" -w '%{http_code}' "https://10.77.0.2$1" 2>"$LAB_TMP/curl.err")
}
eapi() {
	local cmds=$1
	post /command-api application/json-rpc \
		"{\"jsonrpc\":\"2.0\",\"method\":\"runCmds\",\"params\":{\"version\":1,\"cmds\":[$cmds],\"format\":\"json\"},\"id\":7}"
}
jq_() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$OUT')); print($1)"; }

# --- eAPI -----------------------------------------------------------------------
eapi '"enable","configure","interface Ethernet1","shutdown"'
check "eAPI shutdown: 200" test "$CODE" = 200
check "  four empty results, the request's id" eval 'test "$(jq_ "d[\"result\"], d[\"id\"]")" = "[{}, {}, {}, {}] 7"'
check "  the kernel port is down" admin_down gi1
check "  gi2 is not" admin_up gi2
eapi '"show interfaces Ethernet1 status"'
check "  show interfaces status says disabled" eval 'test "$(jq_ "d[\"result\"][0][\"interfaceStatuses\"][\"Ethernet1\"][\"linkStatus\"]")" = disabled'
eapi '"enable","configure","interface Ethernet1","no shutdown"'
check "eAPI no shutdown: the kernel port is up" admin_up gi1
eapi '"show interfaces Ethernet1"'
check "  show interfaces says it is not disabled" eval '! test "$(jq_ "d[\"result\"][0][\"interfaces\"][\"Ethernet1\"][\"interfaceStatus\"]")" = disabled'
eapi '"enable","configure","interface Ethernet9","shutdown"'
check "an unknown port: error 1002 at command 3, with EOS's words" eval \
	'test "$(jq_ "d[\"error\"][\"code\"], d[\"error\"][\"message\"], d[\"error\"][\"data\"][2][\"errors\"][0]")" = \
	"1002 CLI command 3 of 4 '"'"'interface Ethernet9'"'"' failed: invalid command Invalid input (at token 1: '"'"'Ethernet9'"'"')"'
eapi '"configure"'
check "configure without enable is refused" eval 'test "$(jq_ "d[\"error\"][\"code\"]")" = 1002'
post /command-api application/json-rpc '{"jsonrpc":"2.0","method":"runCmds","params":{"version":1,"cmds":["show version"]},"id":1}' fencer:wrong
check "a wrong password: 401" test "$CODE" = 401
check "  in EOS's words" has "Bad username/password combination"
check "  logged" grep -q "^auth	refused" "$D/api.log"

# --- NX-API ------------------------------------------------------------------------
post /ins application/json-rpc '[{"jsonrpc":"2.0","method":"cli","params":{"cmd":"interface Ethernet2","version":1},"id":1},{"jsonrpc":"2.0","method":"cli","params":{"cmd":"shutdown","version":1},"id":2}]'
check "NX-API shutdown: 200, two null results" eval 'test "$CODE" = 200 && test "$(jq_ "[a[\"result\"] for a in d]")" = "[None, None]"'
check "  the kernel port gi2 is down" admin_down gi2
post /ins application/json-rpc '{"jsonrpc":"2.0","method":"cli","params":{"cmd":"show interface Ethernet2","version":1},"id":1}'
check "  show interface: one answer, admin_state down" eval 'test "$(jq_ "d[\"result\"][\"body\"][\"TABLE_interface\"][\"ROW_interface\"][\"admin_state\"]")" = down'
post /ins application/json-rpc '[{"jsonrpc":"2.0","method":"cli","params":{"cmd":"interface Ethernet2","version":1},"id":1},{"jsonrpc":"2.0","method":"cli","params":{"cmd":"no shutdown","version":1},"id":2}]'
check "NX-API no shutdown: gi2 is up" admin_up gi2
post /ins application/json-rpc '[{"jsonrpc":"2.0","method":"cli","params":{"cmd":"interface Ethernet9","version":1},"id":1},{"jsonrpc":"2.0","method":"cli","params":{"cmd":"shutdown","version":1},"id":2}]'
check "an unknown port: HTTP 500" test "$CODE" = 500
check "  -32602 with the switch's msg" eval 'test "$(jq_ "d[0][\"error\"][\"code\"], d[0][\"error\"][\"data\"][\"msg\"].strip()")" = "-32602 % Invalid command at '"'"'^'"'"' marker."'
check "  the command after it is not run" eval 'test "$(jq_ "\"error\" in d[1]")" = True'

# --- the flush -------------------------------------------------------------------------
lab_addr "$(ns h1)" eth0 10.77.1.1/24
lab_addr "$(ns h2)" eth0 10.77.1.2/24
lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
check "h1 and h2 learned" eval 'in_fdb "$M1" gi1 && in_fdb "$M2" gi2'
eapi '"enable","show mac address-table"'
check "  eAPI lists h1 on Ethernet1" eval 'jq_ "[e[\"interface\"] for e in d[\"result\"][1][\"unicastTable\"][\"tableEntries\"] if e[\"macAddress\"] == \"$M1\"]" | grep -q Ethernet1'
eapi '"enable","clear mac address-table dynamic interface Ethernet1"'
check "eAPI clear ... interface Ethernet1: h1 is gone" not_in_fdb "$M1" gi1
check "  h2 is kept" in_fdb "$M2" gi2

# --- quirks ------------------------------------------------------------------------------
https_fault "refuse=shutdown"
eapi '"enable","configure","interface Ethernet1","shutdown"'
check "refuse=shutdown: 1002, could not run command" eval 'jq_ "d[\"error\"][\"message\"]" | grep -q "4 of 4 .shutdown. failed: could not run command"'
check "  gi1 stays up" admin_up gi1
https_fault "old-status=1"
eapi '"show interfaces Ethernet1 status"'
check "old-status=1: error 1003 for show interfaces status" eval 'test "$(jq_ "d[\"error\"][\"code\"]")" = 1003'
post /ins application/json-rpc '{"jsonrpc":"2.0","method":"cli","params":{"cmd":"show interface Ethernet1","version":1},"id":1}'
check "  NX-API rows without admin_state" eval 'test "$(jq_ "\"admin_state\" in d[\"result\"][\"body\"][\"TABLE_interface\"][\"ROW_interface\"]")" = False'
https_fault "ignore-shutdown=1"
eapi '"enable","configure","interface Ethernet1","shutdown"'
check "ignore-shutdown=1: accepted" eval 'test "$(jq_ "len(d[\"result\"])")" = 4'
check "  gi1 stays up" admin_up gi1
https_fault "silent=1"
MAXT=2 eapi '"show version"'
check "silent=1: no answer (curl gives up)" test "$CODE" = 000
check "  the request was read" grep -q "^quirk	silent" "$D/api.log"
https_fault "delay-ms=300"
s=$(lab_ms); eapi '"show version"'
check "delay-ms=300: answers" test "$CODE" = 200
check "  not before the delay" test $(($(lab_ms) - s)) -ge 300
https_fault

# --- ArubaOS-Switch REST ---------------------------------------------------------------
rest() {	# METHOD PATH [BODY]: with the session cookie in $COOKIE
	CODE=$(lab_in "$LAB_MGMT" curl -sS --max-time 10 --cacert "$D/ca.crt" -X "$1" ${COOKIE:+-b "$COOKIE"} \
		${3:+-H "Content-Type: application/json" --data-binary "$3"} -o "$OUT" -w '%{http_code}' \
		"https://10.77.0.2$2" 2>"$LAB_TMP/curl.err")
}
# ArubaOS-Switch names its ports 1, 2...
https_fault "port=1 gi1" "port=2 gi2"
COOKIE= rest GET /rest/version
check "REST: the versions offered, up to v4" eval 'test "$(jq_ "d[\"version_element\"][-1][\"version\"]")" = v4.0'
COOKIE= rest POST /rest/v4/login-sessions '{"userName":"fencer","password":"wrong"}'
check "REST: a wrong password: 401 with a message" eval 'test "$CODE" = 401 && jq_ "d[\"message\"]" | grep -q .'
COOKIE= rest POST /rest/v4/login-sessions "{\"userName\":\"fencer\",\"password\":\"$PW\"}"
check "REST: login: 201 and a session cookie" eval 'test "$CODE" = 201 && jq_ "d[\"cookie\"]" | grep -q "^sessionId=."'
COOKIE=$(jq_ 'd["cookie"]')
COOKIE= rest GET /rest/v4/ports/1
check "REST: no cookie: 401" test "$CODE" = 401
rest PUT /rest/v4/ports/1 '{"id":"1","is_port_enabled":false}'
check "REST: PUT is_port_enabled false: 200" test "$CODE" = 200
check "  gi1 is down in the kernel" admin_down gi1
rest GET /rest/v4/ports/1
check "  GET reads it back" eval 'test "$(jq_ "d[\"id\"], d[\"is_port_enabled\"]")" = "1 False"'
rest PUT /rest/v4/ports/1 '{"id":"1","is_port_enabled":true}'
check "REST: PUT true: gi1 is up" admin_up gi1
rest GET /rest/v4/ports/9
check "REST: an unknown port: 404" test "$CODE" = 404
lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
rest POST /rest/v4/cli '{"cmd":"show mac-address"}'
check "REST cli: show mac-address lists h1 on port 1" eval 'jq_ "__import__(\"base64\").b64decode(d[\"result_base64_encoded\"]).decode()" | grep -q "$M1 1 "'
rest POST /rest/v4/cli '{"cmd":"clear mac-address port 1"}'
check "REST cli: clear mac-address port 1: CCS_SUCCESS" eval 'test "$(jq_ "d[\"status\"]")" = CCS_SUCCESS'
check "  h1 is gone from the FDB" not_in_fdb "$M1" gi1
rest POST /rest/v4/cli '{"cmd":"bogus"}'
check "REST cli: an unknown command: CCS_FAILURE with words" eval 'test "$(jq_ "d[\"status\"], d[\"error_msg\"]")" = "CCS_FAILURE Invalid input: bogus"'
https_fault "port=1 gi1" "port=2 gi2" "old-rest=1"
rest POST /rest/v3/cli '{"cmd":"show mac-address"}'
check "old-rest=1: no cli resource (404)" test "$CODE" = 404
https_fault "port=1 gi1" "port=2 gi2"
rest DELETE /rest/v4/login-sessions
check "REST: logout: 204" test "$CODE" = 204
rest GET /rest/v4/ports/1
check "  the cookie is no longer valid" test "$CODE" = 401
https_fault

# --- TLS ------------------------------------------------------------------------------
c=$(lab_in "$LAB_MGMT" curl -sS --max-time 10 --cacert "$D/other-ca.crt" -o /dev/null -w '%{http_code}' \
	https://10.77.0.2/command-api 2>&1)
check "curl with another CA refuses the certificate" test "${c: -3}" = 000
c=$(lab_in "$LAB_MGMT" curl -sS --max-time 10 -k --pinnedpubkey "$PIN" -o /dev/null -w '%{http_code}' \
	-u "fencer:$PW" -d '{}' https://10.77.0.2/command-api 2>&1)
check "the pin made at setup is the certificate's key" test "$c" = 200
lab_done
