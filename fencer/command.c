/*
 * A child never outlives its use: it runs in a process group of its own,
 * killed whole at its deadline; the kernel kills it when the thread that
 * started it dies (PR_SET_PDEATHSIG: fencer killed with -9, or leaving at
 * the run's deadline while a worker still waits for it); and a fencer
 * stopped with SIGTERM, SIGINT or SIGHUP kills every group still running
 * first. It inherits no descriptor but 0-2 (net-snmp's sockets are not
 * close-on-exec), no ignored signal and no blocked one.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/command.h"
#include "fencer/log.h"
#include "fencer/redact.h"

#define MAX_ARGS 64
#define MAX_ENV 32
#define MAX_LIVE 1024		/* children killed on a signal; PDEATHSIG covers more */

/* The process groups of the children running now. Lock-free, so that the
 * signal handler may read it. */
static _Atomic pid_t live[MAX_LIVE];
static pid_t installer;		/* the process the handler is fencer's own in */

static void live_add(pid_t pid)
{
	for (size_t i = 0; i < MAX_LIVE; i++) {
		pid_t none = 0;

		if (atomic_compare_exchange_strong(&live[i], &none, pid))
			return;
	}
}

static void live_remove(pid_t pid)
{
	for (size_t i = 0; i < MAX_LIVE; i++) {
		pid_t p = pid;

		if (atomic_compare_exchange_strong(&live[i], &p, 0))
			return;
	}
}

void command_kill_all(void)
{
	for (size_t i = 0; i < MAX_LIVE; i++) {
		pid_t p = atomic_load(&live[i]);

		if (p > 0)
			kill(-p, SIGKILL);
	}
}

/* In a process forked from fencer (the announce rounds), the table is a
 * stale copy: it kills nothing there. */
static void on_stop_signal(int sig)
{
	int saved = errno;

	if (getpid() == installer)
		command_kill_all();
	errno = saved;
	raise(sig);		/* the default action, restored on entry */
}

void command_kill_on_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESETHAND };

	installer = getpid();
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}

bool command_needs_shell(const char *line)
{
	return strpbrk(line, "|&;<>()$`\\\"'*?[]#~=%{}\n") != NULL;
}

/* Everything above 2: close_range, or one by one below the limit where the
 * kernel lacks it. */
static void close_from_3(int max_fd)
{
	if (close_range(3, ~0U, 0) == 0)
		return;
	for (int fd = 3; fd < max_fd; fd++)
		close(fd);
}

/* Dies with the thread that started it; an orphan already is gone. */
static void die_with_parent(pid_t parent)
{
	sigset_t none;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);	/* fencer ignores it; the command must not */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The child sees only PATH, a neutral locale and what the caller passes:
 * never fencer's own environment (which may hold anything). */
static void child_exec(char *const argv[], char *const extra[], int in, int out, pid_t parent,
    int max_fd)
{
	char *env[MAX_ENV + 4];
	size_t n = 0;

	env[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	env[n++] = "LC_ALL=C";
	for (size_t i = 0; extra && extra[i] && n < MAX_ENV; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	setpgid(0, 0);
	die_with_parent(parent);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	close_from_3(max_fd);
	execvpe(argv[0], argv, env);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void append_output(struct cmd_result *r, size_t *used, int fd, bool *open, bool *cut)
{
	char buf[1024];
	ssize_t n = read(fd, buf, sizeof buf);
	size_t take;

	if (n <= 0) {
		*open = false;
		return;
	}
	take = (size_t)n < sizeof r->output - 1 - *used ? (size_t)n : sizeof r->output - 1 - *used;
	memcpy(r->output + *used, buf, take);
	*used += take;
	r->output[*used] = '\0';
	*cut = *cut || take < (size_t)n;
}

/* Feed input, collect output, until the child closes its output or the
 * deadline passes. The output may echo a secret (an agent that prints its
 * community): it is masked before anyone sees it. */
static void pump(int in, int out, const char *input, const struct deadline *dl, struct cmd_result *r)
{
	size_t used = 0, sent = 0, len = input ? strlen(input) : 0;
	bool out_open = true, cut = false;

	while (out_open && !deadline_passed(dl)) {
		struct pollfd pfd[2] = { { out, POLLIN, 0 }, { in, POLLOUT, 0 } };
		int n = in >= 0 ? 2 : 1;

		if (poll(pfd, (nfds_t)n, (int)deadline_left_ms(dl) + 1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			append_output(r, &used, out, &out_open, &cut);
		if (in >= 0 && pfd[1].revents) {
			ssize_t w = sent < len ? write(in, input + sent, len - sent) : 0;

			if (w > 0)
				sent += (size_t)w;
			if (w < 0 || sent >= len) {
				close(in);
				in = -1;
			}
		}
	}
	if (in >= 0)
		close(in);
	redact_buf(r->output, sizeof r->output, cut);
}

/* Wait for the child until the deadline, then kill its group. It leaves
 * the table of live children before it is reaped: after that its number
 * may name another process. */
static int reap(pid_t pid, const struct deadline *dl, struct cmd_result *r)
{
	siginfo_t info;
	int status, rc = 0;

	for (;;) {
		info.si_pid = 0;
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		if (info.si_pid == pid)
			break;
		if (deadline_passed(dl)) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		usleep(1000);
	}
	live_remove(pid);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	r->status = WIFEXITED(status) && !r->timed_out ? WEXITSTATUS(status) : -1;
	return rc;
}

int command_run_argv(char *const argv[], char *const env[], const char *input,
    const struct deadline *dl, struct cmd_result *r)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 };
	pid_t pid, parent = getpid();
	struct rlimit rl;
	int max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;

	memset(r, 0, sizeof *r);
	r->status = -1;
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0)
		goto fail;
	if ((pid = fork()) < 0)
		goto fail;
	if (pid == 0)
		child_exec(argv, env, inp[0], outp[1], parent, max_fd);
	setpgid(pid, pid);	/* both sides, so a kill at the deadline reaches it */
	live_add(pid);
	close(inp[0]);
	close(outp[1]);
	signal(SIGPIPE, SIG_IGN);
	pump(inp[1], outp[0], input, dl, r);
	close(outp[0]);
	return reap(pid, dl, r);
fail:
	snprintf(r->output, sizeof r->output, "cannot start %s: %s", argv[0], strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0)
			close(inp[i]);
		if (outp[i] >= 0)
			close(outp[i]);
	}
	return -1;
}

int command_run_line(const char *line, char *const env[], const char *input,
    const struct deadline *dl, struct cmd_result *r)
{
	char *copy, *argv[MAX_ARGS + 1], *save = NULL;
	size_t n = 0;
	int rc;

	if (command_needs_shell(line)) {
		char *sh[] = { "/bin/sh", "-c", (char *)line, NULL };

		return command_run_argv(sh, env, input, dl, r);
	}
	copy = xstrdup(line);
	for (char *w = strtok_r(copy, " \t", &save); w && n < MAX_ARGS; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n] = NULL;
	if (!n) {
		free(copy);
		memset(r, 0, sizeof *r);
		snprintf(r->output, sizeof r->output, "empty command");
		r->status = -1;
		return -1;
	}
	rc = command_run_argv(argv, env, input, dl, r);
	free(copy);
	return rc;
}

const char *command_last_line(const struct cmd_result *r, char *buf, size_t len)
{
	const char *end = r->output + strlen(r->output), *start;

	while (end > r->output && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > r->output && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	return buf;
}
