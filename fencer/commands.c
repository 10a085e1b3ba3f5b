/* The commands of DESIGN.md section 2, one function each, and their table. */
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
	if (from >= cli->nargs || !(run->args = calloc(1, len)))
		return;
	for (int i = from; i < cli->nargs; i++) {
		if (i > from)
			strcat(run->args, " ");
		strcat(run->args, cli->args[i]);
	}
}

/* Without -v the timeline is not on the screen: a failed run still says
 * every step that failed, in the switch's own words. */
static void print_failures(const struct run *run)
{
	for (size_t i = 0; i < run->nev; i++) {
		const struct event *e = &run->ev[i];

		if (e->outcome != OUT_FAILED && e->outcome != OUT_TIMEOUT && e->outcome != OUT_ABORTED)
			continue;
		if (strcmp(e->step, "end") == 0)
			continue;
		fprintf(stderr, "fencer: %s%s%s%s%s %s: %s\n", e->step, e->sw ? " " : "", e->sw ? e->sw : "",
		    e->port ? " " : "", e->port ? e->port : "", outcome_name(e->outcome),
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

	if (cli->json) {
		char *doc = run_to_json(run, summary ? summary : "", rc);

		if (doc)
			printf("%s\n", doc);
		free(doc);
		return;
	}
	if (rc != EXIT_OK && cli->verbose == 0)
		print_failures(run);
	if (summary)
		printf("%s\n", summary);
	if (run->journal_failed)
		fprintf(stderr, "fencer: WARNING: the journal in %s could not be written\n",
		    cli->cfg->state_dir);
}

/* A promote that had to wait for another one reports that one's outcome:
 * the peer is fenced already, and fencing twice would only cost time. */
static bool report_concurrent(struct cli *cli, long long started, int *rc)
{
	struct last_result lr;

	if (last_result_load(cli->cfg->state_dir, &lr) < 0 || lr.finished_ms < started)
		return false;
	printf("another promote ran meanwhile: %s\n", lr.summary);
	*rc = lr.exit_code;
	return true;
}

/* A promote or demote invoked before the last one that ran is stale: it
 * must not undo it. */
static bool stale_transition(struct cli *cli, const char *name)
{
	struct invocation last_inv;
	char last[32];

	if (strcmp(name, "promote") != 0 && strcmp(name, "demote") != 0)
		return false;
	if (transition_load(cli->cfg->state_dir, last, sizeof last, &last_inv) < 0 ||
	    !invocation_after(&last_inv, &cli->invoked))
		return false;
	printf("%s skipped: a %s invoked after it has already run\n", name, last);
	log_syslog(LOG_NOTICE, "%s skipped: a %s invoked %lld us after it has already run", name, last,
	    last_inv.mono_us - cli->invoked.mono_us);
	return true;
}

int cli_act(struct cli *cli, const char *name, body_fn body)
{
	bool is_promote = strcmp(name, "promote") == 0, waited = false;
	long long started = wall_ms();
	struct run run;
	char err[512];
	int fd = -1, rc;

	run_init(&run, cli->cfg, name, cli->dry_run);
	run.json = cli->json;
	if (!cli->dry_run) {
		/* A run in progress ends by its deadline; wait that long for it. */
		fd = lock_take(cli->cfg->state_dir, cli->cfg->deadline_ms + 5000, &waited, err, sizeof err);
		if (fd < 0) {
			log_warnx("%s", err);
			run_close(&run);
			return EXIT_FAILED;
		}
		if (is_promote && waited && report_concurrent(cli, started, &rc))
			goto out;
		rc = EXIT_OK;
		if (stale_transition(cli, name))
			goto out;
		run_open_journal(&run);
		if (strcmp(name, "promote") == 0 || strcmp(name, "demote") == 0)
			transition_save(cli->cfg->state_dir, name, &cli->invoked);
	}
	rc = body(cli, &run);
	if (run.journal_failed && rc == EXIT_OK)
		rc = EXIT_PARTIAL;	/* done, but not on record */
	report(cli, &run, rc);
	if (is_promote && !cli->dry_run) {
		struct last_result lr = { .finished_ms = wall_ms(), .exit_code = rc };
		const char *s = run_summary(&run);

		snprintf(lr.summary, sizeof lr.summary, "%s", s ? s : "");
		last_result_save(cli->cfg->state_dir, &lr);
	}
out:
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
	fprintf(stderr, "fencer: no [node %s] in %s\n", node, cli->cfg->file);
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

static int cmd_promote(struct cli *cli) { return cli_act(cli, "promote", body_promote); }
static int cmd_demote(struct cli *cli) { return cli_act(cli, "demote", body_demote); }
static int cmd_boot(struct cli *cli) { return cli_act(cli, "boot", body_boot); }
static int cmd_announce(struct cli *cli) { return cli_act(cli, "announce", body_announce); }

static int need_args(struct cli *cli, int lo, int hi)
{
	if (cli->nargs >= lo && cli->nargs <= hi)
		return 0;
	command_usage(cli->cmd, stderr);
	return -1;
}

static int cmd_fence(struct cli *cli)
{
	if (need_args(cli, 1, 1) < 0)
		return EXIT_USAGE;
	return known_node(cli, cli->args[0]) ? cli_act(cli, "fence", body_fence) : EXIT_USAGE;
}

static int cmd_unfence(struct cli *cli)
{
	if (need_args(cli, 1, 2) < 0 || (cli->nargs == 2 && strcmp(cli->args[1], "--all") != 0)) {
		command_usage(cli->cmd, stderr);
		return EXIT_USAGE;
	}
	return known_node(cli, cli->args[0]) ? cli_act(cli, "unfence", body_unfence) : EXIT_USAGE;
}

static int cmd_flush(struct cli *cli)
{
	if (need_args(cli, 0, 1) < 0)
		return EXIT_USAGE;
	if (cli->nargs && !config_switch(cli->cfg, cli->args[0])) {
		fprintf(stderr, "fencer: no [switch %s] in %s\n", cli->args[0], cli->cfg->file);
		return EXIT_USAGE;
	}
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
	fprintf(stderr, "fencer: keepalived state '%s' is not MASTER, BACKUP, FAULT or STOP\n", state);
	return EXIT_USAGE;
}

/* ---- reading commands ------------------------------------------------------ */

static int print_status_json(const struct target_set *t, const struct fenced *f)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < t->n; i++) {
		const struct fenced_port *fp = fenced_find(f, t->v[i].sw->name, t->v[i].port);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "node", t->v[i].node, "switch",
		    t->v[i].sw->name, "port", t->v[i].port, "admin", port_state_name(t->v[i].state));

		json_object_set_new(o, "fenced_since", fp ? json_string(fp->since) : json_null());
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

static void print_status_table(const struct target_set *t, const struct fenced *f)
{
	printf("%-10s %-10s %-26s %-8s %s\n", "NODE", "SWITCH", "PORT", "ADMIN", "FENCED");
	for (size_t i = 0; i < t->n; i++) {
		const struct fenced_port *fp = fenced_find(f, t->v[i].sw->name, t->v[i].port);

		printf("%-10s %-10s %-26s %-8s %s%s%s\n", t->v[i].node, t->v[i].sw->name, t->v[i].port,
		    port_state_name(t->v[i].state), fp ? "since " : "-", fp ? fp->since : "",
		    t->v[i].error[0] ? "" : "");
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

	if (cli->nargs > 1 || (cli->nargs == 1 && !known_node(cli, cli->args[0])))
		return EXIT_USAGE;
	if (fenced_load(cli->cfg->state_dir, &f, err, sizeof err) < 0) {
		log_warnx("%s", err);
		rc = EXIT_FAILED;
	}
	targets_of_node(cli->cfg, cli->nargs ? cli->args[0] : NULL, &t);
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
	(void)cli;
	printf("configuration OK\n");
	return EXIT_OK;
}

static int cmd_learn(struct cli *cli)
{
	if (!cli->cfg->announce.present) {
		fprintf(stderr, "fencer: learn needs an [announce] section with interface =\n");
		return EXIT_USAGE;
	}
	return learn_run(cli->cfg);
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
	if (!(swc = config_switch(cli->cfg, cli->args[0]))) {
		fprintf(stderr, "fencer: no [switch %s] in %s\n", cli->args[0], cli->cfg->file);
		return EXIT_USAGE;
	}
	if (!swc->driver->trust) {
		fprintf(stderr, "fencer: switch %s uses driver %s, which has no host key to trust\n",
		    swc->name, swc->driver->name);
		return EXIT_USAGE;
	}
	sw = (struct sw){ .cfg = swc, .drv = swc->driver, .dl = &dl };
	deadline_start(&dl, swc->timeout_ms);
	rc = swc->driver->trust(&sw, yes && !cli->dry_run);
	if (rc < 0) {
		fprintf(stderr, "fencer: %s: %s\n", swc->name, sw.err);
		return EXIT_FAILED;
	}
	printf("%s\n", sw.info);
	if (!yes)
		printf("not recorded: check the fingerprint on the switch's console, then run\n"
		    "  fencer trust %s --yes\n", swc->name);
	return EXIT_OK;
}

static int cmd_version(struct cli *cli)
{
	const struct curl_api *C = curl_api();

	(void)cli;
	printf("fencer %s\n", FENCER_VERSION);
	printf("libssh %s\nnet-snmp %s\n%s\njansson %s\n%s\n", ssh_version(0), netsnmp_get_version(),
	    C ? C->version() : curl_api_error(), jansson_version_str(), pcap_lib_version());
	return EXIT_OK;
}

int cmd_check(struct cli *);

const struct command commands[] = {
	{ "promote", cmd_promote, "[--reason TEXT] [ARGS...]",
	  "become master: fence the peer, verify, activate, flush, announce, notify",
	  "Fences every port of the peer node (one worker per switch, one shared\n"
	  "deadline), reads them back, and only when they are verified down runs\n"
	  "activate (unless on-fence-failure = continue). Then flushes MAC tables,\n"
	  "sends the first announce round and notifies. ARGS from the HA daemon are\n"
	  "recorded in the journal. A promote started while another runs waits for\n"
	  "it and reports its outcome instead of fencing again.\n",
	  true, true, true },
	{ "demote", cmd_demote, "[ARGS...]", "become backup: deactivate, notify",
	  NULL, true, true, true },
	{ "boot", cmd_boot, "", "at system start, before the HA daemon: deactivate",
	  "Runs deactivate so that a booting node never forwards while its state\n"
	  "is unknown. Put it before the HA daemon in the boot sequence.\n", true, false, true },
	{ "fence", cmd_fence, "NODE", "shut every configured port of NODE and verify",
	  NULL, true, false, true },
	{ "unfence", cmd_unfence, "NODE [--all]", "bring back the ports of NODE that fencer shut",
	  "Restores the ports recorded in state-dir/fenced.json. --all brings up\n"
	  "every configured port of NODE, for when that record was lost.\n", true, false, true },
	{ "status", cmd_status, "[NODE]", "admin state of every configured port, and which fencer fenced",
	  NULL, true, false, false },
	{ "flush", cmd_flush, "[SWITCH]", "flush the dynamic MAC tables (of every switch, or of SWITCH)",
	  NULL, true, false, true },
	{ "announce", cmd_announce, "", "send the announce rounds only (-n lists the frames)",
	  NULL, true, false, true },
	{ "check", cmd_check, "", "health check of every switch, as a Nagios plugin",
	  "Logs into every switch read-only, checks its host key and credentials,\n"
	  "that every configured port exists, and their admin state. Prints one\n"
	  "Nagios status line with per-switch latency as perfdata; exit 0 OK,\n"
	  "1 WARNING, 2 CRITICAL, 3 UNKNOWN. With metrics-file set, also writes a\n"
	  "Prometheus textfile.\n", true, false, false },
	{ "learn", cmd_learn, "", "long-running: keep the shadow MAC table of the member ports",
	  NULL, true, false, true },
	{ "trust", cmd_trust, "SWITCH [--yes]", "show a switch's SSH host key; --yes records it",
	  NULL, true, false, false },
	{ "configtest", cmd_configtest, "", "parse and validate the configuration",
	  "Prints 'configuration OK', or every error as FILE:LINE: message and\n"
	  "exits 2.\n", true, false, false },
	{ "keepalived-notify", cmd_keepalived_notify, "TYPE NAME STATE PRIO",
	  "keepalived notify: MASTER promotes; BACKUP, FAULT and STOP demote",
	  NULL, true, true, true },
	{ "version", cmd_version, "", "versions of fencer and its libraries", NULL, false, false, false },
	{ "help", cmd_help, "[COMMAND]", "this list, or one command's help", NULL, false, false, false },
	{ NULL, NULL, NULL, NULL, NULL, false, false, false }
};
