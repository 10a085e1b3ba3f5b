# tests/lab/cliemu_lib.sh: sourced by the tests of the CLI-family drivers
# (test_comware.sh, test_dell_os.sh) and of their emulator (test_cliemu.sh).
# A switch swa running tests/lab/cliemu in one dialect behind the lab's real
# sshd (lab_sshd, its forced command swapped for cliemu) on 10.77.0.2, with
# host h1 on port P1 (kernel port gi1) and h2 on P2 (gi2), and a fencer.conf
# for it.
#
#   cli_setup TAG DIALECT  the world above (DIALECT comware or dell-os); sets
#                          D (switch files), SW (its namespace), C
#                          (fencer.conf), OUT (scratch output), P1, P2 (the
#                          ports' names in the dialect), P9 (a port it lacks)
#   cli_ports DIALECT      sets P1, P2, P9 alone
#   cli_switch NAME ADDR DIALECT PORT=KERNELIF...
#                          lab_sshd in switch NAME (lab_switch done) with
#                          cliemu as its forced command; its files in
#                          $LAB_TMP/NAME: cli.conf (and cli.conf.orig), the
#                          log cli.log, and lab_sshd's credentials; the lab
#                          profile's delays (lab_profile) in cli.conf
#   cli_conf [LINES]       write $C: LINES are the switch's credential keys
#                          (default: password-file and enable-secret-file);
#                          env FW1_PORTS (default $P1), FW2_PORTS ($P2),
#                          DEADLINE, TIMEOUT, FLUSH, KNOWN_HOSTS, CHECK_WIRING
#                          (default no), FW1_MAC and FW2_MAC (each node's
#                          MAC on its port line)
#   cli_fault [LINE...]    cliemu config = the original plus LINEs
#   fencer ARGS...         run fencer from the management namespace, its
#                          output in $OUT (and $LAB_TMP/all.out)
#   bd_comware, bd_dell_os, peer_cli
#                          the switch and the peer of tests/bench/bench_drivers.sh
# check, lab_done, admin_up / admin_down, has / hasnt are lib.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"

# Swap the forced command of lab_sshd's sshd for cliemu: sshd re-reads its
# configuration on SIGHUP (it re-executes itself, same pid).
cli_switch() {
	local name=$1 addr=$2 dialect=$3 d=$LAB_TMP/$1 n m
	shift 3
	[ -x "$LABBIN/cliemu" ] || lab_die "$LABBIN/cliemu not built"
	lab_sshd "$name" "$addr" "$@"
	lab_profile
	{
		echo "dialect=$dialect"
		echo "hostname=$name"
		echo "bridge=br0"
		echo "secret-file=$d/enable"
		echo "log=$d/cli.log"
		[ "$LAB_LOGIN_MS" -gt 0 ] && echo "login-delay-ms=$LAB_LOGIN_MS"
		[ "$LAB_CMD_MS" -gt 0 ] && echo "delay-ms=$LAB_CMD_MS"
		for m in "$@"; do echo "port=${m%%=*} ${m#*=}"; done
	} >"$d/cli.conf"
	cp "$d/cli.conf" "$d/cli.conf.orig"
	n=$(grep -c "Server listening on" "$LAB_TMP/$name-sshd.log")
	sed -i "s|^ForceCommand .*|ForceCommand $LABBIN/cliemu -c $d/cli.conf|" "$d/sshd_config"
	kill -HUP "$(cat "$d/sshd.pid")" || lab_die "cannot signal sshd"
	wait_for 10 eval '[ "$(grep -c "Server listening on" "$LAB_TMP/'"$name"'-sshd.log")" -gt '"$n"' ]' ||
		lab_die "sshd did not restart with cliemu (see $LAB_TMP/$name-sshd.log)"
	wait_for 10 lab_tcp_open "$LAB_PFX-$name" "$addr" 22 || lab_die "sshd did not listen again"
}

cli_ports() {
	case $1 in
	comware) P1=GigabitEthernet1/0/1 P2=GigabitEthernet1/0/2 P9=GigabitEthernet1/0/9;;
	dell-os) P1=Gi1/0/1 P2=Gi1/0/2 P9=Gi1/0/9;;
	*) lab_die "cli_ports: no dialect $1";;
	esac
}

cli_setup() {
	lab_init "$1"
	CLI_DIALECT=$2
	cli_ports "$2"
	lab_switch swa 10.77.0.2/24
	lab_ns h1
	lab_ns h2
	lab_switch_port swa gi1 "$(ns h1)" eth0
	lab_switch_port swa gi2 "$(ns h2)" eth0
	D=$LAB_TMP/swa SW=$(ns swa) C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out
	cli_switch swa 10.77.0.2 "$2" "$P1=gi1" "$P2=gi2"
}

cli_conf() {
	local creds=${1:-"password-file = $D/password
enable-secret-file = $D/enable"} p
	{
		cat <<-EOC
		[fencer]
		node = fw2
		peer = fw1
		state-dir = $LAB_TMP/state
		deadline = ${DEADLINE:-10s}
		[switch swa]
		driver = $CLI_DIALECT
		address = 10.77.0.2
		user = fencer
		$creds
		known-hosts = ${KNOWN_HOSTS:-$D/known_hosts}
		timeout = ${TIMEOUT:-5s}
		flush = ${FLUSH:-port}
		check-wiring = ${CHECK_WIRING:-no}
		[node fw1]
		EOC
		for p in ${FW1_PORTS:-$P1}; do echo "port = swa $p ${FW1_MAC:-}"; done
		echo "[node fw2]"
		for p in ${FW2_PORTS:-$P2}; do echo "port = swa $p ${FW2_MAC:-}"; done
	} >"$C"
	chmod 0644 "$C"
}

cli_fault() {
	cp "$D/cli.conf.orig" "$D/cli.conf"
	local f
	for f in "$@"; do echo "$f" >>"$D/cli.conf"; done
}

fencer() {
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1
	local rc=$?
	cat "$OUT" >>"$LAB_TMP/all.out"
	return $rc
}

# fencer bounded by the test itself (a hang must not hang the test): exit
# code in RC.
fencer_bounded() {
	timeout 30 ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1; RC=$?
	cat "$OUT" >>"$LAB_TMP/all.out"
}

# The checks every CLI family passes, in its own words: WORDS_UNKNOWN (its
# answer to a word it lacks), WORDS_BAD_PORT (to a port it lacks), SET_DOWN
# and SET_UP (the commands of a fence and an unfence), FLUSH_CMD (the
# per-port flush, port name appended), MACS_CMD (the MAC table of a port),
# LLDP_CMD (the start of a port's LLDP neighbour command), PRIV (what the
# enable-secret-file answers: "super" or "enable").
cli_common() {
	local s

	# --- password login, the privilege password right ------------------------
	cli_conf
	check "configtest accepts the $CLI_DIALECT switch" fencer configtest
	check "fence fw1 (password login)" fencer fence fw1
	check "  $P1 is down in the kernel" admin_down gi1
	check "  $P2 was left alone" admin_up gi2
	check "  the switch saw $PRIV accepted" grep -q "$PRIV ok" "$D/cli.log"
	check "  and \`$SET_DOWN\`" grep -q "	$SET_DOWN$" "$D/cli.log"
	check "status reads it back as down" eval 'fencer status && grep -Eq "^fw1 +swa +$P1 +down" "$OUT"'
	check "unfence fw1" fencer unfence fw1
	check "  $P1 is up again" admin_up gi1
	check "  with \`$SET_UP\`" grep -q "	$SET_UP$" "$D/cli.log"

	# --- public-key login ----------------------------------------------------------
	cli_conf "identity = $D/id_ed25519
enable-secret-file = $D/enable"
	check "fence fw1 (key login)" fencer fence fw1
	check "  $P1 is down" admin_down gi1
	check "  sshd accepted the public key" grep -q "Accepted publickey for fencer" "$LAB_TMP/swa-sshd.log"
	check "unfence fw1 (key login)" fencer unfence fw1
	check "  $P1 is up" admin_up gi1

	# --- wrong credentials ---------------------------------------------------------
	lab_secret "$LAB_TMP/wrong.priv" "wrong-$(lab_rand 4)"
	cli_conf "password-file = $D/password
enable-secret-file = $LAB_TMP/wrong.priv"
	check "fence with a wrong $PRIV password fails" eval '! fencer fence fw1'
	check "  and says it was refused" has "$PRIV password refused"
	check "  $P1 stays up" admin_up gi1
	lab_secret "$LAB_TMP/wrong.pw" "wrong-$(lab_rand 4)"
	cli_conf "password-file = $LAB_TMP/wrong.pw
enable-secret-file = $D/enable"
	check "fence with a wrong password fails" eval '! fencer fence fw1'
	check "  and says the login was refused" has "login refused for user fencer"
	check "  $P1 stays up" admin_up gi1

	# --- verification: the switch accepts the shutdown, does nothing ------------------
	cli_conf
	cli_fault quirk=ignore-shutdown
	check "fence fails when the port does not go down" eval '! fencer fence fw1'
	check "  the shutdown was sent" grep -q "kernel.ip link set dev gi1 down" "$D/cli.log"
	check "  the read-back caught it" has "port is still up after shutdown"
	check "  $P1 is really up" admin_up gi1
	check "  fenced.json records it sent, not verified" grep -q '"state": "sent, not verified"' "$LAB_TMP/state/fenced.json"
	cli_fault

	# --- a port the switch lacks: its own words ---------------------------------------
	FW1_PORTS="$P1 $P9" cli_conf
	check "fence with a port the switch lacks fails" eval '! fencer fence fw1'
	check "  with the switch's words" has "$WORDS_BAD_PORT"
	check "  naming the port and the command" has "no such port: switch swa has no $P9 (its answer to \`interface $P9\`"
	check "  the other port was fenced in the same session" admin_down gi1
	cli_conf
	check "unfence restores it" fencer unfence fw1
	check "  $P1 is up" admin_up gi1

	# --- a refused command --------------------------------------------------------------
	cli_fault "refuse=$SET_DOWN"
	check "fence where the switch refuses \`$SET_DOWN\`: exit 1" eval 'fencer fence fw1; test $? = 1'
	check "  its words in the output" has "$WORDS_UNKNOWN"
	check "  naming the command" has "the switch rejected \`$SET_DOWN\` for port $P1"
	check "  $P1 stays up" admin_up gi1
	cli_fault

	# --- paging on: the paging command refused, 2-line pages (every answer paged) ------------------------------
	cli_fault quirk=no-paging length=2
	check "fence with paging on" fencer fence fw1
	check "  $P1 is down" admin_down gi1
	check "status reads the paged answer" eval 'fencer status && grep -Eq "^fw1 +swa +$P1 +down" "$OUT"'
	check "unfence with paging on" fencer unfence fw1
	check "  $P1 is up" admin_up gi1
	cli_fault

	# --- flush: promote with flush = port ---------------------------------------------
	# The switch's hardware-learned entries are extern_learn ones: the
	# kernel keeps them when the port goes down (it drops its own learned
	# ones then), so only the flush can remove them.
	FW1_PORTS=$P2 FW2_PORTS=$P1 cli_conf
	: >"$D/cli.log"
	check "entries learned on $P1 and $P2" cli_plant
	check "promote fences fw1 and flushes its port" fencer promote
	check "  $P2 is down" admin_down gi2
	check "  with \`$FLUSH_CMD $P2\`" grep -q "	$FLUSH_CMD $P2$" "$D/cli.log"
	check "  the entry on $P2 is gone from the kernel's table" not_in_fdb "$MX2" gi2
	check "  the entry on $P1 is kept" in_fdb "$MX1" gi1
	check "unfence fw1" fencer unfence fw1
	check "  $P2 is up" admin_up gi2
	cli_fault "refuse=$FLUSH_CMD"
	check "entries learned again" cli_plant
	check "promote where the flush is refused: exit 3 (fenced, flush failed)" eval 'fencer promote; test $? = 3'
	check "  its words in the output" has "$WORDS_UNKNOWN"
	check "  naming the command" has "the switch rejected \`$FLUSH_CMD $P2\`"
	check "  $P2 is down all the same" admin_down gi2
	check "  the entry on $P2 is still there" in_fdb "$MX2" gi2
	cli_fault
	check "unfence fw1" fencer unfence fw1
	check "  $P2 is up" admin_up gi2

	# --- check: read-only, and the write test -------------------------------------------
	cli_conf
	: >"$D/cli.log"
	check "check passes" fencer check
	check "  nothing that changes a port or a table reached the switch" \
		eval 'grep -q "	$READ_CMD" "$D/cli.log" && lacks -E "	($SET_DOWN|$SET_UP|$FLUSH_CMD)" "$D/cli.log"'
	check "  the write test entered the peer port's interface" grep -q "	interface $P1$" "$D/cli.log"
	sed -i 's/^\[switch swa\]$/&\ncheck-write = no/' "$C"
	: >"$D/cli.log"
	check "check with check-write = no" fencer check
	check "  no interface was entered" lacks "	interface " "$D/cli.log"

	# --- check, wiring: the MAC table of each port -------------------------------------
	CHECK_WIRING=yes FW1_MAC=$MX1 FW2_MAC=$MX2 cli_conf
	check "entries learned on both ports" cli_plant
	check "check proves the wiring from the switch's MAC table" fencer --json check
	check "  $P1 leads to fw1" has "swa $P1 leads to fw1: fw1's MAC $MX1 is learned there"
	check "  $P2 leads to fw2" has "swa $P2 leads to fw2: fw2's MAC $MX2 is learned there"
	check "  read with \`$MACS_CMD\`" grep -q "	$MACS_CMD $P1$" "$D/cli.log"
	bridge -n "$SW" fdb del "$MX1" dev gi1 master
	bridge -n "$SW" fdb del "$MX2" dev gi2 master
	bridge -n "$SW" fdb replace "$MX2" dev gi1 master extern_learn
	check "swapped: check is CRITICAL (exit 2)" eval 'fencer --json check; test $? = 2'
	check "  naming fw2's MAC on fw1's port" has "fw2's MAC $MX2 is learned there"
	bridge -n "$SW" fdb del "$MX2" dev gi1 master

	# --- check, wiring: LLDP neighbours ---------------------------------------------
	# lldpd on both hosts (named fw1 and fw2) and on the switch's ports;
	# cliemu answers the neighbour command from the switch's lldpd.
	lab_lldpd swa "$SW" swa gi1 gi2
	lab_lldpd h1 "$(ns h1)" fw1 eth0
	lab_lldpd h2 "$(ns h2)" fw2 eth0
	cli_fault "lldp=$LAB_TMP/swa-lldpd/ctl"
	check "the switch's lldpd sees fw1 and fw2" wait_for 30 eval \
		'lldpcli -u "$LAB_TMP/swa-lldpd/ctl" -f keyvalue show neighbors | grep -q "chassis.name=fw1" &&
		 lldpcli -u "$LAB_TMP/swa-lldpd/ctl" -f keyvalue show neighbors | grep -q "chassis.name=fw2"'
	CHECK_WIRING=yes cli_conf
	: >"$D/cli.log"
	check "check proves the wiring from LLDP (no MAC on the port lines)" fencer --json check
	check "  $P1 leads to fw1 by its LLDP neighbour" has "swa $P1 leads to fw1: its LLDP neighbour is fw1"
	check "  $P2 leads to fw2 by its LLDP neighbour" has "swa $P2 leads to fw2: its LLDP neighbour is fw2"
	check "  read with \`$LLDP_CMD\`" grep -q "	$LLDP_CMD" "$D/cli.log"
	FW1_PORTS=$P2 FW2_PORTS=$P1 CHECK_WIRING=yes cli_conf
	check "swapped map: check is CRITICAL (exit 2)" eval 'fencer --json check; test $? = 2'
	check "  naming fw2 as $P2's LLDP neighbour" has "its LLDP neighbour is fw2"
	cli_fault
	cli_conf

	# --- unknown host key ---------------------------------------------------------------
	: >"$LAB_TMP/empty_known_hosts"
	KNOWN_HOSTS=$LAB_TMP/empty_known_hosts cli_conf
	: >"$D/cli.log"
	check "fence with an unknown host key fails" eval '! fencer fence fw1'
	check "  says so, with the fingerprint and the hint" eval 'has "unknown host key: 10.77.0.2 offers ssh-ed25519 SHA256:" && has "run: fencer trust swa"'
	check "  nothing logged in to the CLI" lacks "event.login" "$D/cli.log"
	check "  $P1 is up" admin_up gi1
	check "trust --yes records it" fencer trust swa --yes
	check "fence now works" fencer fence fw1
	check "  $P1 is down" admin_down gi1
	check "unfence" fencer unfence fw1
	check "  $P1 is up" admin_up gi1

	# --- a switch that stops answering ----------------------------------------------------
	cli_fault delay-ms=60000
	DEADLINE=2s TIMEOUT=20s cli_conf
	fencer_bounded fence fw1
	check "a switch that stops answering: exit 1" test "$RC" = 1
	check "  reported as a timeout at the deadline" grep -Eq "timeout.*deadline" "$OUT"
	check "  $P1 untouched" admin_up gi1
	cli_fault quirk=hang
	TIMEOUT=1s cli_conf
	fencer_bounded fence fw1
	check "a switch silent after login: exit 1" test "$RC" = 1
	check "  reported as a timeout of the first prompt" has "no answer within 1000 ms (timeout) to the first prompt"
	cli_fault
	cli_conf

	# --- secrets ----------------------------------------------------------------------------
	for s in "$D/password" "$D/enable" "$LAB_TMP/wrong.priv" "$LAB_TMP/wrong.pw"; do
		check "secret $(basename "$s") is in no output, journal or state" \
			lacks -rF -- "$(cat "$s")" "$LAB_TMP/all.out" "$LAB_TMP/state"
		check "secret $(basename "$s") is not in the switch's command log" lacks -F -- "$(cat "$s")" "$D/cli.log"
	done
}

# cli_plant: an entry "learned" on each port, as the switch's hardware
# would hold it (extern_learn).
MX1=02:cf:00:00:01:01 MX2=02:cf:00:00:01:02
cli_plant() {
	bridge -n "$SW" fdb replace "$MX1" dev gi1 master extern_learn &&
		bridge -n "$SW" fdb replace "$MX2" dev gi2 master extern_learn &&
		in_fdb "$MX1" gi1 && in_fdb "$MX2" gi2
}

# --- tests/bench/bench_drivers.sh: the comware and dell-os switches ------------------------
# (bench_drivers.sh says what SETUP and PEER do.) Key login, as fencer and
# the peer both have it.
bd_cli() {
	CLI_DIALECT=$1
	cli_ports "$1"
	lab_switch swa 10.77.0.2/24
	lab_ns h1
	lab_switch_port swa gi1 "$(ns h1)" eth0
	cli_switch swa 10.77.0.2 "$1" "$P1=gi1"
	local d=$LAB_TMP/swa
	BD_NS=$(ns swa) BD_KIF=gi1 BD_PORT=$P1 BD_PORT2=$P2
	BD_KEYS="address = 10.77.0.2
user = fencer
identity = $d/id_ed25519
enable-secret-file = $d/enable
known-hosts = $d/known_hosts
check-wiring = no"
}
bd_comware() { bd_cli comware; }
bd_dell_os() { bd_cli dell-os; }

# The commands fencer sends to fence and read back (cliemu's log), from
# OpenSSH's client (same key, known_hosts), then the dialect's logout.
peer_cli() {
	local d=$LAB_TMP/swa
	command -v ssh >/dev/null || return 77
	case $CLI_DIALECT in
	comware) set -- super "$(cat "$d/enable")" "screen-length disable" system-view "interface $P1" \
		shutdown "display interface $P1 brief" return quit;;
	dell-os) set -- enable "$(cat "$d/enable")" "terminal length 0" configure "interface $P1" \
		shutdown end "show running-config interface $P1" exit;;
	esac
	printf '%s\n' "$@" |
		ip netns exec "$LAB_MGMT" ssh -tt -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes \
			-o UserKnownHostsFile="$d/known_hosts" -o IdentitiesOnly=yes -i "$d/id_ed25519" \
			-o PasswordAuthentication=no -l fencer 10.77.0.2 >"$OUT" 2>&1
}
