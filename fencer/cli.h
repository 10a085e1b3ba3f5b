/* The command table and what the commands share. */
#ifndef FENCER_CLI_H
#define FENCER_CLI_H

#include <stdbool.h>
#include <stdio.h>

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
	const char *help;		/* more, for fencer COMMAND --help */
	bool needs_config;
	bool passes_args;		/* ARGS are recorded, not parsed as options */
	bool logs;			/* goes to syslog (acts on the network) */
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
};

extern const struct command commands[];

void command_usage(const struct command *, FILE *);
void cli_usage(FILE *);
const struct command *cli_find_command(const char *name);
struct config *cli_load_config(struct cli *);
int cmd_help(struct cli *);
/* Lock, journal, run body, report: what every acting command does. */
int cli_act(struct cli *, const char *name, int (*body)(struct cli *, struct run *));
/* fence_fencer: the Pacemaker fence-agent protocol. */
int agent_main(int argc, char **argv);

#endif
