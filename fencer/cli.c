/* What the command line shares: finding commands, help, loading the
 * configuration with every error shown. */
#include <stdio.h>
#include <string.h>

#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"

const struct command *cli_find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_usage(FILE *out)
{
	fprintf(out,
	    "usage: fencer [-c FILE] [-n|--dry-run] [-v] [--json] COMMAND [ARGS]\n"
	    "\n"
	    "Fences the old master of a bridging firewall pair at failover: shuts its\n"
	    "switch ports and verifies them, activates this node, flushes MAC tables,\n"
	    "announces, and tells the operators.\n"
	    "\n"
	    "commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-18s %s\n", c->name, c->summary);
	fprintf(out,
	    "\n"
	    "options:\n"
	    "  -c FILE        configuration file (default: $FENCER_CONFIG or %s)\n"
	    "  -n, --dry-run  print the plan, touch nothing\n"
	    "  -v             print the timeline on stderr as it happens (-vv: debug)\n"
	    "  --json         machine-readable output on stdout\n"
	    "  -h, --help     this help; fencer COMMAND --help for one command\n"
	    "\n"
	    "exit status: 0 success, 1 the action failed, 2 usage or configuration error,\n"
	    "3 the critical part succeeded but a later step failed (check: Nagios codes).\n"
	    "See fencer(8) and fencer.conf(5).\n", DEFAULT_CONFIG);
}

void command_usage(const struct command *c, FILE *out)
{
	fprintf(out, "usage: fencer [options] %s%s%s\n\n%s\n%s", c->name, *c->args ? " " : "", c->args,
	    c->summary, c->help ? c->help : "");
}

/* Load the configuration; on error print every FILE:LINE: message. */
struct config *cli_load_config(struct cli *cli)
{
	struct cfg_errors errs = { 0 };
	struct config *cfg;

	cfg = config_load(cli->config_path, &errs);
	if (!cfg) {
		for (size_t i = 0; i < errs.lines.n; i++)
			fprintf(stderr, "%s\n", errs.lines.v[i]);
		fprintf(stderr, "fencer: %zu error%s in %s%s\n", cfg_error_count(&errs),
		    cfg_error_count(&errs) == 1 ? "" : "s", cli->config_path,
		    errs.dropped ? " (the first ones shown)" : "");
	}
	cfg_errors_free(&errs);
	return cfg;
}

int cmd_help(struct cli *cli)
{
	const struct command *c;

	if (!cli->nargs) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	if (!(c = cli_find_command(cli->args[0]))) {
		fprintf(stderr, "fencer: unknown command '%s'\n", cli->args[0]);
		return EXIT_USAGE;
	}
	command_usage(c, stdout);
	return EXIT_OK;
}
