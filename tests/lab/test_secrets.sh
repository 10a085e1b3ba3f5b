#!/usr/bin/env bash
# Secrets never leave their files: every secret file of the configuration
# holds a unique marker, every command runs (successes and failures), and
# no marker may appear in stdout, stderr, the journal, fenced.json, --json
# output, a child's argv or a child's environment. The fence agent here is
# a script that records its argv and environment (it gets the secret on
# stdin, which is the protocol) and answers like a fence agent.
set -u
. "$(dirname "$0")/lib.sh"
lab_init se
: "${FENCER:?FENCER must name the fencer binary}"
AGENT_BIN=$(dirname "$FENCER")/fence_fencer
S=$LAB_TMP/state C=$LAB_TMP/fencer.conf O=$LAB_TMP/out
mkdir -p "$S" "$LAB_TMP/etc"
markers=()
for name in agent.pw agent.community dead.pw smtp.pw trap.community; do
	m="MARKER$(lab_rand 6)"
	markers+=("$m")
	lab_secret "$LAB_TMP/etc/$name" "$m"
done
secret() { echo "$LAB_TMP/etc/$1"; }
# fencer gives children a clean environment: the paths are written in.
cat >"$LAB_TMP/agent" <<EOA
#!/bin/sh
# A fence agent that remembers how it was called.
{ echo "argv: \$0 \$*"; env | sed 's/^/env: /'; } >>$LAB_TMP/agent.log
input=\$(cat)
port=\$(printf '%s\\n' "\$input" | sed -n 's/^port=//p')
case "\$input" in
*action=status*) [ -e $LAB_TMP/off.\$port ] && exit 2 || exit 0;;
*action=off*) touch $LAB_TMP/off.\$port; exit 0;;
*action=on*) rm -f $LAB_TMP/off.\$port; exit 0;;
*action=monitor*) exit 0;;
esac
exit 1
EOA
chmod 755 "$LAB_TMP/agent"
AGENT_LOG=$LAB_TMP/agent.log
cat >"$C" <<EOC
[fencer]
node = fw2
state-dir = $S
deadline = 5s
activate = true
[switch sw]
driver = exec
agent = $LAB_TMP/agent
option-file = password $(secret agent.pw)
option-file = community $(secret agent.community)
[switch dead]
driver = exec
agent = /bin/false
option-file = password $(secret dead.pw)
[node fw1]
port = sw 1
[node fw2]
port = sw 2
[notify]
mail-to = noc@example.invalid
mail-from = fencer@example.invalid
smtp-url = smtp://127.0.0.1:9
smtp-user = fencer
smtp-password-file = $(secret smtp.pw)
trap = udp:127.0.0.1:9
trap-community-file = $(secret trap.community)
timeout = 1s
EOC
f() { "$FENCER" -c "$C" "$@" >>"$O" 2>&1; }
f configtest; f -v promote --reason test; f --json promote; f status; f --json status
f check; f --json check; f -v fence fw1; f -v unfence fw1; f unfence fw1 --all
f flush; f -v demote; f boot; f -n promote
printf 'action=off\nport=fw1\nconfig=%s\n' "$C" | "$AGENT_BIN" >>"$O" 2>&1
printf 'action=status\nport=fw1\nconfig=%s\n' "$C" | "$AGENT_BIN" >>"$O" 2>&1
# Broken secrets: the errors name the file, never the content.
chmod 644 "$LAB_TMP/etc/agent.pw"
f configtest
chmod 600 "$LAB_TMP/etc/agent.pw"

[ -s "$AGENT_LOG" ] || lab_die "the agent never ran: the test would prove nothing"
grep -q "^argv: " "$AGENT_LOG" || lab_die "the agent log has no argv line"
for m in "${markers[@]}"; do
	for file in "$O" "$S/journal.jsonl" "$S/fenced.json" "$AGENT_LOG"; do
		[ -e "$file" ] || continue
		if grep -q "$m" "$file"; then
			lab_die "secret $m leaked into $(basename "$file"): $(grep -m1 "$m" "$file")"
		fi
	done
done
grep -q "accessible by group or others" "$O" || lab_die "the loose secret file was not reported"
echo "secrets: ${#markers[@]} markers, none in output, journal, state, or a child's argv and environment"
