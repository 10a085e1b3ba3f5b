#!/usr/bin/env bash
# Notifications reach real receivers: an aiosmtpd SMTP server (STARTTLS with
# a CA made here, AUTH), a python http.server webhook receiver and
# snmptrapd (v2c trap, then a v3 authPriv inform), all on loopback in a
# namespace of the test. Asserts what each receiver got: the mail's headers
# and timeline, the webhook's JSON, the trap's OIDs and values; and that a
# check turning CRITICAL mails once, not at every check.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/notify_lib.sh"
lab_init no
: "${FENCER:?FENCER must name the fencer binary}"
notify_ns
notify_ca
lab_secret "$NT/smtp.pw" "smtp$(lab_rand 6)"
lab_secret "$NT/community" "c$(lab_rand 6)"
lab_secret "$NT/auth.pw" "auth$(lab_rand 6)"
lab_secret "$NT/priv.pw" "priv$(lab_rand 6)"
notify_smtp 2525 --tls --auth fencer "$NT/smtp.pw"
notify_http 8080 200
notify_trapd 16262 "$NT/community" fencer "$NT/auth.pw" "$NT/priv.pw"
S=$LAB_TMP/state C=$LAB_TMP/fencer.conf MAIL=$NT/mail-2525 HTTP=$NT/http-8080 TRAPS=$LAB_TMP/trapd-16262.log
TOKEN=tok$(lab_rand 8)
conf() {	# conf TRAP-VERSION [extra [fencer] lines]
	cat >"$C" <<EOC
[fencer]
node = fw2
peer = fw1
state-dir = $S
activate = touch $LAB_TMP/activated
deactivate = touch $LAB_TMP/deactivated
$2
[node fw1]
[notify]
mail-to = noc@example.invalid
mail-to = ops@example.invalid
mail-from = fencer@fw2.example.invalid
smtp-url = smtp://127.0.0.1:2525
smtp-user = fencer
smtp-password-file = $NT/smtp.pw
ca-file = $NT/ca.pem
webhook = http://127.0.0.1:8080/hook/$TOKEN
trap = udp:127.0.0.1:16262
trap-version = $1
trap-community-file = $NT/community
trap-user = fencer
trap-auth-protocol = sha
trap-auth-password-file = $NT/auth.pw
trap-priv-protocol = aes
trap-priv-password-file = $NT/priv.pw
timeout = 5s
EOC
	chmod 600 "$C"
}

# ---- promote: v2c trap ----
conf 2c ""
fencer_in -c "$C" promote --reason "notify test" >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] || lab_die "promote exited $rc: $(cat "$LAB_TMP/out")"
[ -e "$LAB_TMP/activated" ] || lab_die "promote did not activate"

# The mail, as the server received it.
wait_for 5 test -e "$MAIL/1.eml" || lab_die "no mail received"
M=$MAIL/1.eml
/usr/bin/python3 - "$M" "$MAIL/1.json" <<'EOP' || lab_die "mail check failed"
import email, email.policy, json, re, sys
raw = open(sys.argv[1], "rb").read()
meta = json.load(open(sys.argv[2]))
def fail(why):
    sys.exit("mail: " + why)
# Every line ends in CRLF, no bare LF or CR.
if re.search(rb"(?<!\r)\n", raw) or re.search(rb"\r(?!\n)", raw):
    fail("bare LF or CR in the message")
m = email.message_from_bytes(raw, policy=email.policy.SMTP)
for h in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version", "Content-Type"):
    if m[h] is None:
        fail("no %s header" % h)
if not re.match(r"\[fencer\] fw2 promoted: no peer port to fence in \d+ ms$", str(m["Subject"])):
    fail("subject is %r" % str(m["Subject"]))
if "noc@example.invalid" not in str(m["To"]) or "ops@example.invalid" not in str(m["To"]):
    fail("To is %r" % str(m["To"]))
if "fencer@fw2.example.invalid" not in str(m["From"]):
    fail("From is %r" % str(m["From"]))
if not re.match(r"<[^<>@\s]+@[^<>@\s]+>$", str(m["Message-ID"])):
    fail("Message-ID is %r" % str(m["Message-ID"]))
if email.utils.parsedate_to_datetime(str(m["Date"])) is None:
    fail("Date is %r" % str(m["Date"]))
if m.get_content_type() != "text/plain" or m.get_content_charset() != "utf-8":
    fail("Content-Type is %r" % str(m["Content-Type"]))
body = m.get_content().replace("\r\n", "\n")
for want in (r"^\s*\+\d+ ms\s+activate\s+ok\s+\d+ ms$", r"^node:\s+fw2$", r"^peer:\s+fw1$",
             r"^command:\s+promote$", r"^\s*notify test$"):
    if not re.search(want, body, re.M):
        fail("body has no line matching %r:\n%s" % (want, body))
if sorted(meta["rcpt_tos"]) != ["noc@example.invalid", "ops@example.invalid"]:
    fail("envelope recipients %r" % meta["rcpt_tos"])
if not meta["tls"]:
    fail("the mail was sent without STARTTLS")
if meta["login"] != "fencer":
    fail("no AUTH as fencer: %r" % meta["login"])
EOP

# The webhook's JSON.
wait_for 5 test -e "$HTTP/1.body" || lab_die "no webhook received"
/usr/bin/python3 - "$HTTP/1.body" "$HTTP/1.json" "$TOKEN" <<'EOP' || lab_die "webhook check failed"
import json, sys
doc = json.load(open(sys.argv[1]))
meta = json.load(open(sys.argv[2]))
def fail(why):
    sys.exit("webhook: %s\n%s" % (why, json.dumps(doc, indent=1)))
if meta["content_type"] != "application/json":
    fail("Content-Type %r" % meta["content_type"])
if meta["path"] != "/hook/" + sys.argv[3]:
    fail("path %r" % meta["path"])
for k, v in (("event", "promote"), ("node", "fw2"), ("peer", "fw1"), ("exit_code", 0),
             ("outcome", "fw2 promoted: no peer port to fence"), ("notification", "promoted")):
    if doc.get(k) != v:
        fail("%s is %r, not %r" % (k, doc.get(k), v))
act = [s for s in doc["steps"] if s["step"] == "activate" and s["outcome"] == "ok"]
if not act or not isinstance(act[0].get("duration_ms"), int) or "at_ms" not in act[0]:
    fail("no timed activate step")
if not doc["summary"].startswith("fw2 promoted"):
    fail("summary %r" % doc["summary"])
EOP

# The v2c trap, as snmptrapd logged it (numeric OIDs).
P=.1.3.6.1.4.1.99999.1
wait_for 5 grep -q "$P.0.1" "$TRAPS" || lab_die "no fencerPromoted trap: $(cat "$TRAPS")"
line=$(grep "$P.0.1" "$TRAPS")
for want in ".1.3.6.1.6.3.1.1.4.1.0 = OID: $P.0.1" "$P.1.1.0 = STRING: \"fw2\"" \
	"$P.1.2.0 = STRING: \"fw1\"" "$P.1.3.0 = STRING: \"promote\"" \
	"$P.1.4.0 = STRING: \"fw2 promoted: no peer port to fence\"" "$P.1.5.0 = INTEGER: 0" \
	"$P.1.7.0 = Gauge32: 0" "$P.1.9.0 = STRING: \"fw2 promoted: no peer port to fence in"; do
	case $line in *"$want"*) ;; *) lab_die "trap lacks '$want': $line";; esac
done

# The journal has every delivery, without the webhook's token.
for ch in mail webhook trap; do
	grep "\"step\":\"notify\"" "$S/journal.jsonl" | grep "\"switch\":\"$ch\"" | grep -q '"outcome":"ok"' ||
		lab_die "journal has no ok notify event for $ch"
done
lacks -F -- "$TOKEN" "$S/journal.jsonl" "$LAB_TMP/out" || lab_die "the webhook's token leaked into the journal or output (or they cannot be read)"

# ---- demote: v3 authPriv inform (acknowledged by snmptrapd) ----
conf 3 ""
fencer_in -c "$C" demote >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] || lab_die "demote exited $rc: $(cat "$LAB_TMP/out")"
[ -e "$LAB_TMP/deactivated" ] || lab_die "demote did not deactivate"
wait_for 5 grep -q "$P.0.2" "$TRAPS" || lab_die "no fencerDemoted inform: $(cat "$TRAPS")"
line=$(grep "$P.0.2" "$TRAPS")
case $line in *"$P.1.3.0 = STRING: \"demote\""*) ;; *) lab_die "inform lacks the command: $line";; esac
wait_for 5 test -e "$MAIL/2.eml" || lab_die "no mail for demote"
grep -q "^Subject: \[fencer\] fw2 demoted in [0-9]* ms" "$MAIL/2.eml" || lab_die "demote subject: $(grep Subject "$MAIL/2.eml")"

# ---- check: a switch that refuses turns CRITICAL: one mail, not one per check ----
cat >>"$C" <<EOC
[switch sw]
driver = exec
agent = /bin/false
EOC
sed -i 's/^\[node fw1\]$/[node fw1]\nport = sw 1/' "$C"
n_before=$(ls "$MAIL"/*.eml | wc -l)
fencer_in -c "$C" check >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc -eq 2 ] || lab_die "check exited $rc, not CRITICAL: $(cat "$LAB_TMP/out")"
wait_for 5 test -e "$MAIL/$((n_before + 1)).eml" || lab_die "no mail when check turned CRITICAL"
grep -q "^Subject: \[fencer\] fw2 check CRITICAL: switch sw" "$MAIL/$((n_before + 1)).eml" ||
	lab_die "check subject: $(grep Subject "$MAIL/$((n_before + 1)).eml")"
wait_for 5 grep -q "$P.0.4" "$TRAPS" || lab_die "no fencerCheckCritical inform"
fencer_in -c "$C" check >"$LAB_TMP/out" 2>&1; rc=$?
[ $rc -eq 2 ] || lab_die "second check exited $rc"
# The receivers answered the first time at once: a second mail would be there
# by now (the check waits for the SMTP server's 250 before exiting).
n_after=$(ls "$MAIL"/*.eml | wc -l)
[ "$n_after" -eq $((n_before + 1)) ] || lab_die "a check that stays CRITICAL mailed again"
echo "notify: mail, webhook, v2c trap, v3 inform and check CRITICAL all received"
