/* Running outside programs (activate/deactivate commands, exec-driver fence
 * agents): without a shell when the line has no shell syntax, with a clean
 * environment and no descriptor but 0-2, fed on stdin, cut at the deadline,
 * and never outliving fencer. */
#ifndef FENCER_COMMAND_H
#define FENCER_COMMAND_H

#include <stdbool.h>

#include "fencer/deadline.h"

struct cmd_result {
	int status;		/* exit code; -1 if it did not exit normally */
	bool timed_out;		/* killed at the deadline */
	char output[4096];	/* stdout and stderr, as much as fits */
};

/* Extra environment for the child: NAME=VALUE strings, NULL-terminated. */
int command_run_argv(char *const argv[], char *const env[], const char *input,
    const struct deadline *, struct cmd_result *);
int command_run_line(const char *line, char *const env[], const char *input,
    const struct deadline *, struct cmd_result *);
/* True if the line needs /bin/sh (quotes, pipes, redirections, variables). */
bool command_needs_shell(const char *line);
/* The last non-empty line of the output, for one-line error messages. */
const char *command_last_line(const struct cmd_result *, char *buf, size_t len);
/* Kill the process group of every child still running (async-signal-safe):
 * before fencer leaves with a worker cut at the deadline. */
void command_kill_all(void);
/* On SIGTERM, SIGINT and SIGHUP, kill every child's group, then die of the
 * signal as before. */
void command_kill_on_signals(void);

#endif
