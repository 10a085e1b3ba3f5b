#!/usr/bin/env bash
# Fence and verify, per driver, against the driver's lab emulator made as
# slow as a real switch: FENCER_LAB_PROFILE=catalyst (tests/lab/lib.sh,
# lab_profile: 1200 ms to the first CLI prompt, 80 ms a command, 5 ms an
# SNMP request; NETCONF: 1200 ms to the hello, 80 ms an RPC; HTTPS: 80 ms
# a request, 1200 ms more for a REST login, the TLS handshake what it
# costs). Cold: `fencer fence fw1` from the command line, a new
# session every run: connect, log in, take one port down, read it back,
# watch it for the least race-window (10 ms), disconnect. Beside it, the
# same port taken down by a plain client where there is one (the peer
# column), alternating, under the same profile. fencer's time is also
# split by its own timeline (--json): connect (log in included), fence and
# verify, the race watch.
# Every run is checked (the port down in the switch's kernel) and undone
# with `fencer unfence fw1 --all`, untimed. Each driver gets a lab of its
# own. BENCH_RUNS (7) runs of each; BENCH_DRIVERS (all): some of them,
# e.g. "cisco-ios snmp".
#
# Warm: then the same fence through `fencer serve` (docs/serve.md), on
# the session it keeps, for each driver with `reuse` (all of them here),
# with the cold median as its peer (the ratio says how many times faster
# warm is), split the same way; each run's connect line must say warm.
# The service runs as in production (keepalive 30 s), but for serve-wait
# (1 s: a loaded machine must not turn a warm run into a standalone one)
# and check-interval (off). bench_serve measures the whole promote cold
# against warm, and the service's memory and CPU.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab/lib.sh"
. "$here/lib.sh"
: "${FENCER:?FENCER must name the fencer binary}"
RUNS=${BENCH_RUNS:-7}
export FENCER_LAB_PROFILE=catalyst

# The drivers, one line each: DRIVER FILE SETUP PEER
#   FILE   what to source for SETUP and PEER (relative to tests/), or -
#   SETUP  builds the driver's switch in the lab (lab_init done, the profile
#          set) with one kernel port facing fw1, and sets BD_NS (the
#          switch's namespace), BD_KIF (that kernel port), BD_PORT (its name
#          in fencer.conf), BD_PORT2 (fw2's port: never touched, need not
#          exist) and BD_KEYS (the keys of its [switch] section, a line each)
#   PEER   takes the same port down with another client (output to $OUT;
#          fails when it cannot; 77: that client is not installed), or -
# A new driver is one more line, its SETUP and PEER in its own lab file.
DRIVERS=(
	"cisco-ios	-	bd_cisco	peer_ssh"
	"snmp		-	bd_snmp		peer_ifmib"
	"3com		-	bd_3com		peer_ifmib"
	"comware	lab/cliemu_lib.sh	bd_comware	peer_cli"
	"dell-os	lab/cliemu_lib.sh	bd_dell_os	peer_cli"
	"junos		lab/junos_lib.sh	bd_junos	peer_netconf"
	"eos		lab/https_lib.sh	bd_eos		peer_eapi"
	"nxos		lab/https_lib.sh	bd_nxos		peer_nxapi"
	"aruba-os-switch	lab/https_lib.sh	bd_aruba_os_switch	peer_rest"
)

bd_cisco() {
	lab_switch sw 10.77.0.2/24
	lab_ns h1
	lab_switch_port sw gi1 "$(ns h1)" eth0
	lab_sshd sw 10.77.0.2 GigabitEthernet0/1=gi1
	local d=$LAB_TMP/sw
	BD_NS=$(ns sw) BD_KIF=gi1 BD_PORT=GigabitEthernet0/1 BD_PORT2=GigabitEthernet0/2
	BD_KEYS="address = 10.77.0.2
user = fencer
identity = $d/id_ed25519
enable-secret-file = $d/enable
known-hosts = $d/known_hosts
check-wiring = no"
}

# the commands fencer sends, from OpenSSH's client (same key, known_hosts)
peer_ssh() {
	local d=$LAB_TMP/sw
	printf '%s\n' enable "$(cat "$d/enable")" "terminal length 0" "configure terminal" \
		"interface GigabitEthernet0/1" shutdown end \
		"show running-config interface GigabitEthernet0/1" exit |
	ip netns exec "$LAB_MGMT" ssh -tt -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes \
		-o UserKnownHostsFile="$d/known_hosts" -o IdentitiesOnly=yes -i "$d/id_ed25519" \
		-o PasswordAuthentication=no -l fencer 10.77.0.2 >"$OUT" 2>&1
}

# the snmp and 3com drivers: one snmpd (IF-MIB, BRIDGE-MIB, 3Com's table)
bd_snmp_switch() {
	lab_switch sw 10.77.0.3/24
	lab_ns h1
	lab_switch_port sw port1 "$(ns h1)" eth0
	lab_snmpd sw 10.77.0.3
	BD_NS=$(ns sw) BD_KIF=port1 BD_PORT=port1 BD_PORT2=port2
	BD_KEYS="address = 10.77.0.3
snmp-version = 2c
community-file = $LAB_TMP/sw/rw.community
check-wiring = no"
}
bd_snmp() { bd_snmp_switch; }
bd_3com() { bd_snmp_switch; }

# Debian's fence_ifmib (fence-agents), the port by name as fencer has it
peer_ifmib() {
	[ -x /usr/sbin/fence_ifmib ] || return 77
	ip netns exec "$LAB_MGMT" /usr/sbin/fence_ifmib -a 10.77.0.3 -d 2c \
		-c "$(cat "$LAB_TMP/sw/rw.community")" -n port1 -o off >"$OUT" 2>&1
}

# ---- one driver ------------------------------------------------------------

bd_fail() { echo "| $BD_DRIVER: $* | | | | |"; exit 1; }

fence_cold() {
	ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" --json fence fw1 >"$OUT.json" 2>"$OUT"
}

restore() {
	ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" unfence fw1 --all >"$OUT.restore" 2>&1 &&
		lab_link_up "$BD_NS" "$BD_KIF" || bd_fail "unfence failed: $(tail -n2 "$OUT.restore")"
}

# timed NAME CMD...: milliseconds into $ms; the port must be down after
timed() {
	local t0 t1 name=$1
	shift
	t0=$(bench_now_ms)
	"$@" || bd_fail "$name failed: $(tail -n3 "$OUT" | tr '\n' ' ')"
	t1=$(bench_now_ms)
	lab_link_down "$BD_NS" "$BD_KIF" || bd_fail "$name left $BD_KIF up"
	ms=$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")
	restore
}

# The run's parts, from fencer's --json timeline (ms): connect (log in
# included), fence and verify (the fence's start to the read-back's end),
# the race watch (from there to the end).
parts() {
	/usr/bin/python3 - "$OUT.json" <<-'EOF'
	import json, sys
	steps = json.load(open(sys.argv[1]))["steps"]
	def at(step, outcome, last=False):
	    t = [e["at_ms"] for e in steps if e["step"] == step and e["outcome"] == outcome]
	    return t[-1] if last else t[0]
	conn = [e for e in steps if e["step"] == "connect" and e["outcome"] == "ok"][0]
	checked = at("verify", "ok", last=True)
	kind = "warm" if conn.get("detail", "").startswith("warm") else "cold"
	print(conn["duration_ms"], checked - at("fence", "start"), at("end", "ok") - checked, kind)
	EOF
}

bd_run() {	# DRIVER FILE SETUP PEER
	BD_DRIVER=$1
	[ "$2" = - ] || . "$here/../$2"
	lab_init bd >/dev/null
	OUT=$LAB_TMP/out C=$LAB_TMP/fencer.conf
	"$3" >/dev/null
	{
		printf '[fencer]\nnode = fw2\nstate-dir = %s/state\ndeadline = 30s\nrace-window = 10ms\n' "$LAB_TMP"
		printf '[switch bd]\ndriver = %s\n%s\ntimeout = 10s\n' "$BD_DRIVER" "$BD_KEYS"
		printf '[node fw1]\nport = bd %s\n[node fw2]\nport = bd %s\n' "$BD_PORT" "$BD_PORT2"
	} >"$C"
	chmod 0644 "$C"
	local f=() p=() c=() v=() w=() i x y z peer=$4 r
	# warm-up, untimed: page cache, the servers' first fork
	fence_cold || bd_fail "warm-up fence failed: $(tail -n3 "$OUT" | tr '\n' ' ')"
	restore
	if [ "$peer" != - ]; then
		"$peer"
		r=$?
		[ $r = 77 ] && peer=-
		[ $r = 0 ] || [ $r = 77 ] || bd_fail "warm-up of the peer ($peer) failed: $(tail -n3 "$OUT" | tr '\n' ' ')"
		restore
	fi
	for ((i = 0; i < RUNS; i++)); do
		timed "fencer fence" fence_cold
		f+=("$ms")
		read -r x y z _ < <(parts) || bd_fail "no timeline in fencer's --json output"
		c+=("$x") v+=("$y") w+=("$z")
		if [ "$peer" != - ]; then
			timed "the peer ($peer)" "$peer"
			p+=("$ms")
		fi
	done
	local pm=-
	[ "$peer" = - ] || pm=$(bench_median "${p[@]}")
	bench_row "$BD_DRIVER: fence one port + verify, cold (standalone CLI), catalyst profile, race-window 10ms (peer: $(bd_peer_name "$peer"))" \
		"$(bench_median "${f[@]}")" "$pm" "$RUNS"
	bench_row "... $BD_DRIVER: of which connect and log in (fencer's timeline)" "$(bench_median "${c[@]}")" - "$RUNS"
	bench_row "... $BD_DRIVER: of which fence and verify" "$(bench_median "${v[@]}")" - "$RUNS"
	bench_row "... $BD_DRIVER: of which the race watch after it (race-window at least; as long as the login, or 3 times the slowest switch operation, when longer)" \
		"$(bench_median "${w[@]}")" - "$RUNS"
	bd_warm "$(bench_median "${f[@]}")"
}

serve_open() {
	ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" serve status 2>/dev/null | grep -q "^bd  *open "
}

# A fence through the service, which must have run it on its kept session.
fence_warm() {
	local x y z kind
	fence_cold || return 1
	read -r x y z kind < <(parts) && [ "$kind" = warm ] && return 0
	echo "not warm: the connect step says ${kind:-nothing}" >>"$OUT"
	return 1
}

bd_warm() {	# COLD_MEDIAN
	local f=() c=() v=() w=() i x y z
	sed -i "s|^\[fencer\]\$|[fencer]\nsocket = $LAB_TMP/run/fencer.sock\nserve-wait = 1s\ncheck-interval = off|" "$C"
	mkdir -p "$LAB_TMP/run"
	lab_spawn serve "$LAB_MGMT" "$FENCER" -c "$C" serve
	wait_for 30 serve_open || bd_fail "fencer serve did not open its session: $(tail -n3 "$LAB_TMP/serve.log" | tr '\n' ' ')"
	fence_warm || bd_fail "warm-up fence through fencer serve failed: $(tail -n3 "$OUT" | tr '\n' ' ')"
	restore
	for ((i = 0; i < RUNS; i++)); do
		timed "fencer fence (warm)" fence_warm
		f+=("$ms")
		read -r x y z _ < <(parts) || bd_fail "no timeline in fencer's --json output"
		c+=("$x") v+=("$y") w+=("$z")
	done
	lab_kill serve
	bench_row "$BD_DRIVER: fence one port + verify, warm (through fencer serve, on its kept session), catalyst profile, race-window 10ms (peer: the cold median above)" \
		"$(bench_median "${f[@]}")" "$1" "$RUNS"
	bench_row "... $BD_DRIVER: warm: of which connect (the kept session taken and checked)" "$(bench_median "${c[@]}")" - "$RUNS"
	bench_row "... $BD_DRIVER: warm: of which fence and verify" "$(bench_median "${v[@]}")" - "$RUNS"
	bench_row "... $BD_DRIVER: warm: of which the race watch after it (as long as the kept session's login took)" \
		"$(bench_median "${w[@]}")" - "$RUNS"
}

bd_peer_name() {
	case $1 in
	peer_ssh | peer_cli) echo "OpenSSH ssh -tt, the same commands, no watch";;
	peer_netconf) echo "netconf_client.py over OpenSSH ssh -s netconf, the same RPCs, no watch";;
	peer_eapi | peer_nxapi) echo "curl, the same requests on one connection, no watch";;
	peer_rest) echo "curl, the same requests, two curls (the cookie comes in the login's body), no watch";;
	peer_ifmib) echo "fence_ifmib -o off, v2c, the port by name";;
	-) echo "none";;
	*) echo "$1";;
	esac
}

rc=0
for line in "${DRIVERS[@]}"; do
	case " ${BENCH_DRIVERS:-${line%%[[:space:]]*}} " in *" ${line%%[[:space:]]*} "*) ;; *) continue;; esac
	# shellcheck disable=SC2086 # the line's fields
	(bd_run $line) || rc=1
done
exit $rc
