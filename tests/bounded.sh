# tests/bounded.sh: sourced by the test runners (run-unit.sh,
# lab/run-tests.sh): no test can hold the suite, and none leaves a process.
#
#   run_bounded SECS LOG CMD...
#
# Runs CMD under timeout(1), output to the file LOG, stdin from /dev/null.
# timeout(1) leads a process group of its own, and CMD and every child it
# starts are in it: at SECS the whole group gets SIGTERM (a lab test's EXIT
# trap then removes its namespaces), and SIGKILL 10 s later. When CMD ends,
# in time or not, whatever it left in the group is killed: a forked child
# that outlives a failed assertion (one waiting in pause(), say) neither
# holds the suite nor lingers. LOG is a file, not a pipe: a reader of a pipe
# would wait for such a child too. Returns CMD's status: 124 when SECS ran
# out, 137 when it had to be killed.
run_bounded() {
	local secs=$1 log=$2 pid rc
	shift 2
	timeout -k 10 "$secs" "$@" >"$log" 2>&1 </dev/null &
	pid=$!
	wait "$pid" 2>/dev/null	# not bash's own "Killed" line
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	return $rc
}

# bounded_why RC SECS: a line for a test that ran out of time, else nothing.
bounded_why() {
	case $1 in
	124|137) echo "timed out after $2 s: the test and its children were killed";;
	esac
}
