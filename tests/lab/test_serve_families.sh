#!/usr/bin/env bash
# fencer serve (docs/serve.md) with the drivers of the other switch
# families: comware, dell-os (SSH CLI, cliemu), junos (NETCONF,
# netconfemu), eos, nxos, aruba-os-switch (HTTPS, httpsemu). For each,
# with the service running and its session open: a fence is warm (the
# journal's connect line says so, the emulator sees no new login or
# session; the HTTPS drivers' TCP connection is the same one) and the
# port is down in the kernel; then the session is cut behind the
# service's back (the switch's sshd children killed, httpsemu restarted,
# which also forgets the aruba cookie; and for aruba-os-switch, the
# cookie alone expired, the connection kept) and the next fence still succeeds:
# logged in anew (cold) for the SSH drivers, on a new connection for the
# HTTPS ones, logged in again on the 401 for aruba-os-switch; the port
# checked in the kernel each time.
#
# Each family runs in its own lab (its own process): with no argument the
# test runs itself once per family; `test_serve_families.sh FAMILY` runs one.
set -u
families="comware dell-os junos eos nxos aruba-os-switch"
if [ $# = 0 ]; then
	rc=0 ran=0
	for f in $families; do
		echo "# --- $f"
		bash "$0" "$f"
		case $? in
		0) ran=$((ran + 1));;
		77) ;;
		*) rc=1;;
		esac
	done
	[ "$rc" = 0 ] && [ "$ran" = 0 ] && exit 77
	exit $rc
fi
FAMILY=$1
here=$(dirname "$0")

# The family's lab, and for the checks: SWNAME (its [switch]), KPORT (the
# kernel port of fw1's port), logins (what the emulator counts as a new
# session), cut (the session cut behind the service's back).
case $FAMILY in
comware|dell-os)
	. "$here/cliemu_lib.sh"
	cli_setup "sw${FAMILY:0:1}" "$FAMILY"
	cli_conf
	SWNAME=swa KPORT=gi1
	logins() { grep -c "event.login" "$D/cli.log" 2>/dev/null || echo 0; }
	;;
junos)
	. "$here/junos_lib.sh"
	junos_setup swj
	junos_conf
	SWNAME=swj KPORT=ge1
	logins() { grep -c "event.hello" "$D/nc.log" 2>/dev/null || echo 0; }
	;;
eos|nxos|aruba-os-switch)
	. "$here/https_lib.sh"
	case $FAMILY in
	eos) https_setup swe Ethernet1 Ethernet2;;
	nxos) https_setup swn Ethernet1/1 Ethernet1/2;;
	*) https_setup swr 1 2;;
	esac
	https_conf "$FAMILY"
	SWNAME=swa KPORT=gi1
	if [ "$FAMILY" = aruba-os-switch ]; then
		logins() { grep -c "POST /rest/v[0-9]*/login-sessions" "$D/api.log" 2>/dev/null || echo 0; }
	else
		logins() { grep -c "show version" "$D/api.log" 2>/dev/null || echo 0; }
	fi
	;;
*)
	echo "test_serve_families.sh: no family $FAMILY (one of: $families)" >&2
	exit 2
	;;
esac

SOCK=$LAB_TMP/run/fencer.sock J=$LAB_TMP/state/journal.jsonl
mkdir -p "$LAB_TMP/run"
# keepalive off: the cut must be found by the next fence's reuse, not
# mended by the keepalive before it.
sed -i "s|^\[fencer\]\$|[fencer]\nsocket = $SOCK\nserve-wait = 5s\nkeepalive = off\ncheck-interval = off|" "$C"

serve_answers() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" serve status >/dev/null 2>&1; }
serve_open() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" serve status 2>/dev/null | grep -q "^$SWNAME  *open "; }
connect_says() { since "$J" "$1" | grep "\"step\":\"connect\"" | grep -q "\"detail\":\"$2"; }
# The HTTPS drivers' connection to the switch: the client's port of the
# established TCP connection(s) to 443, as the switch's kernel sees them.
conns() { lab_in "$SW" ss -Htn state established '( sport = :443 )' | awk '{print $4}' | sort | tr '\n' ' '; }
# The switch's sshd children (one per session; the listener's pid file
# is $D/sshd.pid), killed: the kept session is gone, without a word to
# fencer.
ssh_children() { ps -o pid= --ppid "$(cat "$D/sshd.pid")" 2>/dev/null | tr -d ' '; }
cut() {
	local p
	case $FAMILY in
	eos|nxos|aruba-os-switch)
		lab_kill swa-httpsemu
		lab_spawn swa-httpsemu "$SW" /usr/bin/python3 "$LAB_HERE/httpsemu.py" -c "$D/emu.conf"
		wait_for 10 lab_tcp_open "$SW" 10.77.0.2 443
		;;
	*)
		for p in $(ssh_children); do kill "$p"; done
		wait_for 10 eval '[ -z "$(ssh_children)" ]'
		;;
	esac
}

lab_spawn serve "$LAB_MGMT" "$FENCER" -c "$C" -v serve
SERVE_PID=$(cat "$LAB_TMP/serve.pid")
wait_for 20 serve_answers || lab_die "fencer serve did not answer: $(cat "$LAB_TMP/serve.log")"
check "$FAMILY: the service's session to $SWNAME is open" wait_for 20 serve_open

# --- warm -------------------------------------------------------------------------
n=$(logins) j=$(lines "$J") k=$(conns)
check "$FAMILY: fence through the service" fencer -v fence fw1
check "  $KPORT is down in the kernel" admin_down "$KPORT"
check "  the timeline says warm" has "warm: the session fencer serve kept"
check "  the journal's connect line says warm" connect_says "$j" warm
check "  no new login on the switch" test "$(logins)" = "$n"
case $FAMILY in eos|nxos|aruba-os-switch)
	check "  the same TCP connection ($k)" test "$(conns)" = "$k";;
esac
check "unfence through the service" fencer unfence fw1
check "  $KPORT is up in the kernel" admin_up "$KPORT"
check "  no new login on the switch" test "$(logins)" = "$n"
# A second fence after the unfence: the session an unfence left (an
# interface or config mode, a committed candidate) is reused as well.
j=$(lines "$J")
check "fence again" fencer -v fence fw1
check "  $KPORT is down in the kernel" admin_down "$KPORT"
check "  warm" connect_says "$j" warm
check "  no new login on the switch" test "$(logins)" = "$n"
check "unfence" fencer unfence fw1
check "  $KPORT is up in the kernel" admin_up "$KPORT"

# --- aruba-os-switch: the cookie expired, the connection kept ----------------------------
refusals() { grep -c "cookie was refused (HTTP 401" "$LAB_TMP/serve.log"; }
if [ "$FAMILY" = aruba-os-switch ]; then
	echo "expire-file=$D/expire" >>"$D/emu.conf"
	touch "$D/expire"
	n=$(logins) j=$(lines "$J") k=$(conns) r=$(refusals)
	check "$FAMILY: the switch ended the kept session: fence through the service" fencer -v fence fw1
	check "  $KPORT is down in the kernel" admin_down "$KPORT"
	check "  the switch did end it" grep -q "sessions expired" "$D/api.log"
	check "  logged in again" test "$(logins)" = $((n + 1))
	check "  after the switch refused the kept cookie" test "$(refusals)" = $((r + 1))
	check "  on the same TCP connection" test "$(conns)" = "$k"
	check "unfence" fencer unfence fw1
	check "  $KPORT is up in the kernel" admin_up "$KPORT"
	check "  on the new cookie: no new login" test "$(logins)" = $((n + 1))
fi

# --- the session cut behind the service's back -----------------------------------------
k=$(conns)
cut
n=$(logins) j=$(lines "$J") r=$(refusals)
check "$FAMILY: session cut: fence through the service" fencer -v fence fw1
check "  $KPORT is down in the kernel" admin_down "$KPORT"
case $FAMILY in
eos|nxos)
	check "  on a new TCP connection" eval '[ -n "$(conns)" ] && [ "$(conns)" != "$k" ]'
	check "  the journal's connect line says warm (the handle reconnects by itself)" connect_says "$j" warm
	;;
aruba-os-switch)
	check "  on a new TCP connection" eval '[ -n "$(conns)" ] && [ "$(conns)" != "$k" ]'
	check "  logged in again" test "$(logins)" = $((n + 1))
	check "  after the switch refused the kept cookie" test "$(refusals)" = $((r + 1))
	;;
*)
	check "  logged in anew" test "$(logins)" -gt "$n"
	check "  the journal says cold" connect_says "$j" cold
	;;
esac
n=$(logins) j=$(lines "$J")
check "unfence" fencer unfence fw1
check "  $KPORT is up in the kernel" admin_up "$KPORT"
check "  on the new session: warm, no new login" eval 'connect_says $j warm && [ "$(logins)" = "$n" ]'

kill "$SERVE_PID"
wait "$SERVE_PID"
check "$FAMILY: SIGTERM: the service ends, exit 0" test $? = 0
check "  clean under the sanitizers" eval '! grep -q "Sanitizer\|runtime error" "$LAB_TMP/serve.log"'
rm -f "$LAB_TMP/serve.pid"
lab_done
