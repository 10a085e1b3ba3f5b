#!/usr/bin/env bash
# Announce throughput: 10,000 host MACs (the shadow table), one member port,
# a veth pair into a namespace that drops what it gets; rate unset. Beside
# resource-agents' send_arp sending the same number of frames (5,000
# request/reply pairs) on the same port, at its smallest working interval:
# -i 2 (it sleeps half the interval between frames on a timer; -i 0 and
# -i 1 arm no timer and never finish), so about 1 ms a frame.
#   rows: wall time of one `fencer announce` round (process start to exit,
#         table load included) vs one send_arp run; and frames per second
#         of fencer's sending alone (20 back-to-back rounds, from the
#         journal's round durations) vs send_arp's frames / wall time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../lab/lib.sh"
: "${FENCER:?}"
RUNS=${BENCH_RUNS:-3}
HOSTS=10000
SEND_ARP=$(command -v send_arp || ls /usr/libexec/heartbeat/send_arp /usr/lib/heartbeat/send_arp 2>/dev/null | head -1)
lab_init ba
lab_ns tx; lab_ns rx
for s in tx rx; do lab_in "$(ns $s)" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1; done
lab_veth "$(ns tx)" v0 "$(ns rx)" v1
txmac=$(ip -n "$(ns tx)" -br link show dev v0 | awk '{print $3}' | tr -d :)
st=$LAB_TMP/state; mkdir -p "$st"
/usr/bin/python3 - "$st/macs.json" $HOSTS <<'PY'
import json, sys
n = int(sys.argv[2])
macs = [{"mac": "52:54:%02x:%02x:%02x:%02x" % (i >> 24 & 255, i >> 16 & 255, i >> 8 & 255, i & 255),
         "port": "elsewhere", "last_seen": 1} for i in range(n)]
json.dump({"updated": 1, "macs": macs}, open(sys.argv[1], "w"))
PY
conf() {	# ROUNDS
	cat >"$LAB_TMP/fencer.conf" <<CONF
[fencer]
node = tx
state-dir = $st
[announce]
interface = v0
learned = yes
rounds = $1
initial = 0ms
step = 0ms
max = 0ms
CONF
	chmod 0600 "$LAB_TMP/fencer.conf"
}
rx_count() { lab_in "$(ns rx)" cat /sys/class/net/v1/statistics/rx_packets; }

conf 1
f_ms=() p_ms=() f_fps=() p_fps=()
for _ in $(seq "$RUNS"); do
	before=$(rx_count); t0=$(bench_now_ms)
	lab_in "$(ns tx)" "$FENCER" -c "$LAB_TMP/fencer.conf" announce >/dev/null || exit 1
	t1=$(bench_now_ms)
	got=$(( $(rx_count) - before ))
	[ "$got" -ge $HOSTS ] || { echo "bench: fencer: $got of $HOSTS frames arrived" >&2; exit 1; }
	f_ms+=("$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")")
	if [ -n "$SEND_ARP" ]; then
		before=$(rx_count); t0=$(bench_now_ms)
		lab_in "$(ns tx)" timeout 120 "$SEND_ARP" -i 2 -r $((HOSTS / 2)) -p "$LAB_TMP/send_arp.pid" v0 10.9.0.1 "$txmac" 10.9.0.255 255.255.255.0 >/dev/null 2>&1
		t1=$(bench_now_ms)
		got=$(( $(rx_count) - before ))
		p_ms+=("$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")")
		p_fps+=("$(awk "BEGIN {printf \"%.0f\", $got * 1000 / ($t1 - $t0)}")")
	fi
done
conf 20
for _ in $(seq "$RUNS"); do
	: >"$st/journal.jsonl"
	lab_in "$(ns tx)" "$FENCER" -c "$LAB_TMP/fencer.conf" announce >/dev/null || exit 1
	f_fps+=("$(/usr/bin/python3 -c 'import json,sys
ev=[json.loads(l) for l in open(sys.argv[1])]
r=[e for e in ev if e["step"]=="announce" and e["outcome"]=="ok" and "frames sent" in e.get("detail","")]
n=sum(int(e["detail"].split(": ")[1].split()[0]) for e in r)
ms=sum(e["duration_ms"] for e in r)
print("%.0f" % (n*1000/max(ms,1)))' "$st/journal.jsonl")")
done
fm=$(bench_median "${f_ms[@]}")
pm=$( [ ${#p_ms[@]} -gt 0 ] && bench_median "${p_ms[@]}" || echo -)
bench_row "announce: 10,000 host MACs on a veth pair, one run start to exit (peer: send_arp, 10,000 ARP frames)" "$fm" "$pm" "$RUNS"
ff=$(bench_median "${f_fps[@]}")
pf=$( [ ${#p_fps[@]} -gt 0 ] && bench_median "${p_fps[@]}" || echo -)
ratio=$( [ "$pf" != - ] && awk "BEGIN {printf \"%.1fx\", $ff / $pf}" || echo -)
printf '| announce: frames per second, rate unset (fencer: 20 rounds x 10,000 RARP; peer: send_arp) | %s frames/s | %s frames/s | %s | %s |\n' "$ff" "$pf" "$ratio" "$RUNS"
