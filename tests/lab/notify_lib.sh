# tests/lab/notify_lib.sh: real notification receivers for the notify tests,
# in one namespace of their own (loopback only). Source after lib.sh.
#
#   notify_ns                      namespace $NNS (lo up), $NT = $LAB_TMP/notify
#   notify_ca                      CA + server certificate for 127.0.0.1: $NT/ca.pem
#   notify_smtp PORT [--tls] [--auth USER PASSFILE]   mails in $NT/mail-PORT/
#   notify_http PORT STATUS        bodies in $NT/http-PORT/
#   notify_trapd PORT COMMUNITYFILE [V3USER AUTHFILE PRIVFILE]  log $LAB_TMP/trapd-PORT.log
#   fencer_in ARGS...              run $FENCER inside the namespace
#
# The receivers listen on $NADDR (default 127.0.0.1). A test whose fencer
# runs in other namespaces attaches $NNS to the management network first
# and sets NADDR to that address (test_failover.sh).

notify_ns() {
	lab_ns n
	NNS=$(ns n)
	NT=$LAB_TMP/notify
	: "${NADDR:=127.0.0.1}"
	mkdir -p "$NT"
}

fencer_in() { ip netns exec "$NNS" "$FENCER" "$@"; }

notify_ca() {
	(
		cd "$NT" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
			-subj "/CN=fencer test CA $LAB_PFX" >/dev/null 2>&1 &&
		openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
			-subj "/CN=127.0.0.1" >/dev/null 2>&1 &&
		printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-out server.pem -days 2 -extfile san.ext >/dev/null 2>&1
	) || lab_die "openssl could not make the test CA"
}

notify_smtp() {
	local port=$1; shift
	local args=()
	mkdir -p "$NT/mail-$port"
	while [ $# -gt 0 ]; do
		case $1 in
		--tls) args+=(--tls "$NT/server.pem" "$NT/server.key"); shift;;
		--auth) args+=(--auth "$2" "$3"); shift 3;;
		*) lab_die "notify_smtp: $1?";;
		esac
	done
	lab_spawn "smtp-$port" "$NNS" env SINK_HOST="$NADDR" /usr/bin/python3 "$LAB_HERE/smtpsink.py" "$port" "$NT/mail-$port" "${args[@]}"
	wait_for 10 grep -q ready "$LAB_TMP/smtp-$port.log" || lab_die "smtp server did not start: $(cat "$LAB_TMP/smtp-$port.log")"
}

notify_http() {
	mkdir -p "$NT/http-$1"
	lab_spawn "http-$1" "$NNS" env SINK_HOST="$NADDR" /usr/bin/python3 "$LAB_HERE/webhooksink.py" "$1" "$NT/http-$1" "$2"
	wait_for 10 grep -q ready "$LAB_TMP/http-$1.log" || lab_die "http server did not start"
}

# snmptrapd: own config, no MIBs (-m ''), numeric OIDs (-On), log on stdout
# (-Lo), foreground (-f), no other config (-C), persistent files in LAB_TMP.
notify_trapd() {
	local port=$1 conf=$NT/trapd-$1.conf
	{
		printf 'authCommunity log %s\n' "$(cat "$2")"
		if [ -n "${3:-}" ]; then
			printf 'createUser %s SHA "%s" AES "%s"\n' "$3" "$(cat "$4")" "$(cat "$5")"
			printf 'authUser log %s\n' "$3"
		fi
	} >"$conf"
	chmod 600 "$conf"
	mkdir -p "$NT/trapd-$port.persist"
	lab_spawn "trapd-$port" "$NNS" env SNMP_PERSISTENT_DIR="$NT/trapd-$port.persist" \
		snmptrapd -f -Lo -n -On -m '' -C -c "$conf" "udp:$NADDR:$port"
	wait_for 10 grep -q "NET-SNMP version" "$LAB_TMP/trapd-$port.log" ||
		lab_die "snmptrapd did not start: $(cat "$LAB_TMP/trapd-$port.log")"
}
