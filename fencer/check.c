/*
 * fencer check: a Nagios plugin. Every switch is probed read-only in
 * parallel; the result is one status line with perfdata, the Nagios exit
 * code, optionally a JSON document and a Prometheus textfile.
 *
 * CRITICAL: a switch unreachable or refusing us, a configured port missing.
 * WARNING: drift: a peer port down that fencer did not fence, or a port
 * fencer fenced that is up again or still down (unfence it when the node is
 * back).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/notify.h"
#include "fencer/redact.h"
#include "fencer/state.h"

enum { NAGIOS_OK, NAGIOS_WARNING, NAGIOS_CRITICAL, NAGIOS_UNKNOWN };

static const char *const nagios_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

struct check_result {
	int status;
	char problems[2048];
	char perf[2048];
};

static void problem(struct check_result *r, int status, const char *fmt, const char *a, const char *b,
    const char *c)
{
	size_t used = strlen(r->problems);

	if (status > r->status)
		r->status = status;
	if (used)
		used += (size_t)snprintf(r->problems + used, sizeof r->problems - used, "; ");
	if (used < sizeof r->problems)
		snprintf(r->problems + used, sizeof r->problems - used, fmt, a, b, c);
}

static void judge_ports(const struct config *cfg, const struct target_set *t, const struct fenced *f,
    struct check_result *r)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct target *p = &t->v[i];
		bool fenced = fenced_find(f, p->sw->name, p->port) != NULL;

		if (p->state == PORT_UNKNOWN)
			problem(r, NAGIOS_CRITICAL, "%s %s: %s", p->sw->name, p->port,
			    p->error[0] ? p->error : "state unknown");
		else if (fenced && p->state == PORT_UP)
			problem(r, NAGIOS_WARNING, "%s %s of %s is up although fencer fenced it", p->sw->name,
			    p->port, p->node);
		else if (fenced)
			problem(r, NAGIOS_WARNING, "%s %s of %s is fenced (unfence it when the node is back)",
			    p->sw->name, p->port, p->node);
		else if (p->state == PORT_DOWN && cfg->peer && strcmp(p->node, cfg->peer) == 0)
			problem(r, NAGIOS_WARNING, "%s %s of peer %s is down, not by fencer", p->sw->name,
			    p->port, p->node);
	}
}

static void write_metrics(const struct config *cfg, const struct check_result *r, const bool *ok,
    const long *lat)
{
	char buf[8192], err[512];
	size_t used = 0;

	used += (size_t)snprintf(buf + used, sizeof buf - used,
	    "# HELP fencer_check_status Nagios status of the last fencer check (0 OK .. 3 UNKNOWN).\n"
	    "# TYPE fencer_check_status gauge\nfencer_check_status %d\n"
	    "# HELP fencer_switch_up Whether the switch answered the health check.\n"
	    "# TYPE fencer_switch_up gauge\n", r->status);
	for (size_t i = 0; i < cfg->nswitches && used < sizeof buf; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "fencer_switch_up{switch=\"%s\"} %d\n",
		    cfg->switches[i]->name, ok[i]);
	if (used < sizeof buf)	/* past it, sizeof buf - used would wrap */
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "# HELP fencer_switch_latency_seconds Time to log in and probe the switch.\n"
		    "# TYPE fencer_switch_latency_seconds gauge\n");
	for (size_t i = 0; i < cfg->nswitches && used < sizeof buf; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "fencer_switch_latency_seconds{switch=\"%s\"} %.3f\n", cfg->switches[i]->name,
		    (double)lat[i] / 1000);
	if (used < sizeof buf && atomic_write(cfg->metrics_file, buf, used, err, sizeof err) < 0)
		fprintf(stderr, "fencer: %s\n", err);
}

/* Notify when the status turns CRITICAL, once: the last status is kept in
 * state-dir/check-status (a check timer runs every minute). */
static void notify_if_turned_critical(const struct config *cfg, struct run *run, const struct check_result *r)
{
	char path[4096], last[32] = "", err[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/check-status", cfg->state_dir);
	if ((f = state_fopen(path))) {
		if (!fgets(last, sizeof last, f))
			last[0] = '\0';
		fclose(f);
	}
	last[strcspn(last, "\n")] = '\0';
	if (strcmp(last, nagios_names[r->status]) != 0)
		atomic_write(path, nagios_names[r->status], strlen(nagios_names[r->status]), err, sizeof err);
	if (r->status == NAGIOS_CRITICAL && strcmp(last, "CRITICAL") != 0)
		notify_send(cfg, run, r->problems, NAGIOS_CRITICAL);
}

int cmd_check(struct cli *);

int cmd_check(struct cli *cli)
{
	const struct config *cfg = cli->cfg;
	struct check_result r = { 0 };
	struct target_set t = { 0 };
	bool *ok;
	long *lat;
	char (*info)[256];
	struct fenced f;
	struct run run;
	char err[512];

	if (fenced_load(cfg->state_dir, &f, err, sizeof err) < 0) {
		printf("FENCER UNKNOWN - %s\n", err);
		return NAGIOS_UNKNOWN;
	}
	/* On the heap: there may be many switches. */
	ok = calloc(cfg->nswitches + 1, sizeof *ok);
	lat = calloc(cfg->nswitches + 1, sizeof *lat);
	info = calloc(cfg->nswitches + 1, sizeof *info);
	if (!ok || !lat || !info)
		fatalx("out of memory");
	targets_of_node(cfg, NULL, &t);
	run_init(&run, cfg, "check", false);
	engine_probe(&run, &t, ok, lat, info);
	for (size_t i = 0; i < cfg->nswitches; i++) {
		size_t used = strlen(r.perf);

		redact_buf(info[i], sizeof info[i], false);	/* a switch's words */
		if (!ok[i])
			problem(&r, NAGIOS_CRITICAL, "switch %s: %s%s", cfg->switches[i]->name, info[i], "");
		snprintf(r.perf + used, sizeof r.perf - used, "%s%s_latency=%ldms", used ? " " : "",
		    cfg->switches[i]->name, lat[i]);
	}
	judge_ports(cfg, &t, &f, &r);
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:i, s:s, s:s}", "status", nagios_names[r.status], "exit_code",
		    r.status, "problems", r.problems, "perfdata", r.perf);
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("FENCER %s - %zu switch%s, %zu port%s%s%s | %s\n", nagios_names[r.status], cfg->nswitches,
		    cfg->nswitches == 1 ? "" : "es", t.n, t.n == 1 ? "" : "s", r.problems[0] ? ": " : "",
		    r.problems, r.perf);
		/* -v: Nagios long output, what each switch said about itself */
		for (size_t i = 0; cli->verbose && i < cfg->nswitches; i++)
			if (ok[i])
				printf("%s: %s\n", cfg->switches[i]->name, info[i]);
	}
	if (cfg->metrics_file)
		write_metrics(cfg, &r, ok, lat);
	notify_if_turned_critical(cfg, &run, &r);
	run_close(&run);
	fenced_free(&f);
	targets_free(&t);
	free(ok);
	free(lat);
	free(info);
	return r.status;
}
