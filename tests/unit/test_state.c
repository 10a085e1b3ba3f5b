/* State files, the lock between processes, the deadline maths and the
 * program runner. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "fencer/command.h"
#include "fencer/deadline.h"
#include "fencer/journal.h"
#include "fencer/state.h"

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static void test_deadline(void **state)
{
	struct deadline parent, child;

	(void)state;
	deadline_start(&parent, 1000);
	assert_false(deadline_passed(&parent));
	assert_true(deadline_left_ms(&parent) > 900 && deadline_left_ms(&parent) <= 1000);
	deadline_sub(&child, &parent, 200);		/* the switch timeout is shorter */
	assert_true(deadline_left_ms(&child) <= 200);
	deadline_sub(&child, &parent, 60000);		/* the run's deadline is shorter */
	assert_true(deadline_left_ms(&child) <= 1000);
	deadline_start(&child, 0);
	assert_true(deadline_passed(&child));
	assert_int_equal(deadline_left_ms(&child), 0);
	deadline_start(&child, -5);
	assert_int_equal(deadline_left_ms(&child), 0);
	deadline_start(&child, 1999);			/* nanosecond carry */
	assert_true(deadline_abstime(&child).tv_nsec < 1000000000);
}

static void test_fenced_roundtrip(void **state)
{
	const char *dir = tu_tmpdir();
	struct fenced f = { 0 }, g;
	char err[256], path[512];
	struct stat st;

	(void)state;
	assert_int_equal(fenced_load(dir, &g, err, sizeof err), 0);	/* none yet: empty */
	assert_int_equal(g.n, 0);
	fenced_add(&f, "fw1", "core", "Gi0/1", "2026-11-26T10:00:00.000Z");
	fenced_add(&f, "fw1", "core", "Gi0/1", "2026-11-26T11:00:00.000Z");	/* kept once, first time */
	fenced_add(&f, "fw1", "access", "12", "2026-11-26T10:00:00.000Z");
	assert_int_equal(f.n, 2);
	assert_int_equal(fenced_save(dir, &f, err, sizeof err), 0);
	assert_int_equal(fenced_load(dir, &g, err, sizeof err), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(fenced_find(&g, "core", "Gi0/1")->since, "2026-11-26T10:00:00.000Z");
	assert_true(fenced_remove(&g, "core", "Gi0/1"));
	assert_false(fenced_remove(&g, "core", "Gi0/1"));
	assert_int_equal(g.n, 1);
	snprintf(path, sizeof path, "%s/fenced.json.tmp.%ld", dir, (long)getpid());
	assert_int_equal(stat(path, &st), -1);		/* no temp file left behind */
	fenced_free(&f);
	fenced_free(&g);
}

static size_t files_starting(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* The temporary file had a predictable name (fenced.json.tmp.PID) and was
 * opened with O_TRUNC through whatever was there: a link planted under it
 * made root overwrite the file it pointed to. */
static void test_atomic_write_through_no_planted_link(void **state)
{
	const char *dir = tu_tmpdir();
	char link[600], *victim = tu_write("victim", "precious\n", 0600);
	struct fenced f = { 0 };
	char err[256];

	(void)state;
	snprintf(link, sizeof link, "%s/fenced.json.tmp.%ld", dir, (long)getpid());
	assert_int_equal(symlink(victim, link), 0);
	fenced_add(&f, "fw1", "core", "Gi0/1", "2026-11-26T10:00:00.000Z");
	assert_int_equal(fenced_save(dir, &f, err, sizeof err), 0);
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(unlink(link), 0);
	assert_int_equal(files_starting(dir, "fenced.json.tmp."), 0);
	fenced_free(&f);
}

static struct config *state_config(void)
{
	struct cfg_errors errs = { 0 };
	char text[600];
	struct config *c;

	snprintf(text, sizeof text, "[fencer]\nnode = fw2\nstate-dir = %s\n", tu_tmpdir());
	c = tu_config(text, &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	return c;
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("a file operation on a FIFO blocked");
}

/* A FIFO or a link in the state folder (planted when it was writable by
 * others): the journal is not written through it, and nothing waits on it. */
static void test_journal_never_through_fifo_or_link(void **state)
{
	struct config *c = state_config();
	char path[600], *victim = tu_write("victim", "precious\n", 0600);
	struct fenced f;
	struct last_result lr;
	struct run run;
	char err[256];

	(void)state;
	snprintf(path, sizeof path, "%s/journal.jsonl", tu_tmpdir());
	assert_int_equal(mkfifo(path, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	run_init(&run, c, "promote", false);
	run_open_journal(&run);
	assert_true(run.journal_failed);
	run_close(&run);
	snprintf(path, sizeof path, "%s/fenced.json", tu_tmpdir());
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(fenced_load(tu_tmpdir(), &f, err, sizeof err), -1);
	snprintf(path, sizeof path, "%s/last-promote.json", tu_tmpdir());
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(last_result_load(tu_tmpdir(), &lr), -1);
	alarm(0);
	snprintf(path, sizeof path, "%s/journal.jsonl", tu_tmpdir());
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(victim, path), 0);
	run_init(&run, c, "promote", false);
	run_open_journal(&run);
	run_note(&run, "reason", OUT_OK, "appended through a link");
	assert_true(run.journal_failed);
	run_close(&run);
	assert_string_equal(slurp(victim), "precious\n");
	config_free(c);
}

/* A run cut by a power loss leaves half a line: the next record starts on
 * a line of its own. */
static void test_journal_after_a_torn_line(void **state)
{
	struct config *c = state_config();
	char *path = tu_write("journal.jsonl", "{\"time\":\"2026-11-26T10:00:00.000Z\",\"step\":\"fe", 0640);
	char *text, *nl;
	json_error_t jerr;
	json_t *doc;
	struct run run;

	(void)state;
	run_init(&run, c, "promote", false);
	run_open_journal(&run);
	run_note(&run, "begin", OUT_START, NULL);
	run_close(&run);
	text = slurp(path);
	nl = strchr(text, '\n');
	assert_non_null(nl);
	assert_null(strstr(text, "\"fe{"));
	doc = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "step")), "begin");
	json_decref(doc);
	config_free(c);
}

static void test_fenced_corrupt_is_an_error(void **state)
{
	struct fenced f;
	char err[256];

	(void)state;
	tu_write("fenced.json", "{\"ports\": [ {\"switch\": ", 0600);
	assert_int_equal(fenced_load(tu_tmpdir(), &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "fenced.json"));
}

static void test_atomic_write_keeps_old_on_failure(void **state)
{
	char err[256], buf[64] = "", *path = tu_write("target", "old", 0600);
	FILE *fp;

	(void)state;
	assert_int_equal(atomic_write(path, "new", 3, err, sizeof err), 0);
	fp = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, fp));
	fclose(fp);
	assert_string_equal(buf, "new");
	assert_int_equal(atomic_write("/nonexistent/dir/x", "y", 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/dir/x"));
}

/* Two processes: the child holds the lock; the parent waits, gives up at its
 * deadline while the child holds it, and gets it once the child is gone
 * (even killed with -9). */
static void test_lock_between_processes(void **state)
{
	const char *dir = tu_tmpdir();
	int pipefd[2], fd;
	bool waited;
	char err[256], c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		int mine = lock_take(dir, 1000, &waited, err, sizeof err);

		if (write(pipefd[1], mine >= 0 ? "y" : "n", 1) < 0)
			_exit(2);
		pause();
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	fd = lock_take(dir, 100, &waited, err, sizeof err);
	assert_int_equal(fd, -1);
	assert_true(waited);
	assert_non_null(strstr(err, "still holds"));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fd = lock_take(dir, 1000, &waited, err, sizeof err);
	assert_true(fd >= 0);
	lock_release(fd);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void test_last_result(void **state)
{
	struct last_result a = { .finished_ms = 1234567890123LL, .exit_code = 3 }, b;

	(void)state;
	snprintf(a.summary, sizeof a.summary, "fw2 promoted: fw1 fenced (2 ports)");
	assert_int_equal(last_result_save(tu_tmpdir(), &a), 0);
	assert_int_equal(last_result_load(tu_tmpdir(), &b), 0);
	assert_true(b.finished_ms == a.finished_ms);
	assert_int_equal(b.exit_code, 3);
	assert_string_equal(b.summary, a.summary);
}

static void test_command_without_shell(void **state)
{
	struct cmd_result r;
	struct deadline dl;
	char *env[] = { "FENCER_NODE=fw2", NULL };

	(void)state;
	assert_false(command_needs_shell("ip link set dev br0 up"));
	assert_true(command_needs_shell("ip link set dev br0 up; reboot"));
	assert_true(command_needs_shell("echo $HOME"));
	assert_true(command_needs_shell("a | b"));
	deadline_start(&dl, 5000);
	/* Split on blanks and run directly. */
	assert_int_equal(command_run_line("/bin/echo  two\twords", NULL, NULL, &dl, &r), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.output, "two words\n");
	/* With shell syntax, the shell runs it. */
	assert_int_equal(command_run_line("echo a; echo b", NULL, NULL, &dl, &r), 0);
	assert_string_equal(r.output, "a\nb\n");
	/* Clean environment: only PATH, LC_ALL and what fencer passes. */
	setenv("FENCER_TEST_SECRET", "hunter2", 1);
	assert_int_equal(command_run_line("env", env, NULL, &dl, &r), 0);
	assert_null(strstr(r.output, "hunter2"));
	assert_non_null(strstr(r.output, "FENCER_NODE=fw2"));
	/* stdin is fed, stdout read back. */
	assert_int_equal(command_run_line("cat", NULL, "action=off\nport=1\n", &dl, &r), 0);
	assert_string_equal(r.output, "action=off\nport=1\n");
	assert_int_equal(command_run_line("false", NULL, NULL, &dl, &r), 0);
	assert_int_equal(r.status, 1);
	assert_int_equal(command_run_line("/nonexistent/prog", NULL, NULL, &dl, &r), 0);
	assert_int_equal(r.status, 127);
}

static void test_command_cut_at_deadline(void **state)
{
	struct cmd_result r;
	struct deadline dl;
	char last[128];

	(void)state;
	deadline_start(&dl, 200);
	/* A shell that starts a grandchild: the whole group goes at the deadline. */
	assert_int_equal(command_run_line("sleep 30 & echo started; wait", NULL, NULL, &dl, &r), 0);
	assert_true(r.timed_out);
	assert_int_equal(r.status, -1);
	assert_string_equal(command_last_line(&r, last, sizeof last), "started");
}

/* net-snmp's sockets are not close-on-exec: a child gets 0-2 only. */
static void test_command_gets_no_other_descriptor(void **state)
{
	struct cmd_result r;
	struct deadline dl;
	char line[64];
	int fd = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC, like net-snmp's */

	(void)state;
	assert_true(fd > 2);
	deadline_start(&dl, 5000);
	snprintf(line, sizeof line, "test -e /proc/self/fd/%d", fd);
	assert_int_equal(command_run_line(line, NULL, NULL, &dl, &r), 0);
	assert_int_equal(r.status, 1);
	assert_int_equal(command_run_line("test -e /proc/self/fd/2", NULL, NULL, &dl, &r), 0);
	assert_int_equal(r.status, 0);
	close(fd);
}

/* A process that is gone, or a zombie waiting for init to reap it. */
static bool dead(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *fp;
	bool zombie = false;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (!(fp = fopen(path, "r")))
		return true;
	if (fgets(buf, sizeof buf, fp) && (p = strrchr(buf, ')')))
		zombie = p[1] == ' ' && p[2] == 'Z';
	fclose(fp);
	return zombie;
}

static bool dies_within(pid_t pid, int seconds)
{
	for (int i = 0; i < seconds * 20; i++) {
		if (dead(pid))
			return true;
		usleep(50000);
	}
	return false;
}

static pid_t read_pid(const char *path)
{
	long pid = 0;

	for (int i = 0; i < 200 && pid <= 0; i++) {
		FILE *fp = fopen(path, "r");

		if (fp) {
			if (fscanf(fp, "%ld", &pid) != 1)
				pid = 0;
			fclose(fp);
		}
		if (pid <= 0)
			usleep(50000);
	}
	assert_true(pid > 0);
	return (pid_t)pid;
}

/* "fencer" here is a child process running a command with a long deadline;
 * `line` writes the pid to watch to pidfile. */
static pid_t fencer_running(const char *line, bool handle_signals)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct cmd_result r;
		struct deadline dl;

		if (handle_signals)
			command_kill_on_signals();
		deadline_start(&dl, 60000);
		command_run_line(line, NULL, NULL, &dl, &r);
		_exit(0);
	}
	return pid;
}

/* fencer killed with -9 (or leaving at the deadline): its child goes with
 * it, not on to finish an `off` that nobody waits for. */
static void test_command_dies_with_fencer(void **state)
{
	char line[700], pidfile[600];
	pid_t fencer, child;

	(void)state;
	snprintf(pidfile, sizeof pidfile, "%s/child.pid", tu_tmpdir());
	snprintf(line, sizeof line, "echo $$ >%s; exec sleep 60", pidfile);
	fencer = fencer_running(line, false);
	child = read_pid(pidfile);
	kill(fencer, SIGKILL);
	waitpid(fencer, NULL, 0);
	assert_true(dies_within(child, 10));
}

/* fencer stopped with SIGTERM: the whole group of its child goes first
 * (here a shell and the sleep it started), then fencer dies of SIGTERM. */
static void test_command_group_killed_on_sigterm(void **state)
{
	char line[700], pidfile[600];
	pid_t fencer, grandchild;
	int status;

	(void)state;
	snprintf(pidfile, sizeof pidfile, "%s/grandchild.pid", tu_tmpdir());
	snprintf(line, sizeof line, "sleep 60 & echo $! >%s; wait", pidfile);
	fencer = fencer_running(line, true);
	grandchild = read_pid(pidfile);
	kill(fencer, SIGTERM);
	waitpid(fencer, &status, 0);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	assert_true(dies_within(grandchild, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test_teardown(test_fenced_roundtrip, teardown),
		cmocka_unit_test_teardown(test_fenced_corrupt_is_an_error, teardown),
		cmocka_unit_test_teardown(test_atomic_write_keeps_old_on_failure, teardown),
		cmocka_unit_test_teardown(test_lock_between_processes, teardown),
		cmocka_unit_test_teardown(test_last_result, teardown),
		cmocka_unit_test(test_command_without_shell),
		cmocka_unit_test(test_command_cut_at_deadline),
		cmocka_unit_test_teardown(test_atomic_write_through_no_planted_link, teardown),
		cmocka_unit_test_teardown(test_journal_never_through_fifo_or_link, teardown),
		cmocka_unit_test_teardown(test_journal_after_a_torn_line, teardown),
		cmocka_unit_test(test_command_gets_no_other_descriptor),
		cmocka_unit_test_teardown(test_command_dies_with_fencer, teardown),
		cmocka_unit_test_teardown(test_command_group_killed_on_sigterm, teardown),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
