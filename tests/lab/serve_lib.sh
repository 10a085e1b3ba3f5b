# tests/lab/serve_lib.sh: sourced by the fencer serve tests (test_serve*.sh).
# cisco_lib.sh's switch swa and fencer.conf, with the service's keys, and
# the service itself run from the management namespace.
#
#   serve_conf [LINES]   cisco_conf, then LINES appended to [fencer]: the
#                        socket in $SOCK, serve-wait 5s (the service
#                        answers at once; the 50 ms default is for the
#                        bench, not a loaded test machine)
#   serve_start          start `fencer -v serve`, wait until it answers;
#                        its log is $LAB_TMP/serve.log, its pid $SERVE_PID
#   serve_stop           SIGTERM, and wait for it to end: true when it
#                        exits 0 and the sanitizers said nothing
#   logins               how many SSH logins the switch's CLI has seen
#   journal_since N      the journal's lines after the first N
. "$(dirname "${BASH_SOURCE[0]}")/cisco_lib.sh"

SERVECLIENT="/usr/bin/python3 $(dirname "${BASH_SOURCE[0]}")/serveclient.py"

serve_conf() {
	cisco_conf
	SOCK=$LAB_TMP/run/fencer.sock J=$LAB_TMP/state/journal.jsonl
	/usr/bin/python3 - "$C" "socket = $SOCK
serve-wait = 5s
${1:-}" <<-'PY'
	import sys
	path, extra = sys.argv[1], sys.argv[2]
	text = open(path).read().replace("[fencer]\n", "[fencer]\n" + extra + "\n", 1)
	open(path, "w").write(text)
	PY
}

serve_answers() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" serve status >/dev/null 2>&1; }
serve_open() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" serve status 2>/dev/null | grep -q "^swa  *open "; }

serve_start() {
	lab_spawn serve "$LAB_MGMT" "$FENCER" -c "$C" -v serve
	SERVE_PID=$(cat "$LAB_TMP/serve.pid")
	wait_for 20 serve_answers || lab_die "fencer serve did not answer: $(cat "$LAB_TMP/serve.log")"
}

serve_stop() {
	local rc
	kill "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	rc=$?
	rm -f "$LAB_TMP/serve.pid"
	[ "$rc" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$LAB_TMP/serve.log"
}

logins() { grep -c "event.login" "$D/ios.log" 2>/dev/null || echo 0; }
journal_since() { since "$J" "$1"; }
