#!/usr/bin/env bash
# Broken receivers never change what fencer did: with a dead SMTP server
# (nothing listens), a webhook answering 500, a trap receiver with no route
# and a v3 inform nobody acknowledges, promote still activates and exits 3
# (the critical part succeeded, a later step failed), and every failure is
# in the output and the journal with its own words.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/notify_lib.sh"
lab_init nf
: "${FENCER:?FENCER must name the fencer binary}"
notify_ns
lab_secret "$NT/community" "c$(lab_rand 6)"
lab_secret "$NT/auth.pw" "auth$(lab_rand 6)"
notify_http 8080 500
S=$LAB_TMP/state C=$LAB_TMP/fencer.conf O=$LAB_TMP/out
cat >"$C" <<EOC
[fencer]
node = fw2
peer = fw1
state-dir = $S
activate = touch $LAB_TMP/activated
[node fw1]
[notify]
mail-to = noc@example.invalid
mail-from = fencer@fw2.example.invalid
smtp-url = smtp://127.0.0.1:2599
webhook = http://127.0.0.1:8080/hook
trap = udp:192.0.2.50:162
trap-community-file = $NT/community
timeout = 2s
EOC
chmod 600 "$C"
fencer_in -c "$C" promote >"$O" 2>&1; rc=$?
[ -e "$LAB_TMP/activated" ] || lab_die "promote did not activate: $(cat "$O")"
[ $rc -eq 3 ] || lab_die "promote exited $rc, not 3: $(cat "$O")"
[ -s "$NT/http-8080/1.body" ] || lab_die "the webhook receiver got nothing"
grep -q "webhook to http://127.0.0.1:8080 failed: HTTP 500: receiver is broken on purpose" "$O" ||
	lab_die "output lacks the webhook's failure: $(cat "$O")"
grep -q "mail to smtp://127.0.0.1:2599 failed: .*onnect" "$O" || lab_die "output lacks the mail failure: $(cat "$O")"
grep -q "trap to udp:192.0.2.50:162 failed: .*unreachable" "$O" || lab_die "output lacks the trap failure: $(cat "$O")"
for ch in mail webhook trap; do
	grep '"step":"notify"' "$S/journal.jsonl" | grep "\"switch\":\"$ch\"" | grep -q '"outcome":"failed"' ||
		lab_die "journal has no failed notify event for $ch"
done
grep '"step":"activate"' "$S/journal.jsonl" | grep -q '"outcome":"ok"' || lab_die "journal lacks the activation"
grep '"step":"end"' "$S/journal.jsonl" | grep -q "a later step failed" || lab_die "journal's end line does not say a later step failed"

# A v3 inform to a port where nobody answers: cut at [notify] timeout,
# reported as a timeout; demote still deactivates.
sed -i 's/^trap = .*/trap = udp:127.0.0.1:16299\ntrap-version = 3\ntrap-user = fencer\ntrap-auth-protocol = sha\ntrap-auth-password-file = '"${NT//\//\\/}"'\/auth.pw/; s/^webhook = .*//; s/^mail-to = .*//; s/^timeout = .*/timeout = 1s/' "$C"
sed -i 's/^\[fencer\]$/[fencer]\ndeactivate = touch '"${LAB_TMP//\//\\/}"'\/deactivated/' "$C"
fencer_in -c "$C" demote >"$O" 2>&1; rc=$?
[ -e "$LAB_TMP/deactivated" ] || lab_die "demote did not deactivate: $(cat "$O")"
[ $rc -eq 3 ] || lab_die "demote exited $rc, not 3: $(cat "$O")"
grep -q "trap to udp:127.0.0.1:16299 failed: " "$O" || lab_die "output lacks the inform failure: $(cat "$O")"
grep '"step":"notify"' "$S/journal.jsonl" | grep '"switch":"trap"' | grep -q '"outcome":"timeout"' ||
	lab_die "journal has no timed-out inform: $(grep notify "$S/journal.jsonl")"
# libcurl missing (fencer loads it only to send a mail or webhook): here an
# empty file is mounted over it, in a private mount namespace. The run is
# the same: activated, exit 3, the reason in the output and the journal.
curl_so=$(ldconfig -p | awk '/libcurl\.so\.4 .*x86-64/ {print $NF; exit}')
[ -n "$curl_so" ] || lab_die "libcurl.so.4 not found by ldconfig"
sed -i 's/^trap = .*//; s/^trap-.*//; s/^\[notify\]$/[notify]\nwebhook = http:\/\/127.0.0.1:8080\/hook/' "$C"
rm -f "$LAB_TMP/activated"
: >"$LAB_TMP/empty.so"
unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
	"$LAB_TMP/empty.so" "$curl_so" ip netns exec "$NNS" "$FENCER" -c "$C" promote >"$O" 2>&1; rc=$?
[ -e "$LAB_TMP/activated" ] || lab_die "promote without libcurl did not activate: $(cat "$O")"
[ $rc -eq 3 ] || lab_die "promote without libcurl exited $rc, not 3: $(cat "$O")"
grep -q "webhook to http://127.0.0.1:8080 failed: cannot load libcurl.so.4 (install libcurl4)" "$O" ||
	lab_die "output lacks why the webhook could not go: $(cat "$O")"
grep '"step":"notify"' "$S/journal.jsonl" | tail -n1 | grep -q 'cannot load libcurl.so.4' ||
	lab_die "journal lacks why the webhook could not go"
echo "notify failures: reported, exit 3, activation and deactivation done; a missing libcurl is one more failure"
