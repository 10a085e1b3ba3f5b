#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fencer/command.h"
#include "fencer/log.h"

#define MAX_ARGS 64
#define MAX_ENV 32

bool command_needs_shell(const char *line)
{
	return strpbrk(line, "|&;<>()$`\\\"'*?[]#~=%{}\n") != NULL;
}

/* The child sees only PATH, a neutral locale and what the caller passes:
 * never fencer's own environment (which may hold anything). */
static void child_exec(char *const argv[], char *const extra[], int in, int out)
{
	char *env[MAX_ENV + 4];
	size_t n = 0;

	env[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	env[n++] = "LC_ALL=C";
	for (size_t i = 0; extra && extra[i] && n < MAX_ENV; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	setpgid(0, 0);
	execvpe(argv[0], argv, env);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void append_output(struct cmd_result *r, size_t *used, int fd, bool *open)
{
	char buf[1024];
	ssize_t n = read(fd, buf, sizeof buf);

	if (n <= 0) {
		*open = false;
		return;
	}
	if (*used + 1 < sizeof r->output) {
		size_t take = (size_t)n < sizeof r->output - 1 - *used ? (size_t)n : sizeof r->output - 1 - *used;

		memcpy(r->output + *used, buf, take);
		*used += take;
		r->output[*used] = '\0';
	}
}

/* Feed input, collect output, until the child closes its output or the
 * deadline passes. */
static void pump(int in, int out, const char *input, const struct deadline *dl, struct cmd_result *r)
{
	size_t used = 0, sent = 0, len = input ? strlen(input) : 0;
	bool out_open = true;

	while (out_open && !deadline_passed(dl)) {
		struct pollfd pfd[2] = { { out, POLLIN, 0 }, { in, POLLOUT, 0 } };
		int n = in >= 0 ? 2 : 1;

		if (poll(pfd, (nfds_t)n, (int)deadline_left_ms(dl) + 1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			append_output(r, &used, out, &out_open);
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
}

static int reap(pid_t pid, const struct deadline *dl, struct cmd_result *r)
{
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (deadline_passed(dl)) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(1000);
	}
	r->status = WIFEXITED(status) && !r->timed_out ? WEXITSTATUS(status) : -1;
	return 0;
}

int command_run_argv(char *const argv[], char *const env[], const char *input,
    const struct deadline *dl, struct cmd_result *r)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 };
	pid_t pid;

	memset(r, 0, sizeof *r);
	r->status = -1;
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0)
		goto fail;
	if ((pid = fork()) < 0)
		goto fail;
	if (pid == 0)
		child_exec(argv, env, inp[0], outp[1]);
	setpgid(pid, pid);	/* both sides, so a kill at the deadline reaches it */
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
	if (!(copy = strdup(line)))
		return -1;
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
