#!/usr/bin/env bash
# `fencer fence NODE` against the lab's Cisco-like switch (iosemu behind a
# real OpenSSH sshd): connect, key login, enable, shutdown, read back,
# disconnect; beside a plain OpenSSH `ssh -tt` session (same key, same
# known_hosts check) sending the same commands. fencer also watches the
# port for race-window after verifying it (a promote racing the fence:
# docs/split-brain.md): a third run gives it the least window, 10 ms, to
# show what the rest costs. Runs alternate; the port is brought back up
# between runs, untimed. A run whose port did not go down aborts the
# benchmark.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/cisco_lib.sh"
N=${BENCH_RUNS:-15}
cisco_setup bc >/dev/null
cisco_conf "identity = $D/id_ed25519
enable-secret-file = $D/enable"

peer() {
	printf '%s\n' enable "$(cat "$D/enable")" "terminal length 0" "configure terminal" \
		"interface GigabitEthernet0/1" shutdown end \
		"show running-config interface GigabitEthernet0/1" exit |
	ip netns exec "$LAB_MGMT" ssh -tt -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes \
		-o UserKnownHostsFile="$D/known_hosts" -o IdentitiesOnly=yes -i "$D/id_ed25519" \
		-o PasswordAuthentication=no -l fencer 10.77.0.2 >"$OUT" 2>&1
}
ours() { ip netns exec "$LAB_MGMT" "$FENCER" -c "$C" fence fw1 >"$OUT" 2>&1; }
sed 's/^\[fencer\]$/&\nrace-window = 10ms/' "$C" >"$C.short"
chmod 0644 "$C.short"
short() { ip netns exec "$LAB_MGMT" "$FENCER" -c "$C.short" fence fw1 >"$OUT" 2>&1; }
restore() {
	ip -n "$SW" link set dev gi1 up
	rm -f "$LAB_TMP/state/fenced.json"
}
timed() {	# timed CMD: milliseconds into $ms; the port must be down after
	local t0 t1
	t0=$(bench_now_ms)
	"$@" || { echo "bench_cisco: $1 failed: $(tail -n3 "$OUT")" >&2; exit 1; }
	t1=$(bench_now_ms)
	admin_down gi1 || { echo "bench_cisco: $1 left gi1 up" >&2; exit 1; }
	ms=$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")
	restore
}

ours && peer && restore		# warm-up: page cache, sshd's first fork
f=() p=() s=()
for ((i = 0; i < N; i++)); do
	timed ours; f+=("$ms")
	timed peer; p+=("$ms")
	timed short; s+=("$ms")
done
bench_row "cisco-ios fence: connect, login, enable, shut, verify, watch 200 ms for a racing promote, disconnect (ssh -tt beside, the same commands, no watch)" \
	"$(bench_median "${f[@]}")" "$(bench_median "${p[@]}")" "$N"
bench_row "cisco-ios fence, the same with race-window = 10ms, the least (ssh -tt beside)" \
	"$(bench_median "${s[@]}")" "$(bench_median "${p[@]}")" "$N"
