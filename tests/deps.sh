#!/usr/bin/env bash
# Install the Debian packages fencer builds, tests and demos with.
# Idempotent: runs apt-get only when something is missing.
set -euo pipefail
pkgs=(
	build-essential pkg-config clang valgrind
	libssh-dev libsnmp-dev libcurl4-openssl-dev libnet1-dev libinih-dev
	libjansson-dev libpcap-dev libcmocka-dev
	iproute2 iputils-ping tcpdump procps psmisc
	snmpd snmp snmptrapd fence-agents resource-agents lldpd
	openssh-server openssh-client keepalived libnss-wrapper ucarp nftables
	python3-aiosmtpd smitools mandoc libxml2-utils man-db faketime
	debhelper dpkg-dev fakeroot util-linux
	corosync pacemaker pacemaker-cli-utils
	libxml2-dev openssl curl
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts these daemons on install; the tests run their own copies.
for s in snmpd snmptrapd keepalived ssh lldpd pacemaker corosync; do
	systemctl disable --now "$s" >/dev/null 2>&1 || service "$s" stop >/dev/null 2>&1 || true
done
