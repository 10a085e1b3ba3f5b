# tests/lab/cisco_lib.sh: sourced by the cisco-ios driver tests (test_cisco*.sh)
# and its benchmark. A Cisco-like switch swa (iosemu behind a real sshd on
# 10.77.0.2) with host h1 on GigabitEthernet0/1 (kernel port gi1) and h2 on
# GigabitEthernet0/2 (gi2), and a fencer.conf for it.
#
#   cisco_setup TAG        the world above; sets D (switch files), SW (its
#                          namespace), C (fencer.conf), OUT (scratch output)
#   cisco_conf [LINES]     write $C: LINES are the switch's credential keys
#                          (default: password-file and enable-secret-file);
#                          env FW1_PORTS, FW2_PORTS (default: the one of
#                          Gi0/1 and Gi0/2 fw1 does not use), DEADLINE,
#                          TIMEOUT, FLUSH, KNOWN_HOSTS, CHECK_WIRING (no: the
#                          wiring is test_wiring.sh's)
#   cisco_fault [LINE...]  iosemu config = the original plus LINEs
#   fencer ARGS...         run fencer from the management namespace, its
#                          output in $OUT (and $LAB_TMP/all.out)
# check, lab_done, admin_up / admin_down, has / hasnt are lib.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"

cisco_setup() {
	lab_init "$1"
	lab_switch swa 10.77.0.2/24
	lab_ns h1
	lab_ns h2
	lab_switch_port swa gi1 "$(ns h1)" eth0
	lab_switch_port swa gi2 "$(ns h2)" eth0
	lab_sshd swa 10.77.0.2 GigabitEthernet0/1=gi1 GigabitEthernet0/2=gi2
	D=$LAB_TMP/swa SW=$(ns swa) C=$LAB_TMP/fencer.conf OUT=$LAB_TMP/out
}

cisco_conf() {
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
		driver = cisco-ios
		address = 10.77.0.2
		user = fencer
		$creds
		known-hosts = ${KNOWN_HOSTS:-$D/known_hosts}
		timeout = ${TIMEOUT:-5s}
		flush = ${FLUSH:-port}
		check-wiring = ${CHECK_WIRING:-no}
		[node fw1]
		EOC
		for p in ${FW1_PORTS:-GigabitEthernet0/1}; do echo "port = swa $p"; done
		echo "[node fw2]"
		case " ${FW1_PORTS:-} " in
		*" GigabitEthernet0/2 "*) p=GigabitEthernet0/1;;
		*) p=GigabitEthernet0/2;;
		esac
		for p in ${FW2_PORTS:-$p}; do echo "port = swa $p"; done
	} >"$C"
	chmod 0644 "$C"
}

cisco_fault() {
	cp "$D/ios.conf.orig" "$D/ios.conf"
	local f
	for f in "$@"; do echo "$f" >>"$D/ios.conf"; done
}

# Everything fencer printed goes to $OUT and is kept in $LAB_TMP/all.out,
# where the secrets test looks.
fencer() {
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" "$@" >"$OUT" 2>&1
	local rc=$?
	cat "$OUT" >>"$LAB_TMP/all.out"
	return $rc
}

