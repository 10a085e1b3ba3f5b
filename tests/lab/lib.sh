# tests/lab/lib.sh: sourced by every lab test, the demo and the `lab` script.
#
# Everything a test creates carries a unique prefix ($LAB_PFX) and is
# registered for cleanup; one EXIT trap removes it, in reverse order, whether
# the test passes, fails or is interrupted.  Interfaces are created directly
# inside their namespaces, so their names are namespace-local and short.
#
#   lab_init [TAG]                 prefix, temp dir ($LAB_TMP), EXIT trap
#   lab_on_exit CMD...             register a cleanup command (run LIFO)
#   lab_ns NAME                    namespace $LAB_PFX-NAME, lo up
#   ns NAME                        prints $LAB_PFX-NAME (never call lab_*
#                                  creators inside $(...): a subshell cannot
#                                  register its cleanup)
#   lab_veth NS1 IF1 NS2 IF2       veth pair, both ends up
#   lab_bridge NS BR [AGEING_S]    a Linux bridge, up (STP off)
#   lab_enslave NS BR IF           put IF into bridge BR
#   lab_addr NS IF ADDR/LEN        add an address
#   lab_spawn NAME NS CMD...       background process in NS (NS "-" = none),
#                                  output to $LAB_TMP/NAME.log, pid in
#                                  $LAB_TMP/NAME.pid, killed at exit
#   lab_kill NAME                  stop a spawned process now
#   wait_for SECONDS CMD...        poll CMD every 50 ms until it succeeds
#   lab_in NS CMD...               ip netns exec NS CMD
#   lab_link_state NS DEV          prints UP or DOWN, DEV's administrative
#                                  state in NS; fails (and says so) when it
#                                  cannot be read
#   lab_link_up / lab_link_down NS DEV   DEV read as UP / as DOWN
#   lab_probe_start NS DST         tests/lab/probe in NS: an ICMP echo to DST
#                                  every 10 ms (log $LAB_TMP/probe.log)
#   lab_probe_answered             wait for its first answer (dies if none
#                                  in 10 s): the gap starts after it
#   lab_probe_stop                 stop it and read its report: PROBE_GAP
#                                  (longest gap between answers, ms) and
#                                  PROBE_RECOVERED (0: no answer after it)
#   lab_mgmt_net                   the management network: namespace
#                                  $LAB_MGMT, bridge mbr with 10.77.0.1/24
#   lab_mgmt_attach NS ADDR/LEN    veth NS:mgmt0 <-> mgmt:m-<name>, address
#   lab_switch NAME ADDR/LEN       switch namespace: bridge br0, mgmt0 with ADDR
#   lab_switch_port NAME PORT PEERNS PEERIF
#                                  veth PORT (in switch NAME, member of br0)
#                                  <-> PEERIF (in PEERNS)
#   lab_snmpd NAME ADDR [PORT]     3Com-like agent in switch NAME (see below)
#   lab_sshd NAME ADDR PORTMAP...  Cisco-like sshd + iosemu in switch NAME
#   lab_profile                    the switches' latency, from
#                                  FENCER_LAB_PROFILE (see there): sets
#                                  LAB_LOGIN_MS LAB_CMD_MS LAB_SNMP_MS
#   lab_ssh NAME [ssh args] [-- remote]  ssh client from $LAB_MGMT with key
#   lab_lldpd NAME NS HOST IF...   a real lldpd (Debian lldpd) in NS, named
#                                  HOST, sending LLDP every second out of the
#                                  IFs; control socket $LAB_TMP/NAME-lldpd/ctl
#                                  (lldpcli -u); with LAB_LLDP_AGENTX=SOCKET an
#                                  AgentX sub-agent of that snmpd (LLDP-MIB)
#   lab_ssh_pw NAME [ssh args]     the same with the password
#
# Checks, one failure style for every test. A state is read positively: a
# read that fails fails the check, whichever way the check asks.
#   check DESCRIPTION CMD...       "ok - DESCRIPTION" or "not ok - ..."; a
#                                  failure is counted in LAB_FAILS and shows
#                                  the last lines of $OUT (when it is set)
#   lab_done [MESSAGE]             exit 1 if a check failed, else say MESSAGE
#   admin_up / admin_down PORT     PORT of the switch namespace $SW, read as
#                                  administratively UP / DOWN
#   in_fdb MAC PORT                $SW's br0 holds a learned or static entry
#                                  for MAC on PORT
#   not_in_fdb MAC PORT            $SW's br0 was read and holds none
#   mac_of NAME [DEV]              the MAC of DEV (eth0) in namespace NAME
#   has TEXT / hasnt TEXT          $OUT holds TEXT / was read and lacks it
#   lacks GREP-ARGS...             grep read every file it was given and
#                                  matched nothing (a missing file fails)
#
# Credentials and files of a switch NAME, all under $LAB_TMP/NAME/:
#   snmp: v2c communities in rw.community (read-write, "private-<rand>") and
#         ro.community; v3 user "fencer", SHA auth pass in auth.pass, AES priv
#         pass in priv.pass (all files mode 0600); log snmpd.log.
#   ssh:  user "fencer", password in password (0600), key id_ed25519,
#         enable secret in enable (0600), known_hosts for ADDR, iosemu config
#         ios.conf (rewrite it to inject faults: the next login reads it),
#         command log ios.log, sshd log sshd.log.
# Environment: LABBIN (directory of the built lab helpers, build/lab).

LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${LABBIN:=$(cd "$LAB_HERE/../.." && pwd)/build/lab}"
LAB_CLEANUP=()

lab_log() { printf 'lab: %s\n' "$*" >&2; }
lab_die() { printf 'lab: FAIL: %s\n' "$*" >&2; exit 1; }
lab_skip() { printf '%s\n' "$*"; exit 77; }

lab_init() {
	local tag=${1:-l}
	[ "$(id -u)" = 0 ] || lab_skip "lab: needs root (network namespaces)"
	command -v ip >/dev/null || lab_skip "lab: iproute2 missing"
	LAB_PFX=$tag$(printf '%04x' $((RANDOM ^ $$ & 0xffff)))
	LAB_TMP=$(mktemp -d "/tmp/fencer-lab-$LAB_PFX.XXXXXX")
	chmod 0755 "$LAB_TMP"
	LAB_MGMT=
	# The runner sweeps what a test killed at its time limit left.
	[ -n "${LAB_RECORD:-}" ] && echo "$LAB_PFX $LAB_TMP" >>"$LAB_RECORD"
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}

lab_on_exit() { LAB_CLEANUP+=("$*"); }

lab_cleanup() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#LAB_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${LAB_CLEANUP[i]}" >/dev/null 2>&1 || true
	done
	LAB_CLEANUP=()
	[ -n "${LAB_KEEP:-}" ] || rm -rf "$LAB_TMP"
	exit $rc
}

lab_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

lab_ns() {
	local ns=$LAB_PFX-$1
	ip netns add "$ns" || lab_die "ip netns add $ns"
	lab_on_exit "lab_ns_del $ns"
	ip -n "$ns" link set dev lo up
}

ns() { echo "$LAB_PFX-$1"; }

# Kill every process left in the namespace, then delete it.
lab_ns_del() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	[ -n "$pids" ] && kill -9 $pids 2>/dev/null
	ip netns del "$1"
}

lab_veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		lab_die "veth $1:$2 <-> $3:$4"
	ip -n "$1" link set dev "$2" up
	ip -n "$3" link set dev "$4" up
}

lab_bridge() {
	local ns=$1 br=$2 ageing=${3:-300}
	ip -n "$ns" link add name "$br" type bridge stp_state 0 forward_delay 0 \
		ageing_time $((ageing * 100)) || lab_die "bridge $ns:$br"
	ip -n "$ns" link set dev "$br" up
}

lab_enslave() { ip -n "$1" link set dev "$3" master "$2" && ip -n "$1" link set dev "$3" up; }

lab_addr() { ip -n "$1" addr add "$3" dev "$2"; }

lab_spawn() {
	local name=$1 ns=$2; shift 2
	if [ "$ns" = - ]; then
		"$@" >"$LAB_TMP/$name.log" 2>&1 &
	else
		ip netns exec "$ns" "$@" >"$LAB_TMP/$name.log" 2>&1 &
	fi
	echo $! >"$LAB_TMP/$name.pid"
	lab_on_exit "lab_kill $name"
}

lab_kill() {
	local f=$LAB_TMP/$1.pid pid
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	kill "$pid" 2>/dev/null && for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null
	rm -f "$f"
	return 0
}

wait_for() {
	local secs=$1 end; shift
	end=$(($(date +%s%N) / 1000000 + secs * 1000))
	until "$@" >/dev/null 2>&1; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] || return 1
		sleep 0.05
	done
}

lab_link_state() {
	local line flags
	line=$(ip -n "$1" -o link show dev "$2") && [[ $line == *'<'*'>'* ]] ||
		{ lab_log "cannot read the state of $2 in $1"; return 2; }
	flags=${line#*<} flags=${flags%%>*}
	case ,$flags, in *,UP,*) echo UP;; *) echo DOWN;; esac
}

lab_link_up() { [ "$(lab_link_state "$1" "$2")" = UP ]; }
lab_link_down() { [ "$(lab_link_state "$1" "$2")" = DOWN ]; }

lab_probe_start() { lab_spawn probe "$1" "$LABBIN/probe" -i 10 "$2"; }

lab_probe_answered() {
	wait_for 10 grep -q "^probe: first answer" "$LAB_TMP/probe.log" ||
		lab_die "the probe got no answer: $(cat "$LAB_TMP/probe.log")"
}

# SIGINT, and wait: the probe waits for late replies, then prints its report.
lab_probe_stop() {
	local pid
	pid=$(cat "$LAB_TMP/probe.pid" 2>/dev/null) || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$LAB_TMP/probe.pid"
	PROBE_GAP=$(awk '/^max_gap_ms/ {print $2}' "$LAB_TMP/probe.log")
	PROBE_RECOVERED=1
	! grep -q unrecovered "$LAB_TMP/probe.log" || PROBE_RECOVERED=0
}

lab_rand() { od -An -N"${1:-8}" -tx1 /dev/urandom | tr -d ' \n'; }

# ---- management network -------------------------------------------------

lab_mgmt_net() {
	lab_ns mgmt
	LAB_MGMT=$LAB_PFX-mgmt
	lab_bridge "$LAB_MGMT" mbr
	lab_addr "$LAB_MGMT" mbr 10.77.0.1/24
}

# The mgmt-side end is named m-<short name>; tc netem on it delays or drops
# the node's management traffic (lab_netem).
lab_mgmt_attach() {
	local ns=$1 addr=$2 side=m-${1#"$LAB_PFX"-}
	side=${side:0:15}
	lab_veth "$ns" mgmt0 "$LAB_MGMT" "$side"
	lab_enslave "$LAB_MGMT" mbr "$side"
	lab_addr "$ns" mgmt0 "$addr"
}

# lab_netem NSNAME ARGS...: e.g. lab_netem swa delay 300ms loss 20%
# (NSNAME without prefix); "lab_netem swa off" removes it.
lab_netem() {
	local dev=m-$1; shift
	dev=${dev:0:15}
	if [ "$1" = off ]; then
		ip -n "$LAB_MGMT" link set dev "$dev" up
		tc -n "$LAB_MGMT" qdisc del dev "$dev" root 2>/dev/null
		return 0
	fi
	tc -n "$LAB_MGMT" qdisc replace dev "$dev" root netem "$@"
}

# ---- switches --------------------------------------------------------------

# lab_switch NAME ADDR/LEN: namespace $LAB_PFX-NAME with bridge br0 and the
# management port mgmt0 (attached to the management network, created on
# first use).
lab_switch() {
	local name=$1 addr=$2 ns=$LAB_PFX-$1
	[ -n "$LAB_MGMT" ] || lab_mgmt_net
	lab_ns "$name"
	mkdir -p "$LAB_TMP/$name"
	lab_bridge "$ns" br0 "${LAB_AGEING:-300}"
	lab_mgmt_attach "$ns" "$addr"
}

lab_switch_port() {
	local name=$1 port=$2 peerns=$3 peerif=$4
	lab_veth "$LAB_PFX-$name" "$port" "$peerns" "$peerif"
	lab_enslave "$LAB_PFX-$name" br0 "$port"
}

lab_secret() { (umask 077; printf '%s' "$2" >"$1"); }

# lab_profile: how slow the lab's switches are, named by FENCER_LAB_PROFILE
# and read by lab_sshd and lab_snmpd (and any emulator that wants it: the
# drivers' lab files cliemu_lib.sh, junos_lib.sh, https_lib.sh do):
#   default (or unset)  as fast as the lab answers (what the tests run with)
#   catalyst            a Catalyst 2960 over its management port: 1200 ms from
#                       authentication to the first prompt (published
#                       connect-and-prompt times for IOS are 0.9-1.4 s), 80 ms
#                       per command, 5 ms per SNMP request
# Sets LAB_LOGIN_MS, LAB_CMD_MS, LAB_SNMP_MS; an unknown name ends the test.
lab_profile() {
	case ${FENCER_LAB_PROFILE:-default} in
	default) LAB_LOGIN_MS=0 LAB_CMD_MS=0 LAB_SNMP_MS=0;;
	catalyst) LAB_LOGIN_MS=1200 LAB_CMD_MS=80 LAB_SNMP_MS=5;;
	*) lab_die "FENCER_LAB_PROFILE=$FENCER_LAB_PROFILE: no such lab profile (default, catalyst)";;
	esac
}

# lab_snmpd NAME ADDR [PORT]: a real net-snmp snmpd in switch NAME on
# udp:ADDR:PORT (default 161) with IF-MIB from the kernel, plus the
# pass_persist BRIDGE-MIB / Q-BRIDGE / 3Com extension (snmpbridge.py).
# LAB_SNMP_MIBS (default "bridge 3com") says which of the two it serves.
# A profile with an SNMP delay (lab_profile) puts snmpd on 127.0.0.1:PORT
# and snmpdelay.py on ADDR:PORT in front of it (log NAME-snmpdelay.log).
lab_snmpd() {
	local name=$1 addr=$2 port=${3:-161} d=$LAB_TMP/$1 ns=$LAB_PFX-$1
	local rw ro auth priv listen=$2
	command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || lab_skip "lab: snmpd missing"
	lab_profile
	[ "$LAB_SNMP_MS" -gt 0 ] && listen=127.0.0.1
	rw=private-$(lab_rand 4) ro=public-$(lab_rand 4)
	auth=auth-$(lab_rand 6) priv=priv-$(lab_rand 6)
	lab_secret "$d/rw.community" "$rw"
	lab_secret "$d/ro.community" "$ro"
	lab_secret "$d/auth.pass" "$auth"
	lab_secret "$d/priv.pass" "$priv"
	mkdir -p "$d/snmp-persist"
	chmod 0700 "$d/snmp-persist"
	# snmpd stores the localized v3 keys in its persistent dir: a private
	# one (SNMP_PERSISTENT_DIR), never /var/lib/snmp.
	cat >"$d/snmpd.conf" <<-EOF
	createUser fencer SHA "$auth" AES "$priv"
	agentAddress udp:$listen:$port
	rwcommunity $rw default
	rocommunity $ro default
	rwuser fencer priv
	sysName $name
	sysDescr 3Com-like lab switch $name (Linux bridge br0)
	EOF
	# LLDP-MIB comes from a real lldpd, an AgentX sub-agent (lab_lldpd).
	[ -n "${LAB_SNMP_AGENTX:-}" ] && printf 'master agentx\nagentXSocket unix:%s/agentx.sock\nagentXPerms 0600 0700\n' \
		"$d" >>"$d/snmpd.conf"
	case " ${LAB_SNMP_MIBS-bridge 3com} " in *" bridge "*)
		echo "pass_persist .1.3.6.1.2.1.17 /usr/bin/python3 $LAB_HERE/snmpbridge.py br0" >>"$d/snmpd.conf";;
	esac
	case " ${LAB_SNMP_MIBS-bridge 3com} " in *" 3com "*)
		echo "pass_persist .1.3.6.1.4.1.43.45.1.2.23.1.3 /usr/bin/python3 $LAB_HERE/snmpbridge.py br0" >>"$d/snmpd.conf";;
	esac
	lab_spawn "$name-snmpd" "$ns" env MIBS= MIBDIRS=/nonexistent \
		SNMP_PERSISTENT_DIR="$d/snmp-persist" \
		/usr/sbin/snmpd -f -C -c "$d/snmpd.conf" -Lf "$d/snmpd.log" \
		-p "$d/snmpd.pid" -I -smux
	[ "$LAB_SNMP_MS" -gt 0 ] && lab_spawn "$name-snmpdelay" "$ns" /usr/bin/python3 \
		"$LAB_HERE/snmpdelay.py" "$addr" "$port" "$port" "$LAB_SNMP_MS"
	wait_for 10 lab_in "$ns" snmpget -v2c -c "$ro" -r0 -t1 "$addr:$port" \
		1.3.6.1.2.1.1.5.0 || lab_die "snmpd $name did not answer (see $d/snmpd.log)"
}

# lab_sshd NAME ADDR IOSNAME=KERNELIF...: a real OpenSSH sshd in switch
# NAME on ADDR:22 whose forced command is the IOS emulator for the ports
# given.  Password logins work through nss_wrapper: a private passwd/shadow
# where user "fencer" has uid 0 (the emulator must change links), so no
# account is added to the system.  sshd runs in its own mount namespace
# with a tmpfs on /run, which gives it the /run/sshd privilege separation
# directory without touching the machine's /run (and keeps its utmp apart).
# The profile's delays (lab_profile) go into ios.conf (and ios.conf.orig).
lab_sshd() {
	local name=$1 addr=$2 d=$LAB_TMP/$1 ns=$LAB_PFX-$1 pw en nssw
	shift 2
	lab_profile
	nssw=$(lab_nss_wrapper) || lab_skip "lab: libnss-wrapper missing (apt-get install libnss-wrapper)"
	[ -x "$LABBIN/iosemu" ] || lab_die "$LABBIN/iosemu not built"
	pw=pw-$(lab_rand 6) en=en-$(lab_rand 6)
	lab_secret "$d/password" "$pw"
	lab_secret "$d/enable" "$en"
	mkdir -p "$d/home"
	ssh-keygen -q -t ed25519 -N '' -f "$d/ssh_host_ed25519_key" -C "$name" || lab_die ssh-keygen
	ssh-keygen -q -t ed25519 -N '' -f "$d/id_ed25519" -C "fencer@lab" || lab_die ssh-keygen
	cp "$d/id_ed25519.pub" "$d/authorized_keys"
	printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >"$d/known_hosts"
	printf 'root:x:0:0:root:/root:/bin/sh\nfencer:x:0:0:fencer:%s:/bin/sh\n%s\n' \
		"$d/home" "$(getent passwd sshd || echo 'sshd:x:103:65534::/run/sshd:/usr/sbin/nologin')" >"$d/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/group"
	(umask 077; printf 'fencer:%s:19000:0:99999:7:::\n' "$(openssl passwd -6 "$pw")" >"$d/shadow")
	{
		echo "hostname=$name"
		echo "bridge=br0"
		echo "enable-secret-file=$d/enable"
		echo "log=$d/ios.log"
		[ "$LAB_LOGIN_MS" -gt 0 ] && echo "login-delay-ms=$LAB_LOGIN_MS"
		[ "$LAB_CMD_MS" -gt 0 ] && echo "delay-ms=$LAB_CMD_MS"
		local m
		for m in "$@"; do echo "port=${m%%=*} ${m#*=}"; done
	} >"$d/ios.conf"
	cp "$d/ios.conf" "$d/ios.conf.orig"
	cat >"$d/sshd_config" <<-EOF
	ListenAddress $addr:22
	HostKey $d/ssh_host_ed25519_key
	PidFile $d/sshd.pid
	AuthorizedKeysFile $d/authorized_keys
	StrictModes no
	UsePAM no
	PermitRootLogin yes
	PasswordAuthentication yes
	KbdInteractiveAuthentication no
	PubkeyAuthentication yes
	AllowUsers fencer
	ForceCommand $LABBIN/iosemu -c $d/ios.conf
	PrintMotd no
	PrintLastLog no
	X11Forwarding no
	AllowTcpForwarding no
	MaxStartups 50
	MaxAuthTries 10
	LogLevel VERBOSE
	EOF
	lab_spawn "$name-sshd" "$ns" unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=0755 lab-run /run && mkdir -m 0755 /run/sshd && exec "$@"' sh \
		env LD_PRELOAD="$nssw" NSS_WRAPPER_PASSWD="$d/passwd" \
		NSS_WRAPPER_GROUP="$d/group" NSS_WRAPPER_SHADOW="$d/shadow" \
		/usr/sbin/sshd -D -e -f "$d/sshd_config"
	wait_for 10 lab_tcp_open "$ns" "$addr" 22 || lab_die "sshd $name did not listen (see $d/../$name-sshd.log)"
}

# lab_lldpd NAME NS HOST IF...: lldpd in its own mount namespace with a
# tmpfs on /run (its privilege-separation chroot and pid file), so that
# several run side by side and the machine's /run is untouched.
lab_lldpd() {
	local name=$1 ns=$2 host=$3 d=$LAB_TMP/$1-lldpd ifs
	shift 3
	[ -x /usr/sbin/lldpd ] || lab_skip "lab: lldpd missing (apt-get install lldpd)"
	ifs=$(IFS=,; echo "$*")
	mkdir -p "$d"
	printf 'configure system hostname %s\nconfigure lldp tx-interval 1\n' "$host" >"$d/lldpd.conf"
	lab_spawn "$name-lldpd" "$ns" unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=0755 lab-run /run && exec "$@"' sh \
		/usr/sbin/lldpd -d -u "$d/ctl" -O "$d/lldpd.conf" -I "$ifs" \
		${LAB_LLDP_AGENTX:+-x -X "unix:$LAB_LLDP_AGENTX"}
	wait_for 10 lldpcli -u "$d/ctl" show configuration || lab_die "lldpd $name did not start (see $LAB_TMP/$name-lldpd.log)"
}

lab_nss_wrapper() {
	local f
	for f in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so /usr/lib64/libnss_wrapper.so; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

lab_tcp_open() { ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

# lab_ssh NAME [ssh options] [-- REMOTE...]: from the management namespace,
# public-key login as fencer to switch NAME (its address from known_hosts).
lab_ssh() {
	local name=$1 d=$LAB_TMP/$1 addr; shift
	addr=$(cut -d' ' -f1 "$d/known_hosts")
	timeout -k 2 "${LAB_SSH_TIMEOUT:-20}" ip netns exec "$LAB_MGMT" ssh -F /dev/null -o BatchMode=yes \
		-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$d/known_hosts" \
		-o IdentitiesOnly=yes -i "$d/id_ed25519" -o ConnectTimeout=5 \
		-o PasswordAuthentication=no -l fencer "$@" "$addr"
}

# lab_ssh_pw NAME [ssh options]: the same with the password, given through
# SSH_ASKPASS (no sshpass needed).
lab_ssh_pw() {
	local name=$1 d=$LAB_TMP/$1 addr; shift
	addr=$(cut -d' ' -f1 "$d/known_hosts")
	printf '#!/bin/sh\ncat %s\n' "$d/password" >"$d/askpass"
	chmod 0700 "$d/askpass"
	SSH_ASKPASS="$d/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
	timeout -k 2 "${LAB_SSH_TIMEOUT:-20}" ip netns exec "$LAB_MGMT" setsid -w ssh -F /dev/null \
		-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$d/known_hosts" \
		-o PubkeyAuthentication=no -o PreferredAuthentications=password \
		-o NumberOfPasswordPrompts=1 -o ConnectTimeout=5 -l fencer "$@" "$addr"
}

# lab_quiet_hosts NS1 IF1 ADDR1 NS2 IF2 ADDR2: two hosts that send nothing on
# their own (no IPv6, static ARP), so a test can assert on the bridge FDB
# without a stray frame re-teaching a MAC just flushed.
lab_quiet_hosts() {
	local m1 m2
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$4" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	m1=$(ip netns exec "$1" cat "/sys/class/net/$2/address")
	m2=$(ip netns exec "$4" cat "/sys/class/net/$5/address")
	ip -n "$1" neigh replace "$6" lladdr "$m2" dev "$2" nud permanent
	ip -n "$4" neigh replace "$3" lladdr "$m1" dev "$5" nud permanent
}

# lab_ifmib_pair [LINE...]: the exec-driver set-up several tests share.
# Switch "sw" (10.77.0.2, snmpd) with port p1 toward node fw1 and p2
# toward node fw2, and a fencer.conf in $C for node fw2 whose [switch sw] runs Debian's
# fence_ifmib; LINEs are added to its [fencer] section. Sets SW (the switch
# namespace) and C. Skips when fence_ifmib is missing.
lab_ifmib_pair() {
	[ -x /usr/sbin/fence_ifmib ] || lab_skip "fence_ifmib missing (apt-get install fence-agents)"
	lab_switch sw 10.77.0.2/24
	lab_ns fw1
	lab_ns fw2
	lab_switch_port sw p1 "$LAB_PFX-fw1" eth0
	lab_switch_port sw p2 "$LAB_PFX-fw2" eth0
	lab_snmpd sw 10.77.0.2
	SW=$LAB_PFX-sw C=$LAB_TMP/fencer.conf
	{
		printf '[fencer]\nnode = fw2\nstate-dir = %s/state\ndeadline = 20s\n' "$LAB_TMP"
		[ $# -gt 0 ] && printf '%s\n' "$@"
		printf '[switch sw]\ndriver = exec\nagent = /usr/sbin/fence_ifmib\n'
		printf 'option = ip 10.77.0.2\noption = snmp_version 2c\n'
		printf 'option-file = community %s/sw/rw.community\ntimeout = 8s\n' "$LAB_TMP"
		printf '[node fw1]\nport = sw p1\n[node fw2]\nport = sw p2\n'
	} >"$C"
}

# ---- checks ---------------------------------------------------------------

# One failure style for every test: a test fails with `lab: FAIL: WHAT`
# on stderr and exit 1, through lab_die, at once (a step the rest depends
# on) or at its end (lab_done, after every `check` ran).
#
# check NAME CMD...: one assertion, "ok - NAME" or "not ok - NAME" with
# the tail of $OUT; the test goes on.

LAB_FAILS=0
LAB_FAILED=()

check() {
	if "${@:2}" >/dev/null 2>&1; then
		echo "ok - $1"
		return 0
	fi
	echo "not ok - $1"
	[ -n "${OUT:-}" ] && [ -s "$OUT" ] && sed 's/^/    # /' "$OUT" | tail -n 8
	LAB_FAILS=$((LAB_FAILS + 1))
	LAB_FAILED+=("$1")
	return 1
}

# lab_done [MESSAGE]: the end of a test of checks: FAIL naming the checks
# that failed, or MESSAGE.
lab_done() {
	local IFS=';'
	[ "$LAB_FAILS" -eq 0 ] || lab_die "$LAB_FAILS checks failed:${LAB_FAILED[*]/#/ }"
	echo "${1:-all checks passed}"
}

# must_have TEXT WHAT / must_lack TEXT WHAT: $OUT (and $OUT.err, if there
# is one) holds TEXT, or not; FAIL at once otherwise.
must_have() {
	cat "$OUT" "$OUT.err" 2>/dev/null | grep -qF -- "$1" ||
		lab_die "$2: '$1' not in: $(cat "$OUT" "$OUT.err" 2>/dev/null)"
}
must_lack() {
	! cat "$OUT" "$OUT.err" 2>/dev/null | grep -qF -- "$1" ||
		lab_die "$2: '$1' in: $(cat "$OUT" "$OUT.err" 2>/dev/null)"
}

# fencer ARGS: fencer with the test's configuration $C, from the
# management namespace (a test that wants more redefines it).
fencer() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@"; }

# since FILE N: FILE's lines after the first N; lines FILE: how many.
since() { tail -n +$(($2 + 1)) "$1" 2>/dev/null; }
lines() { { wc -l <"$1"; } 2>/dev/null || echo 0; }
# The monotonic-enough wall clock in ms, for what a test prints (never asserted).
lab_ms() { echo $(($(date +%s%N) / 1000000)); }

admin_up() { lab_link_up "$SW" "$1"; }
admin_down() { lab_link_down "$SW" "$1"; }

# The entries of $SW's br0 but its own (permanent) ones; the table always
# holds those, so an empty read is a failed one.
lab_fdb() {
	local t
	t=$(bridge -n "$SW" fdb show br br0) && [ -n "$t" ] ||
		{ lab_log "cannot read the forwarding table of br0 in $SW"; return 2; }
	printf '%s\n' "$t" | grep -v permanent
	return 0
}
in_fdb() { lab_fdb | grep -qi "^$1 dev $2 "; }
not_in_fdb() {
	local t
	t=$(lab_fdb) || return 2
	lacks -i "^$1 dev $2 " <<<"$t"
}

mac_of() {
	local m
	m=$(ip -n "$LAB_PFX-$1" -br link show dev "${2:-eth0}" | awk '{print $3}')
	[[ $m =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] || { lab_log "no MAC for ${2:-eth0} in $1"; return 2; }
	echo "$m"
}

lacks() {
	grep -q "$@"
	[ $? -eq 1 ]
}
has() { grep -qF -- "$1" "$OUT"; }
hasnt() { lacks -F -- "$1" "$OUT"; }
