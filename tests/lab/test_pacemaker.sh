#!/usr/bin/env bash
# ocf:fencer:bridge under a real Pacemaker: a one-node Corosync + Pacemaker
# cluster (Debian corosync, pacemaker) in a namespace of its own, with
# tmpfs on everything the daemons write (/var/lib/pacemaker,
# /var/lib/corosync, /var/log/pacemaker, /run, /dev/shm) in a private
# mount namespace, and the agent bound over /usr/lib/ocf/resource.d there:
# the machine's own files are untouched. The resource is created with
# cibadmin as a promotable clone; Pacemaker must start and promote it
# (fencer promote: the bridge up in the kernel), recover it when the
# bridge goes down under it (the monitor's failed master), demote it
# (target-role Unpromoted: the bridge down) and stop it.
# No stonith device: a one-node cluster has no one to fence
# (stonith-enabled=false); fence_fencer is tested on its own
# (test_fence_agent.sh).
set -u
. "$(dirname "$0")/lib.sh"
lab_init pm
: "${FENCER:?FENCER must name the fencer binary}"
top=$(cd "$LAB_HERE/../.." && pwd)
for b in corosync pacemakerd cibadmin crm_resource crm_mon crm_attribute; do
	command -v "$b" >/dev/null || lab_skip "lab: $b missing (apt-get install corosync pacemaker pacemaker-cli-utils)"
done
id hacluster >/dev/null 2>&1 || lab_skip "lab: no hacluster user (the pacemaker package makes it)"

lab_ns pc
ip -n "$(ns pc)" link add name br0 type bridge || lab_die "bridge"
d=$LAB_TMP/cluster
mkdir -p "$d/ra/fencer" "$d/state"
chmod 0700 "$d/state"
cp "$top/ocf/bridge" "$d/ra/fencer/bridge"
chmod 0755 "$d/ra/fencer/bridge"
cat >"$d/fencer.conf" <<CONF
[fencer]
node = n1
state-dir = $d/state
activate = ip link set dev br0 up
deactivate = ip link set dev br0 down
CONF
chmod 0600 "$d/fencer.conf"
cat >"$d/corosync.conf" <<CONF
totem {
	version: 2
	cluster_name: fencerlab
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
	node {
		ring0_addr: 127.0.0.1
		name: n1
		nodeid: 1
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_stderr: yes
	to_logfile: no
	to_syslog: no
}
CONF

# The cluster: the spawned process ends as pacemakerd (exec), corosync
# beside it; both die with the namespace.
lab_spawn cluster "$(ns pc)" unshare -m --propagation private sh -c '
	set -e
	for m in /var/lib/pacemaker /var/lib/corosync /var/log/pacemaker /run /dev/shm; do
		mount -t tmpfs -o mode=0755 lab-pcmk "$m"
	done
	chmod 1777 /dev/shm
	mkdir -p /var/lib/pacemaker/cib /var/lib/pacemaker/pengine /var/lib/pacemaker/blackbox \
		/var/lib/pacemaker/cores /run/crm
	chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker /run/crm
	chmod 0750 /var/lib/pacemaker/cib /var/lib/pacemaker/pengine
	mount --bind "$1/ra" /usr/lib/ocf/resource.d
	corosync -f -c "$1/corosync.conf" >"$1/corosync.log" 2>&1 &
	i=0
	until corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 200 ] || exit 1
		sleep 0.1
	done
	exec pacemakerd' sh "$d"
pid=$(cat "$LAB_TMP/cluster.pid")
pc() { nsenter -t "$pid" -m -n "$@"; }
why() {	# what the cluster says, for a failure
	pc crm_mon -1 2>&1 | tail -n 12
	pc grep -E "fencer|bridge" /var/log/pacemaker/pacemaker.log 2>/dev/null | tail -n 15
}

# The election takes dc-deadtime (20 s) on a cluster's first start.
online() { pc crm_mon -1 2>/dev/null | grep -q "Online: \[ n1 \]"; }
wait_for 120 online || lab_die "the cluster did not come up: $(tail -n 5 "$d/corosync.log") $(why)"
echo "ok - corosync and pacemaker up, n1 online"
pc crm_attribute -t crm_config -n stonith-enabled -v false || lab_die "stonith-enabled"
pc crm_attribute -t crm_config -n no-quorum-policy -v ignore || lab_die "no-quorum-policy"

pc cibadmin -C -o resources -X "<clone id=\"fw-bridge-clone\">
  <meta_attributes id=\"fw-bridge-clone-meta\">
    <nvpair id=\"fw-bridge-clone-promotable\" name=\"promotable\" value=\"true\"/>
    <nvpair id=\"fw-bridge-clone-promoted-max\" name=\"promoted-max\" value=\"1\"/>
  </meta_attributes>
  <primitive id=\"fw-bridge\" class=\"ocf\" provider=\"fencer\" type=\"bridge\">
    <instance_attributes id=\"fw-bridge-ia\">
      <nvpair id=\"fw-bridge-config\" name=\"config\" value=\"$d/fencer.conf\"/>
      <nvpair id=\"fw-bridge-fencer\" name=\"fencer\" value=\"$FENCER\"/>
      <nvpair id=\"fw-bridge-bridge\" name=\"bridge\" value=\"br0\"/>
    </instance_attributes>
    <operations>
      <op id=\"fw-bridge-monitor-promoted\" name=\"monitor\" interval=\"2s\" role=\"Promoted\"/>
      <op id=\"fw-bridge-monitor-unpromoted\" name=\"monitor\" interval=\"3s\" role=\"Unpromoted\"/>
    </operations>
  </primitive>
</clone>" || lab_die "cibadmin refused the resource"

# The roles as crm_mon shows them once an action is over (crm_resource
# --locate says Promoted while the promote still runs, which crm_mon shows
# as Promoting), "(target-role)" after one that target-role asked for.
role_is() { pc crm_mon -1 2>/dev/null | grep -Eq "^ *\* $1( \(target-role\))?: \[ n1 \]\$"; }
promoted() { role_is Promoted; }
br_up() { lab_link_up "$(ns pc)" br0; }
br_down() { lab_link_down "$(ns pc)" br0; }
wait_for 60 promoted || lab_die "Pacemaker did not promote fw-bridge: $(why)"
br_up || lab_die "promoted, but br0 is down in the kernel: $(why)"
grep -q '"command":"promote".*"summary":"n1 promoted' "$d/state/journal.jsonl" ||
	lab_die "fencer's journal has no promote: $(cat "$d/state/journal.jsonl")"
grep -q '"command":"promote","step":"reason","outcome":"ok","detail":"pacemaker"' "$d/state/journal.jsonl" &&
	grep -q '"command":"promote","step":"begin".*"args":"resource=fw-bridge"' "$d/state/journal.jsonl" ||
	lab_die "the promote does not say it came from Pacemaker's fw-bridge: $(grep promote "$d/state/journal.jsonl")"
echo "ok - Pacemaker promoted ocf:fencer:bridge: fencer promote ran, br0 up"

# The bridge goes down under the promoted instance: the monitor says
# failed master, Pacemaker recovers it and promotes it again.
before=$(grep -c '"step":"end".*"summary":"n1 promoted' "$d/state/journal.jsonl")
ip -n "$(ns pc)" link set dev br0 down
again() { [ "$(grep -c '"step":"end".*"summary":"n1 promoted' "$d/state/journal.jsonl")" -gt "$before" ] && br_up && promoted; }
wait_for 90 again || lab_die "Pacemaker did not recover the bridge: $(why)"
echo "ok - br0 taken down under it: the monitor saw it, Pacemaker promoted it again"

pc crm_resource -r fw-bridge-clone --meta -p target-role -v Unpromoted >/dev/null || lab_die "target-role Unpromoted"
unpromoted() { role_is Unpromoted && br_down; }
wait_for 60 unpromoted || lab_die "Pacemaker did not demote fw-bridge: $(why)"
grep -q '"command":"demote".*"summary":"n1 demoted' "$d/state/journal.jsonl" || lab_die "fencer's journal has no demote"
pc crm_resource -r fw-bridge-clone --meta -p target-role -v Stopped >/dev/null || lab_die "target-role Stopped"
stopped() { pc crm_resource --locate -r fw-bridge-clone 2>&1 | grep -q "is NOT running" && br_down; }
wait_for 60 stopped || lab_die "Pacemaker did not stop fw-bridge: $(why)"
echo "ok - demoted (br0 down) and stopped"

# fencer(8)'s fencing-topology, as printed there, is what this Pacemaker
# takes into its CIB.
xml=$(sed -n '/^<fencing-topology>$/,/^<\/fencing-topology>$/p' "$top/man/fencer.8")
[ -n "$xml" ] || lab_die "no <fencing-topology> in fencer(8)"
pc cibadmin -C -o configuration -X "$xml" || lab_die "cibadmin refused fencer(8)'s fencing-topology: $xml"
[ "$(pc cibadmin -Q -o fencing-topology | grep -c '<fencing-level ')" = 4 ] ||
	lab_die "the CIB does not hold the 4 levels: $(pc cibadmin -Q -o fencing-topology)"
echo "ok - fencer(8)'s fencing-topology loads into the CIB"
echo "pacemaker: ocf:fencer:bridge promoted, recovered, demoted and stopped by a one-node cluster"
