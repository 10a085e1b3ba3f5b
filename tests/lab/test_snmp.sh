#!/usr/bin/env bash
# The snmp driver against a real snmpd (the lab's 3Com-like switch): v2c and
# v3 authPriv fence and unfence ports named by ifName, by ifDescr and by
# ifIndex, asserted on the kernel's link state; the read-back verification;
# unknown and ambiguous names; a wrong community, a wrong v3 password and a
# read-only community each fail with a message that names the switch, the
# port and the object, and leave the port as it was; check reads sysName.
set -u
. "$(dirname "$0")/lib.sh"
lab_init sp
: "${FENCER:?FENCER must name the fencer binary}"

lab_switch swb 10.77.0.3/24
for i in 1 2 3 4; do
	lab_ns "h$i"
	lab_switch_port swb "port$i" "$(ns "h$i")" eth0
done
lab_snmpd swb 10.77.0.3
D=$LAB_TMP/swb SW=$(ns swb) C=$LAB_TMP/fencer.conf
ifindex() { ip netns exec "$SW" cat "/sys/class/net/$1/ifindex"; }
P2=$(ifindex port2) P3=$(ifindex port3)

# On Linux ifDescr = ifName = the interface name. Give port2 an ifDescr of
# its own (naming it by ifDescr must then find it), and make "uplink" the
# ifDescr of both lo and port3 (ambiguous). snmpd re-reads on SIGHUP.
cat >>"$D/snmpd.conf" <<EOF
override .1.3.6.1.2.1.2.2.1.2.$P2 octet_str "GigabitEthernet1/0/2"
override .1.3.6.1.2.1.2.2.1.2.1 octet_str "uplink"
override .1.3.6.1.2.1.2.2.1.2.$P3 octet_str "uplink"
EOF
kill -HUP "$(cat "$D/snmpd.pid")"
RO=$(cat "$D/ro.community")
wait_for 10 eval "lab_in $LAB_MGMT snmpget -v2c -c $RO -On 10.77.0.3 .1.3.6.1.2.1.2.2.1.2.$P2 | grep -q GigabitEthernet1/0/2" ||
	lab_die "snmpd did not take the ifDescr override"

all_up() { admin_up port1 && admin_up port2 && admin_up port3; }
# conf SWITCH-KEYS... (one per argument) PORTS...: fw1's ports after "--"
conf() {
	{
		printf '[fencer]\nnode = fw2\nstate-dir = %s/state\ndeadline = 8s\n' "$LAB_TMP"
		printf '[switch swb]\ndriver = snmp\naddress = 10.77.0.3\ntimeout = 1s\nretries = 1\n'
		echo "check-wiring = no"	# the wiring is test_wiring.sh's
		while [ "$1" != -- ]; do echo "$1"; shift; done; shift
		echo "[node fw1]"
		for p in "$@"; do echo "port = swb $p"; done
		echo "[node fw2]"
		echo "port = swb port4"
	} >"$C"
	chmod 0644 "$C"
}
v2c() { echo "snmp-version = 2c"; echo "community-file = $D/${1:-rw}.community"; }
v3() {
	echo "snmp-version = 3"; echo "user = fencer"; echo "auth-protocol = sha"
	echo "auth-password-file = ${1:-$D/auth.pass}"; echo "priv-protocol = aes"
	echo "priv-password-file = ${2:-$D/priv.pass}"
}
# expect_fail WHAT PATTERN...: fence fw1 must fail; its stderr must hold
# every pattern; no port may have moved.
expect_fail() {
	local what=$1 out p; shift
	out=$(fencer fence fw1 2>&1) && lab_die "$what: fence succeeded"
	for p in "$@"; do
		printf '%s\n' "$out" | grep -qF -- "$p" || lab_die "$what: the error lacks '$p': $out"
	done
	all_up || lab_die "$what: a port went down anyway"
	echo "ok - $what: $(printf '%s\n' "$out" | grep -m1 'fencer: fence')"
}

for version in v2c v3; do
	mapfile -t keys < <($version)
	# port1 by ifName, port2 by its ifDescr, port3 by ifIndex
	conf "${keys[@]}" -- port1 GigabitEthernet1/0/2 "$P3"
	fencer configtest >/dev/null || lab_die "$version: configtest failed"
	fencer -v fence fw1 || lab_die "$version: fence fw1 failed"
	for p in port1 port2 port3; do
		admin_down $p || lab_die "$version: fence exited 0 but $p is up in the kernel"
	done
	admin_up mgmt0 || lab_die "$version: the management port is not up"
	# the verification the engine made is in the journal, one per port
	n=$(grep -c '"step": *"verify".*"outcome": *"ok"' "$LAB_TMP/state/journal.jsonl")
	[ "$n" -ge 3 ] || lab_die "$version: the journal has $n verified ports, not 3"
	fencer status fw1 | grep -qE '^fw1 +swb +GigabitEthernet1/0/2 +down ' ||
		lab_die "$version: status does not read port2 down: $(fencer status fw1)"
	# status reads the switch, not fencer's record (snmpd caches its
	# ifTable for a few seconds: poll)
	ip -n "$SW" link set dev port1 up
	wait_for 10 eval "fencer status fw1 | grep -qE '^fw1 +swb +port1 +up '" ||
		lab_die "$version: status does not see port1 up: $(fencer status fw1)"
	ip -n "$SW" link set dev port1 down
	fencer -v unfence fw1 || lab_die "$version: unfence fw1 failed"
	all_up || lab_die "$version: unfence exited 0 but a port is still down"
	echo "ok - $version: fence/unfence by ifName, ifDescr and ifIndex"
	rm -f "$LAB_TMP/state/journal.jsonl"
done

# Every port is up and unfenced, the switch answers: OK, exit 0 (the
# Nagios code is the result; the text only says why).
out=$(fencer -v check 2>/dev/null); rc=$?
[ $rc = 0 ] || lab_die "check of a healthy switch exited $rc, not 0 (OK): $out"
[[ $out == "FENCER OK - "* ]] || lab_die "check does not say FENCER OK: $out"
printf '%s\n' "$out" | grep -q "sysName swb" || lab_die "check does not report sysName: $out"
printf '%s\n' "$out" | grep -q "port1 oper up" || lab_die "check does not report ifOperStatus: $out"
echo "ok - check: $out"

conf "$(v2c)" -- nosuch
expect_fail "unknown name" "switch swb" "port nosuch" "no interface has ifName, ifDescr or ifIndex 'nosuch'" \
	"port1 (ifIndex $(ifindex port1))" "port3 (ifIndex $P3)"
conf "$(v2c)" -- uplink
expect_fail "ambiguous name" "switch swb" "'uplink' is ambiguous" "(ifIndex 1)" "(ifIndex $P3)"
conf "$(v2c)" -- 999
expect_fail "unknown ifIndex" "switch swb" "ifAdminStatus.999 (port 999)"

printf 'wrong-%s' "$(lab_rand 4)" >"$LAB_TMP/bad.community"
chmod 0600 "$LAB_TMP/bad.community"
conf "snmp-version = 2c" "community-file = $LAB_TMP/bad.community" -- port1
expect_fail "wrong community" "switch swb (10.77.0.3)" "no answer to walk of ifName (to find port port1)" \
	"after 2 tries of 1000 ms" "a wrong community"
out=$(fencer check 2>/dev/null); rc=$?
[ $rc = 2 ] || lab_die "check with a wrong community exited $rc, not 2 (CRITICAL): $out"
[[ $out == "FENCER CRITICAL - "*"swb"* ]] || lab_die "check with a wrong community does not say CRITICAL for swb: $out"
echo "ok - check with a wrong community: exit 2, $out"
conf "$(v2c ro)" -- port1
expect_fail "read-only community" "switch swb (10.77.0.3)" "SET ifAdminStatus.$(ifindex port1) (port port1) = down(2)" \
	"noAccess" "read-only community"
printf 'wrong-pass-%s' "$(lab_rand 4)" >"$LAB_TMP/bad.pass"
chmod 0600 "$LAB_TMP/bad.pass"
mapfile -t keys < <(v3 "$LAB_TMP/bad.pass")
conf "${keys[@]}" -- port1
expect_fail "wrong v3 auth password" "switch swb (10.77.0.3)" "walk of ifName (to find port port1)" \
	"Authentication failure" "check user, auth-protocol"
mapfile -t keys < <(v3 "$D/auth.pass" "$LAB_TMP/bad.pass")
conf "${keys[@]}" -- "$(ifindex port1)"
expect_fail "wrong v3 priv password" "switch swb (10.77.0.3)" "ifAdminStatus.$(ifindex port1) (port $(ifindex port1))" \
	"wrong priv-password"

# no secret in any output or the journal
for s in "$D/rw.community" "$D/ro.community" "$D/auth.pass" "$D/priv.pass" "$LAB_TMP/bad.pass"; do
	lacks -rF -- "$(cat "$s")" "$LAB_TMP/state" || lab_die "a secret from $s is in the state dir (or it cannot be read)"
done
echo "snmp driver: v2c and v3 by every naming, verified; errors named"
