# tests/lab/junos_lib.sh: sourced by the junos driver tests (test_junos*.sh,
# test_netconfemu.sh). A Junos-like switch swj: a real OpenSSH sshd on
# 10.77.0.4:830 whose `netconf` subsystem is netconfemu.py, bridge br0 with
# host h1 on ge-0/0/1 (kernel port ge1) and h2 on ge-0/0/2 (ge2), and a
# fencer.conf for it.
#
#   junos_setup TAG        the world above; sets D (switch files), SW (its
#                          namespace), C (fencer.conf), OUT (scratch output)
#   junos_sshd NAME ADDR JUNOSNAME=KERNELIF...
#                          sshd + netconfemu in switch NAME (files in
#                          $LAB_TMP/NAME: password, id_ed25519, known_hosts,
#                          nc.conf (rewrite it: the next session reads it),
#                          nc.log (one line per rpc and kernel change),
#                          running.json (the committed config)); the lab
#                          profile's delays (lab_profile) in nc.conf:
#                          LAB_LOGIN_MS before the hello, LAB_CMD_MS a reply
#   junos_conf [LINES]     write $C: LINES are the switch's credential keys
#                          (default: password-file); env CHECK_WIRING, FW1_PORTS (fw2
#                          has the other of ge-0/0/1 and ge-0/0/2),
#                          DEADLINE, TIMEOUT, FLUSH, KNOWN_HOSTS, EXTRA
#   junos_fault [LINE...]  netconfemu config = the original plus LINEs
#   junos_hosts            h1 10.77.1.1 and h2 10.77.1.2, quiet (lab_quiet_hosts),
#                          their MACs in M1 and M2; then `learn` pings between
#                          them and says whether ge1 and ge2 learned them
#   rpcs                   the rpcs in nc.log, one line, in order
#   fencer ARGS...         run fencer from the management namespace, its
#                          output in $OUT (and $LAB_TMP/all.out)
#   bd_junos, peer_netconf the switch and the peer of tests/bench/bench_drivers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"

# The user's shell runs the subsystem: nss_wrapper gives user fencer uid 0
# (the emulator changes links) without an account on the machine.
junos_sshd() {
	local name=$1 addr=$2 d=$LAB_TMP/$1 ns=$LAB_PFX-$1 pw nssw m
	shift 2
	lab_profile
	nssw=$(lab_nss_wrapper) || lab_skip "lab: libnss-wrapper missing (apt-get install libnss-wrapper)"
	pw=pw-$(lab_rand 6)
	lab_secret "$d/password" "$pw"
	mkdir -p "$d/home"
	ssh-keygen -q -t ed25519 -N '' -f "$d/ssh_host_ed25519_key" -C "$name" || lab_die ssh-keygen
	ssh-keygen -q -t ed25519 -N '' -f "$d/id_ed25519" -C "fencer@lab" || lab_die ssh-keygen
	cp "$d/id_ed25519.pub" "$d/authorized_keys"
	printf '[%s]:830 %s\n' "$addr" "$(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >"$d/known_hosts"
	printf 'root:x:0:0:root:/root:/bin/sh\nfencer:x:0:0:fencer:%s:/bin/sh\n%s\n' \
		"$d/home" "$(getent passwd sshd || echo 'sshd:x:103:65534::/run/sshd:/usr/sbin/nologin')" >"$d/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/group"
	(umask 077; printf 'fencer:%s:19000:0:99999:7:::\n' "$(openssl passwd -6 "$pw")" >"$d/shadow")
	{
		echo "hostname=$name"
		echo "bridge=br0"
		echo "log=$d/nc.log"
		echo "state=$d/running.json"
		[ "$LAB_LOGIN_MS" -gt 0 ] && echo "hello-delay-ms=$LAB_LOGIN_MS"
		[ "$LAB_CMD_MS" -gt 0 ] && echo "delay-ms=$LAB_CMD_MS"
		for m in "$@"; do echo "port=${m%%=*} ${m#*=}"; done
	} >"$d/nc.conf"
	cp "$d/nc.conf" "$d/nc.conf.orig"
	cat >"$d/sshd_config" <<-EOC
	ListenAddress $addr:830
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
	Subsystem netconf /usr/bin/python3 $LAB_HERE/netconfemu.py -c $d/nc.conf
	PrintMotd no
	PrintLastLog no
	X11Forwarding no
	AllowTcpForwarding no
	MaxStartups 50
	MaxAuthTries 10
	LogLevel VERBOSE
	EOC
	lab_spawn "$name-sshd" "$ns" unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=0755 lab-run /run && mkdir -m 0755 /run/sshd && exec "$@"' sh \
		env LD_PRELOAD="$nssw" NSS_WRAPPER_PASSWD="$d/passwd" \
		NSS_WRAPPER_GROUP="$d/group" NSS_WRAPPER_SHADOW="$d/shadow" \
		/usr/sbin/sshd -D -e -f "$d/sshd_config"
	wait_for 10 lab_tcp_open "$ns" "$addr" 830 || lab_die "sshd $name did not listen (see $LAB_TMP/$name-sshd.log)"
}

junos_setup() {
	lab_init "$1"
	lab_switch swj 10.77.0.4/24
	lab_ns h1
	lab_ns h2
	lab_switch_port swj ge1 "$(ns h1)" eth0
	lab_switch_port swj ge2 "$(ns h2)" eth0
	junos_sshd swj 10.77.0.4 ge-0/0/1=ge1 ge-0/0/2=ge2
	D=$LAB_TMP/swj SW=$(ns swj) C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out
}

junos_conf() {
	local creds=${1:-"password-file = $D/password"}
	cat >"$C" <<-EOC
	[fencer]
	node = fw2
	peer = fw1
	state-dir = $LAB_TMP/state
	deadline = ${DEADLINE:-20s}
	[switch swj]
	driver = junos
	address = 10.77.0.4
	user = fencer
	$creds
	known-hosts = ${KNOWN_HOSTS:-$D/known_hosts}
	timeout = ${TIMEOUT:-10s}
	flush = ${FLUSH:-port}
	check-wiring = ${CHECK_WIRING:-no}
	${EXTRA:-}
	[node fw1]
	port = swj ${FW1_PORTS:-ge-0/0/1}
	[node fw2]
	port = swj $([ "${FW1_PORTS:-}" = ge-0/0/2 ] && echo ge-0/0/1 || echo ge-0/0/2)
	EOC
	chmod 0644 "$C"
}

junos_fault() {
	cp "$D/nc.conf.orig" "$D/nc.conf"
	local f
	for f in "$@"; do echo "$f" >>"$D/nc.conf"; done
}

junos_hosts() {
	lab_addr "$(ns h1)" eth0 10.77.1.1/24
	lab_addr "$(ns h2)" eth0 10.77.1.2/24
	lab_quiet_hosts "$(ns h1)" eth0 10.77.1.1 "$(ns h2)" eth0 10.77.1.2
	M1=$(mac_of h1) && M2=$(mac_of h2) || lab_die "cannot read the hosts' MACs"
}

learn() {
	lab_in "$(ns h1)" ping -c1 -W1 10.77.1.2 >/dev/null
	lab_in "$(ns h2)" ping -c1 -W1 10.77.1.1 >/dev/null
	in_fdb "$M1" ge1 && in_fdb "$M2" ge2
}

rpcs() { awk -F'\t' '$2 == "rpc" {print $3}' "$D/nc.log" | tr '\n' ' '; }

fencer() {
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1
	local rc=$?
	cat "$OUT" >>"$LAB_TMP/all.out"
	return $rc
}

# --- tests/bench/bench_drivers.sh: the junos switch -------------------------------------
# (bench_drivers.sh says what SETUP and PEER do.) Key login, as fencer and
# the peer both have it.
bd_junos() {
	lab_switch swj 10.77.0.4/24
	lab_ns h1
	lab_switch_port swj ge1 "$(ns h1)" eth0
	junos_sshd swj 10.77.0.4 ge-0/0/1=ge1
	local d=$LAB_TMP/swj
	BD_NS=$(ns swj) BD_KIF=ge1 BD_PORT=ge-0/0/1 BD_PORT2=ge-0/0/2
	BD_KEYS="address = 10.77.0.4
user = fencer
identity = $d/id_ed25519
known-hosts = $d/known_hosts
check-wiring = no"
}

# The RPCs fencer sends to fence and read back (nc.log), from
# netconf_client.py over OpenSSH's `ssh -s netconf` (same key, known_hosts).
peer_netconf() {
	local d=$LAB_TMP/swj p=ge-0/0/1
	command -v ssh >/dev/null || return 77
	printf '%s\n' '<lock><target><candidate/></target></lock>' \
		"<edit-config><target><candidate/></target><config><configuration><interfaces><interface><name>$p</name><disable/></interface></interfaces></configuration></config></edit-config>" \
		'<commit/>' '<unlock><target><candidate/></target></unlock>' \
		"<get-interface-information><terse/><interface-name>$p</interface-name></get-interface-information>" \
		'<close-session/>' |
		ip netns exec "$LAB_MGMT" /usr/bin/python3 "$LAB_HERE/netconf_client.py" -- \
			ssh -q -F /dev/null -p 830 -o BatchMode=yes -o StrictHostKeyChecking=yes \
			-o UserKnownHostsFile="$d/known_hosts" -o IdentitiesOnly=yes -i "$d/id_ed25519" \
			-o PasswordAuthentication=no -l fencer 10.77.0.4 -s netconf >"$OUT" 2>&1
}
