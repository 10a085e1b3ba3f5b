# tests/lab/https_lib.sh: sourced by the HTTPS JSON API driver tests
# (test_eos.sh, test_nxos.sh, test_httpsemu.sh). A switch swa (httpsemu.py
# behind real TLS on 10.77.0.2:443, its certificate from a test CA made
# here with the openssl CLI) with host h1 on port P1 (kernel port gi1) and
# h2 on P2 (gi2), and a fencer.conf for it.
#
#   https_setup TAG P1 P2  the world above; sets D (switch files), SW (its
#                          namespace), C (fencer.conf), OUT, PIN (the
#                          certificate's sha256// pin), and in $D: ca.crt,
#                          other-ca.crt (a CA that did not sign it), password
#   https_switch NAME ADDR PORT=KERNELIF...
#                          httpsemu in switch NAME (lab_switch done) on
#                          ADDR:443; its files in $LAB_TMP/NAME: ca.crt,
#                          other-ca.crt, server.crt, password, emu.conf (and
#                          emu.conf.orig), the log api.log; the lab profile's
#                          delays (lab_profile) in emu.conf: LAB_CMD_MS a
#                          request, LAB_LOGIN_MS more for a REST login
#   https_conf DRIVER [LINES]  write $C: LINES are the TLS and credential
#                          keys (default: password-file and ca-file); env
#                          FW1_PORTS, FW2_PORTS, DEADLINE, TIMEOUT, FLUSH
#   https_fault [LINE...]  httpsemu config = the original plus LINEs
#   fencer ARGS...         run fencer from the management namespace, its
#                          output in $OUT (and $LAB_TMP/all.out)
#   bd_eos, bd_nxos, bd_aruba_os_switch, peer_eapi, peer_nxapi, peer_rest
#                          the switches and the peers of tests/bench/bench_drivers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"

# A CA (NAME.key, NAME.crt) in DIR.
https_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=fencer lab $2" -keyout "$1/$2.key" -out "$1/$2.crt" 2>/dev/null
}

https_switch() {
	local name=$1 addr=$2 d=$LAB_TMP/$1 m
	shift 2
	command -v openssl >/dev/null || lab_skip "lab: openssl missing"
	lab_profile
	https_ca "$d" ca || lab_die "openssl: the test CA"
	https_ca "$d" other-ca || lab_die "openssl: the other CA"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
		-keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null &&
		printf 'subjectAltName=IP:%s\n' "$addr" >"$d/san.ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
			-days 2 -extfile "$d/san.ext" -out "$d/server.crt" 2>/dev/null ||
		lab_die "openssl: the switch's certificate"
	lab_secret "$d/password" "pw-$(lab_rand 6)"
	{
		echo "listen=$addr:443"
		echo "cert=$d/server.crt"
		echo "key=$d/server.key"
		echo "user=fencer"
		echo "password-file=$d/password"
		echo "bridge=br0"
		echo "hostname=$name"
		echo "log=$d/api.log"
		[ "$LAB_CMD_MS" -gt 0 ] && echo "delay-ms=$LAB_CMD_MS"
		[ "$LAB_LOGIN_MS" -gt 0 ] && echo "login-delay-ms=$LAB_LOGIN_MS"
		for m in "$@"; do echo "port=${m%%=*} ${m#*=}"; done
	} >"$d/emu.conf"
	cp "$d/emu.conf" "$d/emu.conf.orig"
	lab_spawn "$name-httpsemu" "$LAB_PFX-$name" /usr/bin/python3 "$LAB_HERE/httpsemu.py" -c "$d/emu.conf"
	wait_for 10 lab_tcp_open "$LAB_PFX-$name" "$addr" 443 ||
		lab_die "httpsemu did not listen (see $LAB_TMP/$name-httpsemu.log)"
}

https_setup() {
	command -v openssl >/dev/null || lab_skip "lab: openssl missing"
	lab_init "$1"
	P1=$2 P2=$3
	lab_switch swa 10.77.0.2/24
	lab_ns h1
	lab_ns h2
	lab_switch_port swa gi1 "$(ns h1)" eth0
	lab_switch_port swa gi2 "$(ns h2)" eth0
	D=$LAB_TMP/swa SW=$(ns swa) C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out
	https_switch swa 10.77.0.2 "$P1=gi1" "$P2=gi2"
	# The pin, the way fencer.conf(5) says to read it.
	PIN=sha256//$(openssl x509 -in "$D/server.crt" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64)
}

https_conf() {
	local drv=$1 creds=${2:-"password-file = $D/password
ca-file = $D/ca.crt"} p
	{
		cat <<-EOC
		[fencer]
		node = fw2
		peer = fw1
		state-dir = $LAB_TMP/state
		deadline = ${DEADLINE:-10s}
		[switch swa]
		driver = $drv
		address = 10.77.0.2
		user = fencer
		$creds
		timeout = ${TIMEOUT:-5s}
		flush = ${FLUSH:-port}
		check-wiring = no
		[node fw1]
		EOC
		for p in ${FW1_PORTS:-$P1}; do echo "port = swa $p"; done
		echo "[node fw2]"
		for p in ${FW2_PORTS:-$P2}; do echo "port = swa $p"; done
	} >"$C"
	chmod 0644 "$C"
}

https_fault() {
	cp "$D/emu.conf.orig" "$D/emu.conf"
	local f
	for f in "$@"; do echo "$f" >>"$D/emu.conf"; done
}

fencer() {
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1
	local rc=$?
	cat "$OUT" >>"$LAB_TMP/all.out"
	return $rc
}

# --- tests/bench/bench_drivers.sh: the eos, nxos and aruba-os-switch switches --------------
# (bench_drivers.sh says what SETUP and PEER do.) bd_https PORT PORT2: one
# httpsemu with PORT on kernel port gi1.
bd_https() {
	lab_switch swa 10.77.0.2/24
	lab_ns h1
	lab_switch_port swa gi1 "$(ns h1)" eth0
	https_switch swa 10.77.0.2 "$1=gi1"
	local d=$LAB_TMP/swa
	BD_NS=$(ns swa) BD_KIF=gi1 BD_PORT=$1 BD_PORT2=$2
	BD_KEYS="address = 10.77.0.2
user = fencer
password-file = $d/password
ca-file = $d/ca.crt
check-wiring = no"
}
bd_eos() { bd_https Ethernet1 Ethernet2; }
bd_nxos() { bd_https Ethernet1/1 Ethernet1/2; }
bd_aruba_os_switch() { bd_https 1 2; }

# The requests fencer sends to fence and read back (api.log), from curl:
# one curl, one connection, a request after each --next.
bd_curl() {
	command -v curl >/dev/null || return 77
	ip netns exec "$LAB_MGMT" curl -sS --fail --max-time 10 "$@" >"$OUT" 2>&1
}
# bd_post PATH BODY: the options of one JSON-RPC POST (eAPI, NX-API)
bd_post() {
	printf '%s\n' --cacert "$LAB_TMP/swa/ca.crt" -u "fencer:$(cat "$LAB_TMP/swa/password")" \
		-H "Content-Type: application/json-rpc" --data-binary "$2" "https://10.77.0.2$1"
}
peer_eapi() {
	local p=$BD_PORT a=() i=0 cmds
	for cmds in '"show version"' "\"enable\",\"configure\",\"interface $p\",\"shutdown\"" \
		"\"show interfaces $p status\""; do
		[ $i = 0 ] || a+=(--next)
		i=$((i + 1))
		mapfile -t -O ${#a[@]} a < <(bd_post /command-api \
			"{\"jsonrpc\":\"2.0\",\"method\":\"runCmds\",\"params\":{\"version\":1,\"cmds\":[$cmds],\"format\":\"json\"},\"id\":$i}")
	done
	bd_curl "${a[@]}"
}
bd_nx() { printf '{"jsonrpc":"2.0","method":"cli","params":{"cmd":"%s","version":1},"id":%d}' "$1" "$2"; }
peer_nxapi() {
	local p=$BD_PORT a=() i=0 batch
	for batch in "[$(bd_nx "show version" 1)]" "[$(bd_nx "interface $p" 1),$(bd_nx shutdown 2)]" \
		"[$(bd_nx "show interface $p" 1)]"; do
		[ $i = 0 ] || a+=(--next)
		i=$((i + 1))
		mapfile -t -O ${#a[@]} a < <(bd_post /ins "$batch")
	done
	bd_curl "${a[@]}"
}
# ArubaOS-Switch REST: the session cookie comes back in the login's JSON
# body, so two curls: the version and the login, then the port's PUT and
# GET and the logout with the cookie.
peer_rest() {
	local d=$LAB_TMP/swa u=https://10.77.0.2/rest cookie
	bd_curl --cacert "$d/ca.crt" "$u/version" --next --cacert "$d/ca.crt" \
		-H "Content-Type: application/json" \
		--data-binary "{\"userName\":\"fencer\",\"password\":\"$(cat "$d/password")\"}" \
		"$u/v4/login-sessions" || return 1
	cookie=$(sed -n 's/.*"cookie": *"\(sessionId=[^"]*\)".*/\1/p' "$OUT")
	[ -n "$cookie" ] || return 1
	bd_curl --cacert "$d/ca.crt" -H "Cookie: $cookie" -H "Content-Type: application/json" -X PUT \
		--data-binary "{\"id\":\"$BD_PORT\",\"is_port_enabled\":false}" "$u/v4/ports/$BD_PORT" \
		--next --cacert "$d/ca.crt" -H "Cookie: $cookie" "$u/v4/ports/$BD_PORT" \
		--next --cacert "$d/ca.crt" -H "Cookie: $cookie" -X DELETE "$u/v4/login-sessions"
}
