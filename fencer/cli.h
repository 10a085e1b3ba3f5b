/* The command table and what the commands share. */
#ifndef FENCER_CLI_H
#define FENCER_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "fencer/log.h"
#include "fencer/state.h"

#define DEFAULT_CONFIG "/etc/fencer/fencer.conf"
#define MAX_ARGS 64

struct config;
struct cli;
struct run;

struct command {
	const char *name;
	int (*run)(struct cli *);
	const char *args;		/* synopsis of the arguments */
	const char *summary;		/* one line for fencer help */
	const char *help;		/* what it does, for fencer COMMAND --help */
	const char *options;		/* its own options, a line each; NULL: none */
	const char *example;		/* example command lines */
	bool needs_config;
	bool passes_args;		/* ARGS are recorded, not parsed as options */
	bool logs;			/* goes to syslog (acts on the network) */
	bool nagios;			/* a Nagios plugin: errors are UNKNOWN (3), on stdout */
};

struct cli {
	const struct command *cmd;
	const char *config_path;
	bool dry_run;
	bool json;
	bool help;
	int verbose;
	const char *args[MAX_ARGS];
	int nargs;
	struct config *cfg;
	struct invocation invoked;	/* when the process started */
	void *ctx;			/* the fence agent's own state */
	/* fencer serve runs a request as the command line would, its report
	 * into out and err (NULL: stdout, stderr) and its timeline to observe
	 * (struct run). no_serve: never ask the service (it is the service,
	 * or a body the service does not know: fence_fencer's). */
	FILE *out, *err;
	void (*observe)(void *ctx, const char *line, const char *json);
	void *observe_ctx;
	bool no_serve;
};

extern const struct command commands[];

void command_usage(const struct command *, FILE *);
void cli_usage(FILE *);
/* A usage error: the message and the command's synopsis on stderr; with
 * --json also one JSON document on stdout; for check, a Nagios UNKNOWN
 * line. Returns the exit status to use. */
int cli_usage_error(const struct cli *, const char *fmt, ...) PRINTF(2, 3);
/* With --json, an error as the one JSON document on stdout. */
void cli_json_error(int exit_code, const char *fmt, ...) PRINTF(2, 3);
const struct command *cli_find_command(const char *name);
struct config *cli_load_config(struct cli *);
int cmd_help(struct cli *);
/* fencer help / fencer COMMAND --help (c NULL: the list), text or JSON. */
int cli_help(const struct cli *, const struct command *c);
/* Lock, journal, run body, report: what every acting command does. */
int cli_act(struct cli *, const char *name, int (*body)(struct cli *, struct run *));
/* cli_act with the body of promote, demote, fence, unfence or flush, by
 * name (fencer serve); -1 for another name. */
int cli_act_named(struct cli *, const char *name);
/* fencer serve (fencer/serve.c) and the command line's side of it
 * (fencer/serve_client.c): true when the service ran the command, *rc
 * its exit status; false: run standalone. */
bool serve_client_run(struct cli *, const char *name, int *rc);
int cmd_serve(struct cli *);
int cmd_check(struct cli *);
/* fence_fencer: the Pacemaker fence-agent protocol. */
int agent_main(int argc, char **argv);

#endif
