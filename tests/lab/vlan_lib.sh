# tests/lab/vlan_lib.sh: a firewall pair on 802.1Q trunks, for
# test_announce_vlan.sh and tests/bench/bench_vlan.sh. Source after lib.sh
# and lab_init.
#
#   h10 (VLAN 10) --+                                   +-- s10 (VLAN 10)
#   h20 (VLAN 20) --+ swa  t1 -- a0 fw1 br0 b0 -- t1  swb +-- s20 (VLAN 20)
#   h30 (VLAN 30) --+      t2 -- a0 fw2 br0 b0 -- t2      +-- s30 (VLAN 30)
#
# swa and swb are VLAN-aware learning switches, 300 s ageing: the hosts on
# access ports of their VLAN, t1 and t2 trunks carrying every VLAN tagged.
# LAB_VLAN_SWITCH picks them: vlansw (the default: vlansw.c, in userspace)
# or kernel (a VLAN-filtering Linux bridge; the test skips where the kernel
# has none). fw1 and fw2 bridge a0 and b0 with a plain Linux bridge,
# which forwards tagged frames as they are. hN is 10.N.0.1, sN 10.N.0.2.
# fw1 forwards; fw2's bridge is down (its activate/deactivate bring it up
# and down). No IPv6 anywhere, so no host speaks unless made to.
#
#   vlan_up                   build it; VLAN_MAC[hN], VLAN_MAC[sN]
#   vlan_conf NAME yes|no [LINE...]
#                             fw2's fencer.conf with or without [announce]
#                             (learned = yes, rounds = 1, LINEs added to
#                             it): prints the path
#   vlan_teach                every host sends a broadcast ARP (all VLANs),
#                             then hN pings sN through fw1: both switches
#                             know every host, behind t1 on the far side
#   vlan_quiet                static ARP on every host, the rest of their
#                             neighbour tables emptied (the kernel would go
#                             on asking for 10.N.0.99): no frame of theirs
#                             after this re-teaches a switch
#   vlan_fail_over CONF       fw1's bridge down, its links up (the switches
#                             keep sending to t1); `fencer promote` on fw2
#   vlan_fail_back CONF       `fencer demote` on fw2, fw1's bridge up again,
#                             both switches' tables emptied and
#                             relearnt: traffic through fw1 in every VLAN
#   vlan_replies N COUNT      echo replies of COUNT pings hN -> sN, 0.1 s
#                             apart (a reply later than 0.1 s after the
#                             last one is not counted: for the bench, and
#                             for a test that expects none)
#   vlan_answered N COUNT     how many of COUNT pings hN -> sN, one after
#                             the other, are answered, each waited for up
#                             to 5 s (for a test that expects every one)

VLANS="10 20 30"
VLAN_SWITCH=${LAB_VLAN_SWITCH:-vlansw}
declare -A VLAN_MAC

# Whether this kernel's bridges filter by VLAN (a bridge made with
# vlan_filtering 1 in namespace NS, then removed).
vlan_kernel_filters() {
	ip -n "$1" link add name vlprobe type bridge vlan_filtering 1 2>/dev/null || return 1
	ip -n "$1" link del dev vlprobe
}

# vlan_switch NAME SIDE: switch NAME (swa with the h hosts, swb with the s
# hosts) as vlansw or a VLAN-filtering kernel bridge; its log says ready.
# t2 before t1: a flood leaves toward the standby before its copy toward
# the active node, which brings it back round to the standby's other port.
# A hardware switch sends every copy at once, and the copy round the active
# node is the later one; vlansw floods in the order of its ports, and this
# order keeps it so (a kernel bridge floods in softirq, before the copy
# through fw1 is received at all).
vlan_switch() {
	local sw=$1 side=$2 v p n=$(ns $1)
	if [ "$VLAN_SWITCH" = vlansw ]; then
		lab_spawn $sw "$n" "$LABBIN/vlansw" ${side}10=a10 ${side}20=a20 ${side}30=a30 t2=t t1=t
		wait_for 5 grep -qx ready "$LAB_TMP/$sw.log" || lab_die "$sw did not start: $(cat "$LAB_TMP/$sw.log")"
		return
	fi
	ip -n "$n" link add name sw type bridge vlan_filtering 1 stp_state 0 forward_delay 0 ageing_time 30000 ||
		lab_die "$sw: no VLAN-filtering bridge"
	ip -n "$n" link set dev sw up
	for p in ${side}10 ${side}20 ${side}30 t2 t1; do
		lab_enslave "$n" sw $p
		bridge -n "$n" vlan del dev $p vid 1
	done
	for v in $VLANS; do
		bridge -n "$n" vlan add dev ${side}$v vid $v pvid untagged
		bridge -n "$n" vlan add dev t1 vid $v
		bridge -n "$n" vlan add dev t2 vid $v
	done
	echo ready >"$LAB_TMP/$sw.log"
}

# vlan_flush: both switches forget every host (vlansw: SIGHUP).
vlan_flush() {
	local sw before
	for sw in swa swb; do
		if [ "$VLAN_SWITCH" = vlansw ]; then
			before=$(grep -c '^flushed' "$LAB_TMP/$sw.log")
			kill -HUP "$(cat "$LAB_TMP/$sw.pid")"
			wait_for 5 eval '[ "$(grep -c "^flushed" "$LAB_TMP/$sw.log")" -gt "$before" ]' ||
				lab_die "$sw did not flush its table"
		else
			ip -n "$(ns $sw)" link set dev sw type bridge fdb_flush
		fi
	done
}

vlan_up() {
	local n v
	[ -x "$LABBIN/vlansw" ] || lab_die "$LABBIN/vlansw not built"
	for n in swa swb fw1 fw2 h10 h20 h30 s10 s20 s30; do
		lab_ns $n
		lab_in "$(ns $n)" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
	done
	if [ "$VLAN_SWITCH" = kernel ] && ! vlan_kernel_filters "$(ns swa)"; then
		lab_skip "this kernel's bridges do not filter by VLAN: no kernel switches for the trunk lab"
	fi
	for v in $VLANS; do
		lab_veth "$(ns swa)" h$v "$(ns h$v)" eth0
		lab_veth "$(ns swb)" s$v "$(ns s$v)" eth0
		lab_addr "$(ns h$v)" eth0 10.$v.0.1/24
		lab_addr "$(ns s$v)" eth0 10.$v.0.2/24
		VLAN_MAC[h$v]=$(mac_of h$v) && VLAN_MAC[s$v]=$(mac_of s$v) || lab_die "cannot read the hosts' MACs"
	done
	for n in 1 2; do
		lab_veth "$(ns swa)" t$n "$(ns fw$n)" a0
		lab_veth "$(ns swb)" t$n "$(ns fw$n)" b0
		lab_bridge "$(ns fw$n)" br0
		lab_enslave "$(ns fw$n)" br0 a0
		lab_enslave "$(ns fw$n)" br0 b0
	done
	ip -n "$(ns fw2)" link set dev br0 down
	vlan_switch swa h
	vlan_switch swb s
}

vlan_conf() {
	local out=$LAB_TMP/$1.conf with=$2 st=$LAB_TMP/state
	shift 2
	mkdir -p "$st"
	{
		printf '[fencer]\nnode = fw2\nstate-dir = %s\n' "$st"
		printf 'activate = ip link set dev br0 up\ndeactivate = ip link set dev br0 down\n'
		if [ "$with" = yes ]; then
			printf '[announce]\ninterface = a0 b0\nbridge = br0\nlearned = yes\nrounds = 1\n'
			printf 'learn-interval = 100ms\n'
			[ $# -gt 0 ] && printf '%s\n' "$@"
		fi
	} >"$out"
	chmod 0600 "$out"
	echo "$out"
}

vlan_teach() {
	local v pids=()
	# 10.N.0.99 answers no one: each host's ARP request is flooded in its
	# VLAN, to both trunks.
	for v in $VLANS; do
		lab_in "$(ns h$v)" ping -c 1 -W 1 10.$v.0.99 >/dev/null 2>&1 & pids+=($!)
		lab_in "$(ns s$v)" ping -c 1 -W 1 10.$v.0.99 >/dev/null 2>&1 & pids+=($!)
	done
	wait "${pids[@]}"
	for v in $VLANS; do
		lab_in "$(ns h$v)" ping -c 2 -i 0.2 -W 2 10.$v.0.2 >/dev/null ||
			lab_die "no traffic h$v -> s$v through fw1"
	done
}

vlan_quiet() {
	local v
	for v in $VLANS; do
		ip -n "$(ns h$v)" neigh flush all
		ip -n "$(ns s$v)" neigh flush all
		ip -n "$(ns h$v)" neigh replace 10.$v.0.2 lladdr "${VLAN_MAC[s$v]}" dev eth0 nud permanent
		ip -n "$(ns s$v)" neigh replace 10.$v.0.1 lladdr "${VLAN_MAC[h$v]}" dev eth0 nud permanent
	done
}

vlan_fail_over() {
	ip -n "$(ns fw1)" link set dev br0 down
	lab_in "$(ns fw2)" "$FENCER" -c "$1" -v promote >>"$LAB_TMP/promote.log" 2>&1 ||
		lab_die "promote on fw2 failed: $(tail -n 5 "$LAB_TMP/promote.log")"
}

vlan_fail_back() {
	local v
	lab_in "$(ns fw2)" "$FENCER" -c "$1" demote >>"$LAB_TMP/promote.log" 2>&1 ||
		lab_die "demote on fw2 failed: $(tail -n 5 "$LAB_TMP/promote.log")"
	ip -n "$(ns fw1)" link set dev br0 up
	vlan_flush
	for v in $VLANS; do
		lab_in "$(ns h$v)" ping -c 1 -W 2 10.$v.0.2 >/dev/null || lab_die "no traffic h$v -> s$v through fw1 after the fail-back"
	done
}

vlan_replies() {
	lab_in "$(ns h$1)" ping -c "$2" -i 0.1 -W 1 10.$1.0.2 2>/dev/null |
		awk '/packets transmitted/ {print $4; found = 1} END {if (!found) print 0}'
}

vlan_answered() {
	local i got=0
	for ((i = 0; i < $2; i++)); do
		lab_in "$(ns h$1)" ping -c 1 -W 5 10.$1.0.2 >/dev/null 2>&1 && got=$((got + 1))
	done
	echo $got
}
