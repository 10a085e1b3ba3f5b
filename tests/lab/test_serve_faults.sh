#!/usr/bin/env bash
# fencer serve (docs/serve.md) when things go wrong around it: the switch
# drops the kept session (the next fence logs in anew and says cold; the
# keepalive reopens it by itself); the switch's host key changes (the
# service refuses the session and raises a journal alarm, the fence is
# refused, the port stays up); SIGHUP with a bad file (reported, the old
# configuration stays, the session too) and a good one (taken, the
# session kept); drift: a fenced port brought up behind fencer's back is
# alarmed (on-drift = alert) and fenced again (on-drift = refence).
set -u
. "$(dirname "$0")/serve_lib.sh"
cisco_setup sf
serve_conf "keepalive = 1s
check-interval = off"
mkdir -p "$LAB_TMP/run"
cp "$C" "$LAB_TMP/good.conf"
serve_start
wait_for 20 serve_open

# The switch's CLI processes: the kept session's (nothing else is logged in).
cut_sessions() {
	local p
	for p in $(ip netns pids "$SW"); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = iosemu ] && kill "$p"
	done
}
opened() { lab_in "$LAB_MGMT" "$FENCER" -c "$C" --json serve status 2>/dev/null | tail -n 1 |
	/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["opened"])' 2>/dev/null ||
	lab_in "$LAB_MGMT" "$FENCER" -c "$C" serve status | awk '$1 == "swa" {print $3}'; }

# --- the session cut ----------------------------------------------------------------
check "keepalive off for this part: reload with keepalive = off" true
sed -i 's/^keepalive = 1s/keepalive = off/' "$C"
kill -HUP "$SERVE_PID"
wait_for 20 grep -q "configuration reloaded" "$LAB_TMP/serve.log"
n=$(logins) j=$(lines "$J")
cut_sessions
wait_for 10 eval '[ "$(ip netns pids "$SW" | xargs -r -n1 sh -c "cat /proc/\$0/comm" 2>/dev/null | grep -c iosemu)" = 0 ]'
check "session cut: fence through the service" fencer -v fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  logged in anew" test "$(logins)" -gt "$n"
check "  the journal says cold" eval 'journal_since $j | grep "\"step\":\"connect\"" | grep -q "\"detail\":\"cold"'
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

cp "$LAB_TMP/good.conf" "$C"	# keepalive = 1s again
kill -HUP "$SERVE_PID"
wait_for 20 eval '[ "$(grep -c "configuration reloaded" "$LAB_TMP/serve.log")" = 2 ]'
wait_for 20 serve_open
n=$(logins)
cut_sessions
check "session cut: the keepalive logs in again by itself" wait_for 30 eval '[ "$(logins)" -gt "$n" ] && serve_open'
check "  and says so" grep -q "keepalive failed\|opening a new session" "$LAB_TMP/serve.log"
n=$(logins)
check "fence on the reopened session" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  no new login" test "$(logins)" = "$n"
check "unfence" fencer unfence fw1

# --- SIGHUP ---------------------------------------------------------------------------------
# The command line cannot read the bad file: the service is asked raw.
ask() { $SERVECLIENT "$SOCK" send "{\"fencer\":1,\"command\":\"$1\",\"args\":[\"fw1\"],\"config\":\"$(realpath "$C")\"}\n" >"$OUT" 2>&1; }
j=$(lines "$J")
printf 'bogus-key = 1\n' >>"$C"
kill -HUP "$SERVE_PID"
check "SIGHUP with a bad file: reported in the journal" \
	wait_for 20 eval 'journal_since $j | grep "\"step\":\"reload\"" | grep -q "stays in force"'
check "  with the file's line" grep -q "fencer.conf:[0-9]*: .*bogus-key" "$LAB_TMP/serve.log"
n=$(logins)
ask fence
check "  the old configuration still fences, on the kept session" has '"exit_code":0'
check "  Gi0/1 is down" admin_down gi1
check "  no new login" test "$(logins)" = "$n"
ask unfence
check "unfence" has '"exit_code":0'
check "  Gi0/1 is up" admin_up gi1
cp "$LAB_TMP/good.conf" "$C"
sed -i "s|^check-interval = off|check-interval = 1s\nmetrics-file = $LAB_TMP/fencer.prom|" "$C"
kill -HUP "$SERVE_PID"
check "SIGHUP with a good file: taken" \
	wait_for 20 eval '[ "$(grep -c "configuration reloaded" "$LAB_TMP/serve.log")" = 3 ]'
check "  the Prometheus textfile is kept by the service's checks" wait_for 30 grep -q "^fencer_check_status" "$LAB_TMP/fencer.prom"
rm -f "$LAB_TMP/fencer.prom"
check "  and written again" wait_for 30 test -s "$LAB_TMP/fencer.prom"

# --- drift --------------------------------------------------------------------------------------
check "fence fw1" fencer fence fw1
check "  Gi0/1 is down" admin_down gi1
check "  on the session kept across the reload: no new login" test "$(logins)" = "$n"
j=$(lines "$J")
ip -n "$SW" link set dev gi1 up
check "drift: a fenced port up again is alarmed in the journal" \
	wait_for 30 eval 'journal_since $j | grep "\"step\":\"drift\"" | grep "GigabitEthernet0/1" | grep -q failed'
check "  on-drift = alert leaves it up" admin_up gi1
sed -i 's/^check-interval = 1s/check-interval = 1s\non-drift = refence/' "$C"
kill -HUP "$SERVE_PID"
check "on-drift = refence: the port is fenced again" wait_for 30 admin_down gi1
check "  the journal has the fence" wait_for 20 eval 'journal_since $j | grep "\"command\":\"fence\"" | grep -q "\"step\":\"end\""'
check "unfence" fencer unfence fw1
check "  Gi0/1 is up" admin_up gi1

# --- host key changed ------------------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$LAB_TMP/other" -C other
cp "$D/known_hosts" "$LAB_TMP/kh.good"
printf '10.77.0.2 %s\n' "$(cut -d' ' -f1,2 "$LAB_TMP/other.pub")" >"$D/known_hosts"
j=$(lines "$J") n=$(logins)
cut_sessions
check "host key changed: the service raises the alarm" \
	wait_for 30 eval 'journal_since $j | grep "\"step\":\"hostkey\"" | grep -q "HOST KEY CHANGED"'
check "  no login to the CLI" test "$(logins)" = "$n"
check "  fence is refused" eval '! fencer fence fw1'
check "  in the switch's words" has "HOST KEY CHANGED"
check "  Gi0/1 is up" admin_up gi1
check "  the service still runs" kill -0 "$SERVE_PID"
cp "$LAB_TMP/kh.good" "$D/known_hosts"
check "the key trusted again: the service opens the session again" wait_for 60 serve_open
serve_stop
check "SIGTERM: the service ends and removes its socket" test ! -e "$SOCK"
lab_done
