/* The commands of fencer(8), COMMANDS, one function each, and their table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <jansson.h>
#include <libssh/libssh.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/version.h>
#include <pcap/pcap.h>

#include "fencer/alloc.h"
#include "fencer/announce.h"
#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/curl_api.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/state.h"

/* ---- acting commands: lock, journal, engine, report ---------------------- */

typedef int (*body_fn)(struct cli *, struct run *);

static void join_args(struct run *run, const struct cli *cli, int from)
{
	size_t len = 1;

	for (int i = from; i < cli->nargs; i++)
		len += strlen(cli->args[i]) + 1;
	if (from >= cli->nargs)
		return;
	run->args = xcalloc(1, len);
	for (int i = from; i < cli->nargs; i++) {
		if (i > from)
			strcat(run->args, " ");
		strcat(run->args, cli->args[i]);
	}
}

/* Without -v the timeline is not on the screen: a failed run still says
 * every step that failed, in the switch's own words. */
static void print_failures(const struct run *run, FILE *err)
{
	for (size_t i = 0; i < run->nev; i++) {
		const struct event *e = &run->ev[i];
		const char *sw = e->sw ? e->sw : e->channel, *port = e->port ? e->port : e->target;

		if (e->outcome != OUT_FAILED && e->outcome != OUT_TIMEOUT && e->outcome != OUT_ABORTED)
			continue;
		if (strcmp(e->step, "end") == 0)
			continue;
		fprintf(err, "fencer: %s%s%s%s%s %s: %s\n", e->step, sw ? " " : "", sw ? sw : "",
		    port ? " " : "", port ? port : "", outcome_name(e->outcome),
		    e->error ? e->error : "");
	}
}

static const char *run_summary(const struct run *run)
{
	for (size_t i = run->nev; i-- > 0;)
		if (strcmp(run->ev[i].step, "end") == 0 && run->ev[i].error)
			return run->ev[i].error;
	return NULL;
}

static void report(struct cli *cli, struct run *run, int rc)
{
	const char *summary = run_summary(run);
	FILE *out = cli->out ? cli->out : stdout, *err = cli->err ? cli->err : stderr;

	if (cli->json) {
		char *doc = run_to_json(run, summary ? summary : "", rc);

		if (doc)
			fprintf(out, "%s\n", doc);
		free(doc);
		return;
	}
	if (rc != EXIT_OK && cli->verbose == 0)
		print_failures(run, err);
	if (summary)
		fprintf(out, "%s\n", summary);
	if (run->journal_failed)
		fprintf(err, "fencer: WARNING: the journal in %s could not be written\n",
		    cli->cfg->state_dir);
}

/* A promote that had to wait for another one reports that one's outcome:
 * the peer is fenced already, and fencing twice would only cost time. */
static bool report_concurrent(struct cli *cli, struct run *run, long long started, int *rc)
{
	struct last_result lr;
	char msg[600];

	if (last_result_load(cli->cfg->state_dir, &lr) < 0 || lr.finished_ms < started)
		return false;
	snprintf(msg, sizeof msg, "another promote ran meanwhile: %s", lr.summary);
	*rc = lr.exit_code;
	run_note(run, "end", lr.exit_code == EXIT_OK ? OUT_OK : OUT_FAILED, msg);
	return true;
}

/* Whether the last promote or demote that ran was a promote. A promote
 * that waited for another reports that one's outcome only then: after a
 * demote (keepalived: master, fault, master again, the scripts not waited
 * for) the bridge is down, and reporting would leave it so. */
static bool last_ran_promote(struct cli *cli, struct invocation *inv)
{
	char last[32];

	return transition_load(cli->cfg->state_dir, last, sizeof last, inv) == 0 &&
	    strcmp(last, "promote") == 0;
}

/* A promote or demote invoked before the last one that ran is stale: it
 * must not undo it. */
static bool stale_transition(struct cli *cli, struct run *run, const char *name)
{
	struct invocation last_inv;
	char last[32], msg[128];

	if (strcmp(name, "promote") != 0 && strcmp(name, "demote") != 0)
		return false;
	if (transition_load(cli->cfg->state_dir, last, sizeof last, &last_inv) < 0 ||
	    !invocation_after(&last_inv, &cli->invoked))
		return false;
	snprintf(msg, sizeof msg, "%s skipped: a %s invoked after it has already run", name, last);
	run_note(run, "end", OUT_SKIPPED, msg);
	log_syslog(LOG_NOTICE, "%s skipped: a %s invoked %lld us after it has already run", name, last,
	    last_inv.mono_us - cli->invoked.mono_us);
	return true;
}

/* The lock, then: a promote another one did meanwhile, or a stale
 * transition, is reported without running the body. */
static bool act_needed(struct cli *cli, struct run *run, const char *name, long long started, int *fd,
    int *rc)
{
	struct invocation last;
	bool waited;
	char err[512];

	/* A run in progress ends by its deadline; wait that long for it. */
	*rc = EXIT_OK;
	*fd = lock_take(cli->cfg->state_dir, cli->cfg->deadline_ms + 5000, &waited, err, sizeof err);
	if (*fd < 0) {
		log_warnx("%s", err);
		if (cli->json)	/* the document says it; stderr already did */
			run_note(run, "end", OUT_FAILED, err);
		*rc = EXIT_FAILED;
		return false;
	}
	if (strcmp(name, "promote") == 0 && waited && last_ran_promote(cli, &last) &&
	    report_concurrent(cli, run, started, rc)) {
		/* It stands for this promote too: a demote invoked before this
		 * one and still waiting for the lock is stale now. */
		if (invocation_after(&cli->invoked, &last))
			transition_save(cli->cfg->state_dir, name, &cli->invoked);
		return false;
	}
	if (stale_transition(cli, run, name))
		return false;
	run_open_journal(run);
	if (strcmp(name, "promote") == 0 || strcmp(name, "demote") == 0)
		transition_save(cli->cfg->state_dir, name, &cli->invoked);
	return true;
}

int cli_act(struct cli *cli, const char *name, body_fn body)
{
	bool act = true;
	long long started = wall_ms();
	struct run run;
	int fd = -1, rc = EXIT_OK;

	if (!cli->dry_run && !cli->no_serve && serve_client_run(cli, name, &rc))
		return rc;
	run_init(&run, cli->cfg, name, cli->dry_run);
	run.json = cli->json;
	run.observe = cli->observe;
	run.observe_ctx = cli->observe_ctx;
	if (!cli->dry_run)
		act = act_needed(cli, &run, name, started, &fd, &rc);
	if (act) {
		rc = body(cli, &run);
		if (run.journal_failed && rc == EXIT_OK)
			rc = EXIT_PARTIAL;	/* done, but not on record */
	}
	report(cli, &run, rc);
	if (act && strcmp(name, "promote") == 0 && !cli->dry_run) {
		struct last_result lr = { .finished_ms = wall_ms(), .duration_ms = run_elapsed_ms(&run),
			.exit_code = rc };
		const char *s = run_summary(&run);

		snprintf(lr.summary, sizeof lr.summary, "%s", s ? s : "");
		last_result_save(cli->cfg->state_dir, &lr);
	}
	lock_release(fd);
	run_close(&run);
	return rc;
}

static int body_promote(struct cli *cli, struct run *run)
{
	int from = 0;

	if (cli->nargs >= 2 && strcmp(cli->args[0], "--reason") == 0) {
		run_note(run, "reason", OUT_OK, cli->args[1]);
		from = 2;
	}
	join_args(run, cli, from);
	if (!cli->dry_run)
		run_note(run, "begin", OUT_START, NULL);
	return engine_promote(run);
}

static int body_demote(struct cli *cli, struct run *run)
{
	join_args(run, cli, 0);
	if (!cli->dry_run)
		run_note(run, "begin", OUT_START, NULL);
	return engine_demote(run);
}

static int body_boot(struct cli *cli, struct run *run)
{
	(void)cli;
	return engine_boot(run);
}

static bool known_node(struct cli *cli, const char *node)
{
	if (config_node(cli->cfg, node))
		return true;
	cli_usage_error(cli, "no [node %s] in %s", node, cli->cfg->file);
	return false;
}

static int body_fence(struct cli *cli, struct run *run)
{
	return engine_fence(run, cli->args[0]);
}

static int body_unfence(struct cli *cli, struct run *run)
{
	bool all = cli->nargs > 1 && strcmp(cli->args[1], "--all") == 0;

	return engine_unfence(run, cli->args[0], all);
}

static int body_flush(struct cli *cli, struct run *run)
{
	return engine_flush(run, cli->nargs ? cli->args[0] : NULL);
}

static int body_announce(struct cli *cli, struct run *run)
{
	(void)cli;
	if (!run->cfg->announce.present) {
		fprintf(stderr, "fencer: no [announce] section in %s\n", run->cfg->file);
		return EXIT_USAGE;
	}
	return announce_run(run->cfg, run) < 0 ? EXIT_FAILED : EXIT_OK;
}

int cli_act_named(struct cli *cli, const char *name)
{
	static const struct { const char *name; body_fn body; } bodies[] = {
		{ "promote", body_promote }, { "demote", body_demote }, { "fence", body_fence },
		{ "unfence", body_unfence }, { "flush", body_flush },
	};

	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++)
		if (strcmp(bodies[i].name, name) == 0)
			return cli_act(cli, name, bodies[i].body);
	return -1;
}

static int cmd_promote(struct cli *cli) { return cli_act(cli, "promote", body_promote); }
static int cmd_demote(struct cli *cli) { return cli_act(cli, "demote", body_demote); }
static int cmd_boot(struct cli *cli) { return cli_act(cli, "boot", body_boot); }
static int cmd_announce(struct cli *cli) { return cli_act(cli, "announce", body_announce); }

static int need_args(struct cli *cli, int lo, int hi)
{
	if (cli->nargs >= lo && cli->nargs <= hi)
		return 0;
	if (lo == hi)
		cli_usage_error(cli, "%s takes %d argument%s, not %d", cli->cmd->name, lo, lo == 1 ? "" : "s",
		    cli->nargs);
	else
		cli_usage_error(cli, "%s takes %d to %d arguments, not %d", cli->cmd->name, lo, hi, cli->nargs);
	return -1;
}

/* Fencing this node shuts its own ports: from its own shell that is
 * almost always a slip of the hand (fw2 typed on fw2). */
static int cmd_fence(struct cli *cli)
{
	bool force = cli->nargs == 2 && strcmp(cli->args[1], "--force") == 0;

	if (need_args(cli, 1, 2) < 0)
		return EXIT_USAGE;
	if (cli->nargs == 2 && !force)
		return cli_usage_error(cli, "unknown option '%s'", cli->args[1]);
	if (!known_node(cli, cli->args[0]))
		return EXIT_USAGE;
	if (strcmp(cli->args[0], cli->cfg->node) == 0 && !force)
		return cli_usage_error(cli, "%s is this node: fencing it shuts this node's own switch ports; "
		    "add --force if that is what you mean", cli->args[0]);
	return cli_act(cli, "fence", body_fence);
}

static int cmd_unfence(struct cli *cli)
{
	if (need_args(cli, 1, 2) < 0)
		return EXIT_USAGE;
	if (cli->nargs == 2 && strcmp(cli->args[1], "--all") != 0)
		return cli_usage_error(cli, "unknown option '%s'", cli->args[1]);
	return known_node(cli, cli->args[0]) ? cli_act(cli, "unfence", body_unfence) : EXIT_USAGE;
}

static int cmd_flush(struct cli *cli)
{
	if (need_args(cli, 0, 1) < 0)
		return EXIT_USAGE;
	if (cli->nargs && !config_switch(cli->cfg, cli->args[0]))
		return cli_usage_error(cli, "no [switch %s] in %s", cli->args[0], cli->cfg->file);
	if (cli->nargs && !config_switch(cli->cfg, cli->args[0])->driver->mac_flush)
		return cli_usage_error(cli, "switch %s uses driver %s, which has no MAC flush", cli->args[0],
		    config_switch(cli->cfg, cli->args[0])->driver->name);
	return cli_act(cli, "flush", body_flush);
}

static int cmd_keepalived_notify(struct cli *cli)
{
	const char *state;

	if (need_args(cli, 3, 4) < 0)
		return EXIT_USAGE;
	state = cli->args[2];
	if (strcmp(state, "MASTER") == 0)
		return cli_act(cli, "promote", body_promote);
	if (strcmp(state, "BACKUP") == 0 || strcmp(state, "FAULT") == 0 || strcmp(state, "STOP") == 0)
		return cli_act(cli, "demote", body_demote);
	return cli_usage_error(cli, "keepalived state '%s' is not MASTER, BACKUP, FAULT or STOP", state);
}

/* ---- reading commands ------------------------------------------------------ */

static int print_status_json(const struct target_set *t, const struct fenced *f)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < t->n; i++) {
		const struct fenced_port *fp = fenced_find(f, t->v[i].sw->name, t->v[i].port);
		json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s}", "node", t->v[i].node, "switch",
		    t->v[i].sw->name, "port", t->v[i].port, "level", t->v[i].level,
		    "admin", port_state_name(t->v[i].state));

		json_object_set_new(o, "fenced_since", fp ? json_string(fp->since) : json_null());
		json_object_set_new(o, "fenced", fp ? json_string(fp->state) : json_null());
		if (t->v[i].error[0])
			json_object_set_new(o, "error", json_string(t->v[i].error));
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", s);
	free(s);
	json_decref(arr);
	return 0;
}

/* FENCED: "-", "since TIME", or "sent, not verified, since TIME". LEVEL,
 * only where a node has fencing levels (a one-level configuration prints
 * what it always did), is the port's level (fencer.conf(5), FENCING
 * LEVELS): a port of level 2 fenced says that level 2 fenced its node. */
static void print_status_table(const struct target_set *t, const struct fenced *f)
{
	bool levels = false;

	for (size_t i = 0; i < t->n; i++)
		levels = levels || t->v[i].level > 1;
	printf("%-10s %-10s %-26s ", "NODE", "SWITCH", "PORT");
	if (levels)
		printf("%-5s ", "LEVEL");
	printf("%-8s %s\n", "ADMIN", "FENCED");
	for (size_t i = 0; i < t->n; i++) {
		const struct fenced_port *fp = fenced_find(f, t->v[i].sw->name, t->v[i].port);
		bool verified = fp && strcmp(fp->state, FENCED_VERIFIED) == 0;

		printf("%-10s %-10s %-26s ", t->v[i].node, t->v[i].sw->name, t->v[i].port);
		if (levels)
			printf("%-5d ", t->v[i].level);
		printf("%-8s %s%s%s%s\n", port_state_name(t->v[i].state), fp && !verified ? fp->state : "",
		    fp && !verified ? ", " : "", fp ? "since " : "-", fp ? fp->since : "");
		if (t->v[i].error[0])
			printf("    %s\n", t->v[i].error);
	}
}

static int cmd_status(struct cli *cli)
{
	struct target_set t = { 0 };
	struct fenced f;
	struct run run;
	char err[512];
	int rc = EXIT_OK;

	if (need_args(cli, 0, 1) < 0 || (cli->nargs == 1 && !known_node(cli, cli->args[0])))
		return EXIT_USAGE;
	if (fenced_load(cli->cfg->state_dir, &f, err, sizeof err) < 0) {
		log_warnx("%s", err);
		rc = EXIT_FAILED;
	}
	targets_of_level(cli->cfg, cli->nargs ? cli->args[0] : NULL, LEVELS_ALL, &t);
	run_init(&run, cli->cfg, "status", cli->dry_run);
	run.json = cli->json;
	engine_get_ports(&run, &t);
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].error[0] || t.v[i].state == PORT_UNKNOWN)
			rc = EXIT_FAILED;
	if (cli->json)
		print_status_json(&t, &f);
	else
		print_status_table(&t, &f);
	run_close(&run);
	fenced_free(&f);
	targets_free(&t);
	return rc;
}

static int cmd_configtest(struct cli *cli)
{
	if (need_args(cli, 0, 0) < 0)
		return EXIT_USAGE;
	if (cli->json)
		printf("{\"configuration\": \"OK\", \"exit_code\": 0}\n");
	else
		printf("configuration OK\n");
	return EXIT_OK;
}

static int cmd_learn(struct cli *cli)
{
	if (need_args(cli, 0, 0) < 0)
		return EXIT_USAGE;
	if (cli->json)
		return cli_usage_error(cli, "learn runs until stopped and has no JSON answer");
	if (!cli->cfg->announce.present)
		return cli_usage_error(cli, "learn needs an [announce] section with interface =");
	return learn_run(cli->cfg);
}

/* One line: the key, and what it means for fencing. A changed key is an
 * alarm until the operator says otherwise: exit 1. */
static void trust_print(const struct cli *cli, const struct sw *sw, enum trust_state st)
{
	static const char *const words[] = {
		[TRUST_KNOWN] = "already trusted",
		[TRUST_UNKNOWN] = "not known yet, not recorded: check it on the switch's console, then run "
		    "fencer trust %s --yes",
		[TRUST_CHANGED] = "HOST KEY CHANGED: known-hosts holds another key for it (the session may be "
		    "intercepted, or the switch was replaced); not recorded: check it on the switch's console, "
		    "then run fencer trust %s --yes",
		[TRUST_RECORDED] = "recorded",
		[TRUST_REPLACED] = "recorded, in place of the key known-hosts held",
	};
	static const char *const names[] = { "known", "unknown", "changed", "recorded", "replaced" };
	char line[512];

	snprintf(line, sizeof line, words[st], sw->cfg->name);
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "switch", sw->cfg->name, "key", sw->info,
		    "state", names[st], "message", line);
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("%s: %s\n", sw->info, line);
	}
}

static int cmd_trust(struct cli *cli)
{
	struct sw_config *swc;
	struct deadline dl;
	struct sw sw = { 0 };
	bool yes = cli->nargs == 2 && strcmp(cli->args[1], "--yes") == 0;
	int rc;

	if (need_args(cli, 1, 2) < 0)
		return EXIT_USAGE;
	if (cli->nargs == 2 && !yes)
		return cli_usage_error(cli, "unknown option '%s'", cli->args[1]);
	if (!(swc = config_switch(cli->cfg, cli->args[0])))
		return cli_usage_error(cli, "no [switch %s] in %s", cli->args[0], cli->cfg->file);
	if (!swc->driver->trust)
		return cli_usage_error(cli, "switch %s uses driver %s, which has no host key to trust", swc->name,
		    swc->driver->name);
	sw_init(&sw, swc);
	sw.dl = &dl;
	deadline_start(&dl, swc->timeout_ms);
	rc = swc->driver->trust(&sw, yes && !cli->dry_run);
	sw_release(&sw);
	if (rc < 0) {
		fprintf(stderr, "fencer: %s: %s\n", swc->name, sw.err);
		if (cli->json)
			cli_json_error(EXIT_FAILED, "%s: %s", swc->name, sw.err);
		return EXIT_FAILED;
	}
	trust_print(cli, &sw, (enum trust_state)rc);
	return rc == TRUST_CHANGED ? EXIT_FAILED : EXIT_OK;
}

static int cmd_version(struct cli *cli)
{
	const struct curl_api *C = curl_api();
	const char *curl = C ? C->version() : curl_api_error();

	if (cli->json) {
		json_t *o = json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "fencer", FENCER_VERSION, "libraries",
		    "libssh", ssh_version(0), "net-snmp", netsnmp_get_version(), "libcurl", curl, "jansson",
		    jansson_version_str(), "libpcap", pcap_lib_version());
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
		json_decref(o);
		return EXIT_OK;
	}
	printf("fencer %s\n", FENCER_VERSION);
	printf("libssh %s\nnet-snmp %s\n%s\njansson %s\n%s\n", ssh_version(0), netsnmp_get_version(), curl,
	    jansson_version_str(), pcap_lib_version());
	return EXIT_OK;
}

static int cmd_check_args(struct cli *cli)
{
	if (need_args(cli, 0, 1) < 0)
		return 3;
	if (cli->nargs && !config_switch(cli->cfg, cli->args[0]))
		return cli_usage_error(cli, "no [switch %s] in %s", cli->args[0], cli->cfg->file);
	return cmd_check(cli);
}

const struct command commands[] = {
	{ .name = "promote", .run = cmd_promote, .args = "[--reason TEXT] [ARGS...]",
	  .summary = "become master: fence the peer, verify, activate, flush, announce, notify",
	  .help = "Fences every port of the peer node (one worker per switch, one shared\n"
	    "deadline), reads them back, and only when they are verified down runs\n"
	    "activate (unless on-fence-failure = continue); where the peer's ports\n"
	    "cannot be verified, its higher fencing levels are tried. If the peer\n"
	    "promotes at the same moment (a split brain), the node with the higher\n"
	    "priority wins; the other activates only after race-window has passed\n"
	    "quietly, and stands down (exit 1) when the peer's claim shows (fencer(8),\n"
	    "SPLIT BRAIN). Then flushes MAC tables, sends the first announce round\n"
	    "(again every [announce] refresh, until demote) and notifies. ARGS from\n"
	    "the HA daemon are recorded in the journal. A promote started while\n"
	    "another runs waits for it and reports its outcome instead of fencing\n"
	    "again.\n",
	  .options = "  --reason TEXT  why, for the journal and the notifications\n",
	  .example = "  fencer -v promote --reason maintenance\n"
	    "  notify_master \"/usr/sbin/fencer promote --reason keepalived\"   (keepalived.conf)\n",
	  .needs_config = true, .passes_args = true, .logs = true },
	{ .name = "demote", .run = cmd_demote, .args = "[ARGS...]", .summary = "become backup: deactivate, notify",
	  .help = "Stops the later announce rounds of a promote, runs deactivate and\n"
	    "notifies. ARGS from the HA daemon are recorded in the journal.\n",
	  .example = "  fencer demote\n  notify_backup \"/usr/sbin/fencer demote\"   (keepalived.conf)\n",
	  .needs_config = true, .passes_args = true, .logs = true },
	{ .name = "boot", .run = cmd_boot, .args = "", .summary = "at system start, before the HA daemon: deactivate",
	  .help = "Runs deactivate so that a booting node never forwards while its state\n"
	    "is unknown. Put it before the HA daemon in the boot sequence\n"
	    "(fencer-boot.service does).\n",
	  .example = "  fencer boot\n", .needs_config = true, .logs = true },
	{ .name = "fence", .run = cmd_fence, .args = "NODE [--force]",
	  .summary = "shut every configured port of NODE and verify",
	  .help = "Shuts every port of NODE's [node] section, one session per switch, and\n"
	    "reads each back. A port is recorded in state-dir/fenced.json as soon as\n"
	    "its shutdown was sent (\"sent, not verified\"), and as fenced once it reads\n"
	    "back down; unfence and status use that record. The ports are watched for\n"
	    "race-window after they read back, for a promote of NODE at the same\n"
	    "moment. Where they cannot be verified, NODE's higher fencing levels are\n"
	    "tried. Exit 1 if no level is verified down.\n",
	  .options = "  --force  fence NODE even when it is this node (its own ports)\n",
	  .example = "  fencer -v fence fw1\n  fencer -n fence fw1      (what would be shut, touching nothing)\n",
	  .needs_config = true, .logs = true },
	{ .name = "unfence", .run = cmd_unfence, .args = "NODE [--all]",
	  .summary = "bring back the ports of NODE that fencer shut",
	  .help = "Brings up the ports of NODE recorded in state-dir/fenced.json (fenced,\n"
	    "or sent, not verified, at any fencing level), reads them back, and\n"
	    "forgets them.\n",
	  .options = "  --all  every configured port of NODE, for when that record was lost\n",
	  .example = "  fencer unfence fw1\n", .needs_config = true, .logs = true },
	{ .name = "status", .run = cmd_status, .args = "[NODE]",
	  .summary = "admin state of every configured port, and which fencer fenced",
	  .help = "Reads every configured port (of NODE, or of every node) from its switch,\n"
	    "and shows which fencer fenced, since when, and whether verified.\n",
	  .example = "  fencer status\n  fencer --json status fw1\n", .needs_config = true },
	{ .name = "flush", .run = cmd_flush, .args = "[SWITCH]",
	  .summary = "flush the dynamic MAC tables (of every switch, or of SWITCH)",
	  .help = "Flushes the whole dynamic MAC table of every switch whose driver can\n"
	    "(all but exec; comware flushes per port only, at promote), or of\n"
	    "SWITCH. The journal says what each did.\n",
	  .example = "  fencer -v flush core\n", .needs_config = true, .logs = true },
	{ .name = "announce", .run = cmd_announce, .args = "",
	  .summary = "send the announce rounds only (-n lists the frames)",
	  .help = "Sends the rounds of gratuitous ARP, unsolicited NA and RARP frames of\n"
	    "the [announce] section, as promote does after activation: each host's\n"
	    "RARP in its VLAN, tagged on the ports that carry that VLAN tagged.\n",
	  .example = "  fencer -n announce     (the frames, not sent)\n  fencer announce\n",
	  .needs_config = true, .logs = true },
	{ .name = "check", .run = cmd_check_args, .args = "[SWITCH]",
	  .summary = "health check of every switch (or of SWITCH), as a Nagios plugin",
	  .help = "Logs into every switch, checks its host key and credentials, that every\n"
	    "configured port exists and its admin state, that the switch has what the\n"
	    "MAC flush uses, and, under the run lock, that it takes the write a fence\n"
	    "makes, with a value that changes nothing (check-write). Prints one Nagios\n"
	    "status line with per-switch latency as perfdata; exit 0 OK, 1 WARNING,\n"
	    "2 CRITICAL, 3 UNKNOWN (also for a configuration error). With metrics-file\n"
	    "set, a full check also writes a Prometheus textfile. With fencer serve\n"
	    "running, the check runs in it, on its kept sessions.\n",
	  .example = "  fencer check\n  fencer -v check core\n", .needs_config = true, .nagios = true },
	{ .name = "learn", .run = cmd_learn, .args = "",
	  .summary = "long-running: keep the shadow MAC table of the member ports",
	  .help = "Watches the [announce] member ports passively and keeps the host MACs\n"
	    "and the port each lives behind in state-dir/macs.json, for a backup\n"
	    "whose bridge is down. Runs until stopped (fencer-learn.service).\n",
	  .example = "  fencer -v learn\n", .needs_config = true, .logs = true },
	{ .name = "trust", .run = cmd_trust, .args = "SWITCH [--yes]",
	  .summary = "show a switch's SSH host key; --yes records it",
	  .help = "Connects far enough to see the switch's SSH host key and prints one line:\n"
	    "the key and whether known-hosts trusts it. Exit 1 when known-hosts holds\n"
	    "another key for the switch.\n",
	  .options = "  --yes  record the key (replacing another one) in known-hosts\n",
	  .example = "  fencer trust core\n  fencer trust core --yes\n", .needs_config = true },
	{ .name = "serve", .run = cmd_serve, .args = "[status]",
	  .summary = "resident service: warm switch sessions, probes, drift alarms",
	  .help = "Keeps one logged-in session per switch open (a keepalive every\n"
	    "keepalive, reopened with backoff when it fails, the host key checked on\n"
	    "every connect) and runs promote, demote, fence, unfence, flush and check\n"
	    "for the command line over the control socket (socket =, mode 0600, root or\n"
	    "the service's own user only). Those commands use it when it answers\n"
	    "within serve-wait and run standalone otherwise, with the same lock,\n"
	    "deadline, exit status and journal; the journal's connect lines say warm\n"
	    "or cold. Every check-interval it reads every fenced port: one up again\n"
	    "while its node is still fenced is drift (journal, notify, on-drift);\n"
	    "with metrics-file, it runs a full check then too (the textfile).\n"
	    "SIGHUP reloads the configuration (a bad file is reported and the old one\n"
	    "stays). `fencer serve status` shows the service's sessions.\n",
	  .example = "  systemctl enable --now fencer.service\n  fencer serve status\n",
	  .needs_config = true, .passes_args = true, .logs = true },
	{ .name = "configtest", .run = cmd_configtest, .args = "",
	  .summary = "parse and validate the configuration",
	  .help = "Prints 'configuration OK', or every error as FILE:LINE: message and\n"
	    "exits 2.\n",
	  .example = "  fencer -c /etc/fencer/fencer.conf configtest\n", .needs_config = true },
	{ .name = "keepalived-notify", .run = cmd_keepalived_notify, .args = "TYPE NAME STATE PRIO",
	  .summary = "keepalived notify: MASTER promotes; BACKUP, FAULT and STOP demote",
	  .help = "For keepalived's notify script, which gets these four arguments.\n",
	  .example = "  notify \"/usr/sbin/fencer keepalived-notify\"   (keepalived.conf)\n",
	  .needs_config = true, .passes_args = true, .logs = true },
	{ .name = "version", .run = cmd_version, .args = "", .summary = "versions of fencer and its libraries",
	  .example = "  fencer version\n  fencer -V\n" },
	{ .name = "help", .run = cmd_help, .args = "[COMMAND]", .summary = "this list, or one command's help",
	  .example = "  fencer help fence\n  fencer fence --help\n" },
	{ .name = NULL }
};
