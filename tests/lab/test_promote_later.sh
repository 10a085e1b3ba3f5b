#!/usr/bin/env bash
# Exit 3 for every later step of promote (fencer(8): the critical part
# succeeded, a later step failed). Against the Cisco-like switch (iosemu
# behind sshd), with fw1 on GigabitEthernet0/1 and this node fw2 on
# GigabitEthernet0/2, one later step fails at a time:
#  - the activate command fails;
#  - the switch refuses both forms of `clear mac address-table` (flush);
#  - this node's own port will not come up (`no shutdown` does nothing);
#  - the announce cannot open its interface.
# Each time: fw1's port is down in the switch's kernel (the fencing stood),
# promote exits 3 and says "promoted with errors", the journal holds the
# failed step in its own words and an end that says a later step failed,
# and the mail and the webhook that reached real receivers say so too.
set -u
. "$(dirname "$0")/cisco_lib.sh"
. "$(dirname "$0")/notify_lib.sh"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || lab_skip "lab: python3-aiosmtpd missing"
cisco_setup pl
NADDR=10.77.0.50
notify_ns
lab_mgmt_attach "$NNS" "$NADDR/24"
notify_http 8080 200
notify_smtp 2525
HTTP=$NT/http-8080 MAIL=$NT/mail-2525 J=$LAB_TMP/state/journal.jsonl HOOK=$LAB_TMP/activated

# conf ACTIVATE [ANNOUNCE-INTERFACE]: fencer.conf as cisco_conf writes it
# (fw2's own port is Gi0/2), with the activate command, notify, and an
# [announce] section when an interface is given.
conf() {
	FLUSH=port cisco_conf
	awk -v line="activate = $1" '{ print } $0 == "[fencer]" { print line }' "$C" >"$C.new" &&
		mv "$C.new" "$C"
	grep -qx "port = swa GigabitEthernet0/2" "$C" || lab_die "cisco_conf gave fw2 no Gi0/2"
	{
		if [ -n "${2:-}" ]; then
			printf '[announce]\ninterface = %s\naddress = 10.9.0.1\nrounds = 1\n' "$2"
		fi
		cat <<-EOC
		[notify]
		mail-to = noc@example.invalid
		mail-from = fencer@fw2.example.invalid
		smtp-url = smtp://$NADDR:2525
		webhook = http://$NADDR:8080/hook
		timeout = 5s
		EOC
	} >>"$C"
	rm -f "$HOOK"
}

files() { ls "$1" 2>/dev/null | grep -c "\\.$2\$"; }
# journal_failed STEP WORDS: since the mark, a failed STEP whose error
# holds WORDS.
journal_failed() {
	since "$J" "$m_j" | grep "\"step\":\"$1\"" | grep '"outcome":"failed"' | grep -qF -- "$2"
}
# hook_says STEP: a webhook since the mark: promote, exit_code 3, promoted
# with errors, and STEP failed among its steps.
hook_says() {
	/usr/bin/python3 - "$HTTP" "$m_hook" "$1" <<-'EOP'
	import glob, json, os, sys
	d, mark, step = sys.argv[1], int(sys.argv[2]), sys.argv[3]
	for f in glob.glob(os.path.join(d, "*.body")):
	    if int(os.path.basename(f).split(".")[0]) <= mark:
	        continue
	    doc = json.load(open(f))
	    if (doc.get("event") == "promote" and doc.get("exit_code") == 3
	            and doc.get("outcome", "").startswith("fw2 promoted with errors: fw1 fenced (1 port)")
	            and any(s["step"] == step and s["outcome"] == "failed" for s in doc.get("steps", []))):
	        sys.exit(0)
	sys.exit(1)
	EOP
}
# mail_says: a mail since the mark whose subject says promoted with errors
# and whose body gives exit 3.
mail_says() {
	local f n
	for f in "$MAIL"/*.eml; do
		n=$(basename "$f" .eml)
		[ "$n" -gt "$m_mail" ] 2>/dev/null || continue
		grep -q "^Subject: \[fencer\] fw2 promoted with errors: fw1 fenced (1 port) in [0-9]* ms" "$f" &&
			grep -q "(exit 3)" "$f" && return 0
	done
	return 1
}

# promote_later WHAT STEP WORDS: run promote; assert everything above for a
# failed STEP whose error holds WORDS.
promote_later() {
	local what=$1 step=$2 words=$3
	m_j=$(lines "$J") m_hook=$(files "$HTTP" body) m_mail=$(files "$MAIL" eml)
	fencer promote; RC=$?
	echo "    # $what: promote exit $RC: $(tail -n1 "$OUT")"
	check "$what: promote exits 3" test "$RC" = 3
	check "  says promoted with errors" has "fw2 promoted with errors: fw1 fenced (1 port)"
	check "  fw1's Gi0/1 is down in the kernel" admin_down gi1
	check "  journal: $step failed: $words" journal_failed "$step" "$words"
	check "  journal: the end says a later step failed" journal_failed end "(a later step failed)"
	check "  webhook: exit_code 3, promoted with errors, $step failed" wait_for 10 hook_says "$step"
	check "  mail: promoted with errors, exit 3" wait_for 10 mail_says
}

# reset: fw1's port up again, nothing on record, the switch as configured.
reset() {
	ip -n "$SW" link set dev gi1 up
	ip -n "$SW" link set dev gi2 up
	rm -f "$LAB_TMP/state/fenced.json"
	cisco_fault
}

# --- the activate command fails ---------------------------------------------
reset
conf "ip link set dev br9 up"	# there is no br9: ip says so, in its words
promote_later "activate fails" activate "Cannot find device"
check "  this node's Gi0/2 is up" admin_up gi2

# --- the switch refuses both forms of the flush -------------------------------
reset
cisco_fault fault=no-clear
conf "touch $HOOK"
promote_later "flush refused" flush "% Invalid input detected"
check "  both forms were tried" eval 'grep -q "	clear mac address-table dynamic interface GigabitEthernet0/1$" "$D/ios.log" &&
	grep -q "	clear mac-address-table dynamic interface GigabitEthernet0/1$" "$D/ios.log"'
check "  activated" test -e "$HOOK"

# --- this node's own port will not come up ------------------------------------
reset
ip -n "$SW" link set dev gi2 down	# as the peer left it when it fenced us
cisco_fault fault=ignore-no-shutdown
conf "touch $HOOK"
promote_later "own port stays down" verify "port is still down after no shutdown"
check "  journal: this node's ports could not be brought up" journal_failed unfence "own ports could not be brought up"
check "  this node's Gi0/2 is still down in the kernel" admin_down gi2
check "  activated" test -e "$HOOK"

# --- the announce cannot open its interface ---------------------------------------
reset
conf "touch $HOOK" nosuch0
promote_later "announce interface missing" announce "nosuch0"
check "  activated" test -e "$HOOK"
reset
lab_done
