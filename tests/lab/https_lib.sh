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
