#!/usr/bin/env bash
# The Debian package: built with dpkg-buildpackage from a copy of the tree,
# installed with dpkg -i into a throwaway root (an overlay over / in a
# private mount namespace: the machine itself is untouched), where
# `fencer version`, `man fencer`, fence_fencer, the OCF agent
# ocf:fencer:bridge, the units and the MIB must be present and work;
# /etc/fencer is there, 0750; the ucarp scripts and the agent are
# executable; the metadata names no made-up vendor URL.
set -u
. "$(dirname "$0")/lib.sh"
lab_init pk
command -v dpkg-buildpackage >/dev/null || lab_skip "dpkg-dev missing"
command -v dh >/dev/null || lab_skip "debhelper missing"
top=$(cd "$LAB_HERE/../.." && pwd)
src=$LAB_TMP/src/fencer-0.1.0
mkdir -p "$src"
if git -C "$top" rev-parse >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src" 2>/dev/null)
else
	(cd "$top" && tar --exclude=./build -cf - .) | tar -xf - -C "$src"
fi
(cd "$src" && dpkg-buildpackage -us -uc -b >"$LAB_TMP/build.log" 2>&1) ||
	lab_die "dpkg-buildpackage failed: $(tail -n 20 "$LAB_TMP/build.log")"
deb=$(ls "$LAB_TMP"/src/fencer_*_*.deb | grep -v dbgsym | head -n1)
[ -f "$deb" ] || lab_die "no .deb was built"
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libssh libsnmp libcurl libjansson libinih; do
	[[ $deps == *"$lib"* ]] || lab_die "Depends lacks $lib: $deps"
done

before=$(ls -d /usr/sbin/fencer 2>/dev/null)
R=$LAB_TMP/root
mkdir -p "$R/upper" "$R/work" "$R/merged"
mibcheck=true
[ -n "$(ls "$top"/mibs/*.txt 2>/dev/null)" ] && mibcheck='ls /usr/share/snmp/mibs/FENCER-MIB.txt'
unshare -m --propagation private bash -c "
	set -e
	mount -t overlay overlay -o lowerdir=/,upperdir=$R/upper,workdir=$R/work $R/merged
	mount -t proc proc $R/merged/proc
	mount --rbind /dev $R/merged/dev
	mount -t tmpfs tmpfs $R/merged/tmp
	cp '$deb' $R/merged/tmp/fencer.deb
	chroot $R/merged sh -ec '
		! [ -e /usr/sbin/fencer ]
		dpkg -i /tmp/fencer.deb
		fencer version | grep -q \"^fencer \"
		fence_fencer -o metadata | grep -q resource-agent
		fence_fencer -o metadata | grep -q \"^<vendor-url></vendor-url>\$\"
		test \$(stat -c %a /etc/fencer) = 750
		test \$(stat -c %a /usr/share/doc/fencer/examples/ucarp-up.sh) = 755
		test \$(stat -c %a /usr/share/doc/fencer/examples/ucarp-down.sh) = 755
		grep -q \"^ExecStart=/usr/sbin/fencer boot\" /lib/systemd/system/fencer-boot.service
		man -P cat 8 fencer | grep -q \"fence the old master\"
		man -P cat 5 fencer.conf | grep -q \"state-dir\"
		ls /lib/systemd/system/fencer-boot.service /lib/systemd/system/fencer-check.timer
		grep -q \"^ExecStart=/usr/sbin/fencer serve\" /lib/systemd/system/fencer.service
		ls /usr/share/doc/fencer/examples/fencer.conf.example
		test \$(stat -c %a /usr/lib/ocf/resource.d/fencer/bridge) = 755
		OCF_ROOT=/usr/lib/ocf /usr/lib/ocf/resource.d/fencer/bridge meta-data | grep -q \"default=./usr/sbin/fencer.\"
		$mibcheck
		dpkg -r fencer
		! [ -e /usr/sbin/fencer ]
		! [ -e /usr/lib/ocf/resource.d/fencer/bridge ]
	'
" >"$LAB_TMP/install.log" 2>&1 || lab_die "install in the throwaway root failed: $(tail -n 20 "$LAB_TMP/install.log")"
[ "$(ls -d /usr/sbin/fencer 2>/dev/null)" = "$before" ] || lab_die "the package leaked onto the machine"
echo "package: $(basename "$deb") builds, installs, runs and removes cleanly"
