/*
 * fencer: the command line. Parses the global options, finds the command in
 * one table, loads the configuration and hands over to the engine.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/cli.h"
#include "fencer/command.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/threads.h"
#include "fencer/state.h"

/* Global options may come before or after the command name: a user types
 * `fencer status -v` as often as `fencer -v status`. A bare `--` ends them,
 * and so does the first argument of a command that passes its arguments on
 * (promote and demote record what the HA daemon gave them). */
static int parse_options(struct cli *cli, int argc, char **argv)
{
	const char *unknown = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			if (++i == argc) {
				fprintf(stderr, "fencer: %s needs a file name\n", a);
				return -1;
			}
			cli->config_path = argv[i];
		} else if (strcmp(a, "-n") == 0 || strcmp(a, "--dry-run") == 0) {
			cli->dry_run = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			cli->verbose++;
		} else if (strcmp(a, "-vv") == 0) {
			cli->verbose += 2;
		} else if (strcmp(a, "--json") == 0) {
			cli->json = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli->help = true;
		} else if (!cli->cmd && (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)) {
			cli->cmd = cli_find_command("version");
		} else if (!cli->cmd && !unknown && a[0] != '-') {
			if (!(cli->cmd = cli_find_command(a))) {
				unknown = a;
				continue;	/* the error waits: a later --json shapes it */
			}
		} else if (cli->cmd && cli->cmd->passes_args && cli->nargs) {
			break;
		} else if (cli->nargs < MAX_ARGS) {
			cli->args[cli->nargs++] = argv[i];
		}
	}
	for (; i < argc && cli->nargs < MAX_ARGS; i++)
		cli->args[cli->nargs++] = argv[i];
	if (unknown) {
		cli->cmd = NULL;
		cli_usage_error(cli, "unknown command '%s' (fencer help lists them)", unknown);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const char *env = getenv("FENCER_CONFIG");
	int rc;

	invocation_now(&cli.invoked);
	command_kill_on_signals();
	if (strcmp(basename(argv[0]), "fence_fencer") == 0)
		return agent_main(argc, argv);
	cli.config_path = env && *env ? env : DEFAULT_CONFIG;
	if (parse_options(&cli, argc, argv) < 0)
		return EXIT_USAGE;
	if (!cli.cmd && cli.help)
		return cli_help(&cli, NULL);
	if (!cli.cmd) {
		if (cli.json)
			cli_json_error(EXIT_USAGE, "no command given (fencer help lists them)");
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (cli.help)
		return cli_help(&cli, cli.cmd);
	log_init(cli.verbose, cli.cmd->logs);
	if (cli.cmd->needs_config && !(cli.cfg = cli_load_config(&cli)))
		return cli.cmd->nagios ? 3 : EXIT_USAGE;	/* Nagios: UNKNOWN */
	rc = cli.cmd->run(&cli);
	if (threads_left_behind) {
		command_kill_all();	/* a cut worker's agent, and what it started */
		threads_exit(rc);
	}
	config_free(cli.cfg);
	return rc;
}
