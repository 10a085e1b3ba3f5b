/* What the command line shares: finding commands, help, usage errors,
 * loading the configuration with every error shown. With --json, stdout
 * holds exactly one JSON document, whatever happens. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"

#define NAGIOS_UNKNOWN 3

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
	    "       fencer -V|--version\n"
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
	    "  -n, --dry-run  print what would run, touch nothing\n"
	    "  -v             print the timeline on stderr as it happens (-vv: debug)\n"
	    "  --json         one JSON document on stdout, also for errors\n"
	    "  -V, --version  the version of fencer\n"
	    "  -h, --help     this help; fencer COMMAND --help for one command\n"
	    "\n"
	    "exit status: 0 success, 1 the action failed, 2 usage or configuration error,\n"
	    "3 the critical part succeeded but a later step failed (check: Nagios codes).\n"
	    "See fencer(8) and fencer.conf(5).\n", DEFAULT_CONFIG);
}

/* What it does, its options, an example: every command's help says all
 * three. */
void command_usage(const struct command *c, FILE *out)
{
	fprintf(out, "usage: fencer [-c FILE] [-n] [-v] [--json] %s%s%s\n\n%s.\n", c->name, *c->args ? " " : "",
	    c->args, c->summary);
	if (c->help)
		fprintf(out, "\n%s", c->help);
	fprintf(out, "\noptions:\n%s  (and the global options: fencer help)\n", c->options ? c->options :
	    "  none of its own\n");
	fprintf(out, "\nexample%s:\n%s", strchr(c->example, '\n') != strrchr(c->example, '\n') ? "s" : "",
	    c->example);
}

void cli_json_error(int exit_code, const char *fmt, ...)
{
	char msg[2048], *s;
	json_t *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	o = json_pack("{s:s, s:i}", "error", msg, "exit_code", exit_code);
	if ((s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		printf("%s\n", s);
	free(s);
	json_decref(o);
}

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	int code = cli->cmd && cli->cmd->nagios ? NAGIOS_UNKNOWN : EXIT_USAGE;
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "fencer: %s\n", msg);
	if (cli->cmd)
		fprintf(stderr, "usage: fencer %s%s%s (fencer %s --help)\n", cli->cmd->name,
		    *cli->cmd->args ? " " : "", cli->cmd->args, cli->cmd->name);
	if (cli->json)
		cli_json_error(code, "%s", msg);
	else if (cli->cmd && cli->cmd->nagios)
		printf("FENCER UNKNOWN - %s\n", msg);
	return code;
}

static void config_errors_json(const struct cli *cli, const struct cfg_errors *errs)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:[]}", "error", "configuration", "file", cli->config_path,
	    "exit_code", cli->cmd && cli->cmd->nagios ? NAGIOS_UNKNOWN : EXIT_USAGE, "errors");
	json_t *list = json_object_get(o, "errors");
	char *s;

	for (size_t i = 0; i < errs->lines.n; i++)
		json_array_append_new(list, json_string(errs->lines.v[i]));
	if ((s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		printf("%s\n", s);
	free(s);
	json_decref(o);
}

/* Load the configuration; on error print every FILE:LINE: message, and
 * for a Nagios plugin an UNKNOWN line with the first. */
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
		if (cli->json)
			config_errors_json(cli, &errs);
		else if (cli->cmd && cli->cmd->nagios)
			printf("FENCER UNKNOWN - configuration: %s%s\n", errs.lines.n ? errs.lines.v[0] : "",
			    errs.lines.n > 1 ? " (and more: fencer configtest)" : "");
	}
	cfg_errors_free(&errs);
	return cfg;
}

static json_t *command_json(const struct command *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "command", c->name, "args", c->args, "summary",
	    c->summary, "help", c->help ? c->help : "", "options", c->options ? c->options : "", "example",
	    c->example);
}

static void print_json(json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(doc);
}

int cli_help(const struct cli *cli, const struct command *c)
{
	json_t *list;

	if (!cli->json) {
		if (c)
			command_usage(c, stdout);
		else
			cli_usage(stdout);
		return EXIT_OK;
	}
	if (c) {
		print_json(command_json(c));
		return EXIT_OK;
	}
	list = json_array();
	for (c = commands; c->name; c++)
		json_array_append_new(list, command_json(c));
	print_json(list);
	return EXIT_OK;
}

int cmd_help(struct cli *cli)
{
	const struct command *c = NULL;

	if (cli->nargs && !(c = cli_find_command(cli->args[0])))
		return cli_usage_error(cli, "unknown command '%s' (fencer help lists them)", cli->args[0]);
	return cli_help(cli, c);
}
