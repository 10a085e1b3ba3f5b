/*
 * fence_fencer: fencer as a Pacemaker / ClusterLabs fence agent. Options
 * come as key=value lines on stdin (as pacemaker-fenced sends them) or on the
 * command line; `port` (or `plug`) names a fencer node, meaning all its
 * ports, or one port as SWITCH:PORT. Exit codes are the fence-agent API's:
 * on/off 0 success, 1 failure; status/monitor 0 on, 1 error, 2 off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/agent_parse.h"
#include "fencer/cli.h"
#include "fencer/command.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/threads.h"
#include "fencer/redact.h"
#include "fencer/state.h"

enum { AG_OK = 0, AG_FAIL = 1, AG_OFF = 2 };

static void metadata(void)
{
	printf("<?xml version=\"1.0\" ?>\n"
	    "<resource-agent name=\"fence_fencer\" shortdesc=\"Fence agent for bridging firewalls: "
	    "shuts their switch ports through fencer\" >\n"
	    "<longdesc>fence_fencer fences a node by shutting its switch ports (Cisco IOS over SSH, "
	    "IF-MIB and 3Com switches over SNMP, or any fence agent) as configured in fencer.conf(5), "
	    "and verifies them by reading them back. The port names a fencer node (all its ports) or "
	    "one port as SWITCH:PORT. Fabric fencing: set pcmk_reboot_action=off and meta "
	    "provides=unfencing.</longdesc>\n"
	    /* the schema wants the element; fencer has no home page to name */
	    "<vendor-url></vendor-url>\n"
	    "<parameters>\n"
	    "\t<parameter name=\"action\" unique=\"0\" required=\"1\">\n"
	    "\t\t<getopt mixed=\"-o, --action=[action]\" />\n"
	    "\t\t<content type=\"string\" default=\"off\" />\n"
	    "\t\t<shortdesc lang=\"en\">Fencing action</shortdesc>\n"
	    "\t</parameter>\n"
	    "\t<parameter name=\"plug\" unique=\"0\" required=\"1\" obsoletes=\"port\">\n"
	    "\t\t<getopt mixed=\"-n, --plug=[node or switch:port]\" />\n"
	    "\t\t<content type=\"string\" />\n"
	    "\t\t<shortdesc lang=\"en\">A fencer node (all its ports), or SWITCH:PORT</shortdesc>\n"
	    "\t</parameter>\n"
	    "\t<parameter name=\"port\" unique=\"0\" required=\"1\" deprecated=\"1\">\n"
	    "\t\t<getopt mixed=\"-n, --plug=[node or switch:port]\" />\n"
	    "\t\t<content type=\"string\" />\n"
	    "\t\t<shortdesc lang=\"en\">A fencer node (all its ports), or SWITCH:PORT</shortdesc>\n"
	    "\t</parameter>\n"
	    "\t<parameter name=\"config\" unique=\"0\" required=\"0\">\n"
	    "\t\t<getopt mixed=\"-c, --config=[file]\" />\n"
	    "\t\t<content type=\"string\" default=\"%s\" />\n"
	    "\t\t<shortdesc lang=\"en\">fencer configuration file</shortdesc>\n"
	    "\t</parameter>\n"
	    "\t<parameter name=\"verbose\" unique=\"0\" required=\"0\">\n"
	    "\t\t<getopt mixed=\"-v, --verbose\" />\n"
	    "\t\t<content type=\"boolean\" />\n"
	    "\t\t<shortdesc lang=\"en\">Print the timeline on stderr</shortdesc>\n"
	    "\t</parameter>\n"
	    "</parameters>\n"
	    "<actions>\n"
	    "\t<action name=\"on\" automatic=\"0\"/>\n"
	    "\t<action name=\"off\" />\n"
	    "\t<action name=\"reboot\" />\n"
	    "\t<action name=\"status\" />\n"
	    "\t<action name=\"list\" />\n"
	    "\t<action name=\"list-status\" />\n"
	    "\t<action name=\"monitor\" />\n"
	    "\t<action name=\"metadata\" />\n"
	    "\t<action name=\"validate-all\" />\n"
	    "</actions>\n"
	    "</resource-agent>\n", DEFAULT_CONFIG);
}

/* port = NODE (every port of it) or SWITCH:PORT / "SWITCH PORT". */
static int resolve(const struct config *cfg, const char *spec, struct target_set *t)
{
	char swname[128];
	const char *sep = strpbrk(spec, ": ");
	const struct sw_config *sw;

	if (config_node(cfg, spec)) {
		targets_of_node(cfg, spec, t);
		return 0;
	}
	if (!sep || (size_t)(sep - spec) >= sizeof swname) {
		fprintf(stderr, "fence_fencer: '%s' is neither a [node] nor SWITCH:PORT\n", spec);
		return -1;
	}
	snprintf(swname, sizeof swname, "%.*s", (int)(sep - spec), spec);
	if (!(sw = config_switch(cfg, swname))) {
		fprintf(stderr, "fence_fencer: no [switch %s] in %s\n", swname, cfg->file);
		return -1;
	}
	if (!port_name_valid(sep + 1)) {
		fprintf(stderr, "fence_fencer: refused port name: only letters, digits and / : . - are allowed\n");
		return -1;
	}
	for (size_t i = 0; i < cfg->nnodes; i++)
		for (size_t j = 0; j < cfg->nodes[i]->nports; j++)
			if (cfg->nodes[i]->ports[j].sw == sw && strcmp(cfg->nodes[i]->ports[j].port, sep + 1) == 0) {
				targets_add(t, cfg->nodes[i]->name, sw, cfg->nodes[i]->ports[j].port);
				return 0;
			}
	targets_add(t, "-", sw, sep + 1);
	return 0;
}

/* 0 all down, 1 some up, -1 some unreadable. */
static int read_state(struct run *run, struct target_set *t)
{
	int up = 0;

	engine_get_ports(run, t);
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].state == PORT_UNKNOWN) {
			fprintf(stderr, "fence_fencer: %s %s: %s\n", t->v[i].sw->name, t->v[i].port, t->v[i].error);
			return -1;
		}
		up |= t->v[i].state == PORT_UP;
	}
	return up;
}

struct agent_ctx {
	struct target_set *t;
	enum port_state want;
	const char *node;	/* port= named a node: off tries its levels */
};

/* on of a node: its level 1 ports, and those of its higher levels that
 * fenced.json says a fence shut (fencer.conf(5), FENCING LEVELS): what
 * was done is undone. */
static int node_on(struct run *run, const char *node, const struct target_set *t)
{
	struct target_set up = { 0 }, all = { 0 };
	struct fenced f;
	char err[512];
	int rc;

	if (fenced_load(run->cfg->state_dir, &f, err, sizeof err) < 0) {
		fprintf(stderr, "fence_fencer: %s\n", err);
		return AG_FAIL;
	}
	for (size_t i = 0; i < t->n; i++)
		targets_add(&up, t->v[i].node, t->v[i].sw, t->v[i].port);
	targets_of_level(run->cfg, node, LEVELS_ALL, &all);
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i].level > 1 && fenced_find(&f, all.v[i].sw->name, all.v[i].port)) {
			targets_add(&up, all.v[i].node, all.v[i].sw, all.v[i].port);
			up.v[up.n - 1].level = all.v[i].level;
		}
	rc = engine_set_ports(run, &up, PORT_UP) == 0 ? AG_OK : AG_FAIL;
	fenced_free(&f);
	targets_free(&all);
	targets_free(&up);
	return rc;
}

static int body_set(struct cli *cli, struct run *run)
{
	struct agent_ctx *ctx = cli->ctx;

	if (ctx->node && ctx->want == PORT_DOWN)
		return engine_fence_levels(run, ctx->node, ctx->t) == 0 ? AG_OK : AG_FAIL;
	if (ctx->node)
		return node_on(run, ctx->node, ctx->t);
	return engine_set_ports(run, ctx->t, ctx->want) == 0 ? AG_OK : AG_FAIL;
}

static int power(struct cli *cli, struct run *run, struct target_set *t, enum port_state want, const char *node)
{
	struct agent_ctx ctx = { t, want, node };
	int st = read_state(run, t);
	const char *word = want == PORT_DOWN ? "OFF" : "ON";
	int rc;

	if (st == (want == PORT_DOWN ? 0 : 1) && (want == PORT_DOWN || t->n == 1)) {
		printf("Success: Already %s\n", word);
		return AG_OK;
	}
	/* cppcheck-suppress autoVariables ; cleared before this returns */
	cli->ctx = &ctx;
	cli->no_serve = true;	/* body_set is not the service's fence */
	rc = cli_act(cli, want == PORT_DOWN ? "fence" : "unfence", body_set);
	cli->ctx = NULL;
	if (rc != AG_OK) {
		printf("Failed: not verified %s\n", word);
		return AG_FAIL;
	}
	printf("Success: Powered %s\n", word);
	return AG_OK;
}

static int list(const struct config *cfg, struct run *run, bool with_status)
{
	for (size_t i = 0; i < cfg->nnodes; i++) {
		struct target_set t = { 0 };
		int st = 0;

		targets_of_node(cfg, cfg->nodes[i]->name, &t);
		if (with_status)
			st = read_state(run, &t);
		printf("%s,fencer node with %zu port%s%s%s\n", cfg->nodes[i]->name, t.n, t.n == 1 ? "" : "s",
		    with_status ? "," : "", !with_status ? "" : st < 0 ? "UNKNOWN" : st ? "ON" : "OFF");
		targets_free(&t);
	}
	return AG_OK;
}

static int monitor(const struct config *cfg, struct run *run)
{
	struct target_set t = { 0 };
	/* on the heap: there may be many */
	struct switch_check *r = xcalloc(cfg->nswitches + 1, sizeof *r);
	int rc = AG_OK;

	engine_check_read(run, &t, NULL, false, r);
	for (size_t i = 0; i < cfg->nswitches; i++)
		if (!r[i].answered) {
			redact_buf(r[i].info, sizeof r[i].info, false);
			fprintf(stderr, "fence_fencer: switch %s: %s\n", cfg->switches[i]->name, r[i].info);
			rc = AG_FAIL;
		}
	free(r);
	return rc;
}

static int act_on(struct cli *cli, struct agent_opts *o)
{
	const struct config *cfg = cli->cfg;
	struct target_set t = { 0 };
	struct run run;
	const char *node;
	int rc = AG_FAIL, st;

	run_init(&run, cfg, "fence-agent", false);
	if (strcmp(o->action, "list") == 0 || strcmp(o->action, "list-status") == 0) {
		rc = list(cfg, &run, o->action[4] == '-');
		goto out;
	}
	if (strcmp(o->action, "monitor") == 0) {
		rc = monitor(cfg, &run);
		goto out;
	}
	if (!o->port[0]) {
		fprintf(stderr, "fence_fencer: action %s needs port= (a fencer node or SWITCH:PORT)\n", o->action);
		goto out;
	}
	if (resolve(cfg, o->port, &t) < 0)
		goto out;
	node = config_node(cfg, o->port) ? o->port : NULL;
	/* no port, nothing fenced: never "Success" (a node behind unmanaged
	 * switches only has none) */
	if (!t.n) {
		fprintf(stderr, "fence_fencer: %s has no port in %s: nothing can fence or read it\n", o->port,
		    cfg->file);
		goto out;
	}
	if (strcmp(o->action, "validate-all") == 0) {
		rc = t.n ? AG_OK : AG_FAIL;
	} else if (strcmp(o->action, "status") == 0) {
		st = read_state(&run, &t);
		printf("Status: %s\n", st < 0 ? "UNKNOWN" : st ? "ON" : "OFF");
		rc = st < 0 ? AG_FAIL : st ? AG_OK : AG_OFF;
	} else if (strcmp(o->action, "off") == 0) {
		rc = power(cli, &run, &t, PORT_DOWN, node);
	} else if (strcmp(o->action, "on") == 0) {
		rc = power(cli, &run, &t, PORT_UP, node);
	} else if (strcmp(o->action, "reboot") == 0) {
		rc = power(cli, &run, &t, PORT_DOWN, node);
		if (rc == AG_OK)
			rc = power(cli, &run, &t, PORT_UP, node);
	} else {
		fprintf(stderr, "fence_fencer: unknown action '%s'\n", o->action);
	}
out:
	targets_free(&t);
	run_close(&run);
	return rc;
}

/* All of stdin, then the lines: a line is taken whole or not at all. */
static int read_stdin(struct agent_opts *o)
{
	char *buf = xmalloc(AGENT_INPUT_MAX + 1);
	size_t len = 0, n;
	int bad;

	while (len <= AGENT_INPUT_MAX && (n = fread(buf + len, 1, AGENT_INPUT_MAX + 1 - len, stdin)) > 0)
		len += n;
	if (len > AGENT_INPUT_MAX) {
		fprintf(stderr, "fence_fencer: stdin holds more than %d bytes\n", AGENT_INPUT_MAX);
		free(buf);
		return -1;
	}
	if ((bad = agent_parse_input(o, buf, len)) > 0)
		fprintf(stderr, "fence_fencer: ignoring %d malformed line%s on stdin (not key=value, "
		    "a control character, or longer than %d bytes)\n", bad, bad == 1 ? "" : "s", AGENT_LINE_MAX);
	free(buf);
	return 0;
}

int agent_main(int argc, char **argv)
{
	struct agent_opts o;
	struct cli cli = { 0 };
	const char *env = getenv("FENCER_CONFIG");
	int rc;

	agent_opts_init(&o);
	if (argc > 1 ? agent_parse_args(&o, argc, argv) < 0 : read_stdin(&o) < 0) {
		fprintf(stderr, "usage: fence_fencer [-o ACTION] [-n NODE|SWITCH:PORT] [-c FILE] "
		    "(or key=value lines on stdin)\n");
		return AG_FAIL;
	}
	if (strcmp(o.action, "metadata") == 0) {
		metadata();
		return AG_OK;
	}
	log_init(o.verbose, true);
	cli.config_path = o.config[0] ? o.config : env && *env ? env : DEFAULT_CONFIG;
	cli.verbose = o.verbose;
	if (!(cli.cfg = cli_load_config(&cli)))
		return AG_FAIL;
	rc = act_on(&cli, &o);
	if (threads_left_behind) {
		command_kill_all();	/* a cut worker's agent, and what it started */
		threads_exit(rc);
	}
	config_free(cli.cfg);
	return rc;
}
