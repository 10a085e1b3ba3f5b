/*
 * fencer check: a Nagios plugin. Every switch (or the one named) is probed
 * read-only in parallel: login, its ports, its MAC flush method; then, under
 * the run lock, the write a fence makes, with the value a port already has
 * (check-write). The result is one status line with perfdata, the Nagios
 * exit code, optionally a JSON document and a Prometheus textfile.
 *
 * CRITICAL: a switch unreachable or refusing us, refusing the write a fence
 * needs, a configured port missing: the next promote would fail there.
 * WARNING: the MAC flush would fail (promote would exit 3); drift: a peer
 * port down that fencer did not fence, or a port fencer fenced that is up
 * again or still down (unfence it when the node is back).
 * A switch's failure is said once, not again for each of its ports.
 */
#include <jansson.h>
#include <stdarg.h>
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
	struct { char text[1200]; } problems[64];
	size_t nproblems;
	char perf[2048];
};

static void problem(struct check_result *r, int status, const char *fmt, ...) PRINTF(3, 4);
static void problem(struct check_result *r, int status, const char *fmt, ...)
{
	va_list ap;

	if (status > r->status)
		r->status = status;
	if (r->nproblems == sizeof r->problems / sizeof *r->problems)
		return;
	va_start(ap, fmt);
	vsnprintf(r->problems[r->nproblems++].text, sizeof r->problems[0].text, fmt, ap);
	va_end(ap);
}

static void judge_switches(const struct config *cfg, const struct switch_check *sc, struct check_result *r)
{
	for (size_t i = 0; i < cfg->nswitches; i++) {
		const char *name = cfg->switches[i]->name;
		size_t used = strlen(r->perf);

		if (!sc[i].asked)
			continue;
		if (!sc[i].answered) {
			problem(r, NAGIOS_CRITICAL, "switch %s: %s", name, sc[i].info);
			continue;
		}
		if (sc[i].write < 0)
			problem(r, NAGIOS_CRITICAL, "switch %s: a fence would fail: %s", name, sc[i].write_info);
		if (sc[i].flush < 0)
			problem(r, NAGIOS_WARNING, "switch %s: the MAC flush would fail: %s", name, sc[i].flush_info);
		/* perfdata only for a switch that answered: no latency=0ms */
		snprintf(r->perf + used, sizeof r->perf - used, "%s%s_latency=%ldms", used ? " " : "", name,
		    sc[i].latency_ms);
	}
}

static void judge_ports(const struct config *cfg, const struct target_set *t, const struct fenced *f,
    const struct switch_check *sc, struct check_result *r)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct target *p = &t->v[i];
		const struct fenced_port *fp = fenced_find(f, p->sw->name, p->port);

		for (size_t k = 0; k < cfg->nswitches; k++)
			if (cfg->switches[k] == p->sw && !sc[k].answered)
				goto next;	/* said once, for the switch */
		if (p->state == PORT_UNKNOWN)
			problem(r, NAGIOS_CRITICAL, "%s %s: %s", p->sw->name, p->port,
			    p->error[0] ? p->error : "state unknown");
		else if (fp && p->state == PORT_UP)
			problem(r, NAGIOS_WARNING, "%s %s of %s is up although fencer fenced it", p->sw->name,
			    p->port, p->node);
		else if (fp)
			problem(r, NAGIOS_WARNING, "%s %s of %s is fenced%s%s%s (unfence it when the node is back)",
			    p->sw->name, p->port, p->node, strcmp(fp->state, FENCED_VERIFIED) ? " (" : "",
			    strcmp(fp->state, FENCED_VERIFIED) ? fp->state : "",
			    strcmp(fp->state, FENCED_VERIFIED) ? ")" : "");
		else if (p->state == PORT_DOWN && cfg->peer && strcmp(p->node, cfg->peer) == 0)
			problem(r, NAGIOS_WARNING, "%s %s of peer %s is down, not by fencer", p->sw->name,
			    p->port, p->node);
next:		;
	}
}

/* ---- the Prometheus textfile ------------------------------------------------- */

struct text {
	char buf[32768];
	size_t used;
};

static void add(struct text *m, const char *fmt, ...) PRINTF(2, 3);
static void add(struct text *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->used >= sizeof m->buf)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->used, sizeof m->buf - m->used, fmt, ap);
	va_end(ap);
	m->used = n < 0 ? m->used : m->used + (size_t)n;
}

static void metrics_switches(struct text *m, const struct config *cfg, const struct switch_check *sc)
{
	add(m, "# HELP fencer_switch_up Whether the switch answered the health check.\n"
	    "# TYPE fencer_switch_up gauge\n");
	for (size_t i = 0; i < cfg->nswitches; i++)
		add(m, "fencer_switch_up{switch=\"%s\"} %d\n", cfg->switches[i]->name, sc[i].answered);
	add(m, "# HELP fencer_switch_latency_seconds Time to log in and probe the switch.\n"
	    "# TYPE fencer_switch_latency_seconds gauge\n");
	for (size_t i = 0; i < cfg->nswitches; i++)
		if (sc[i].answered)
			add(m, "fencer_switch_latency_seconds{switch=\"%s\"} %.3f\n", cfg->switches[i]->name,
			    (double)sc[i].latency_ms / 1000);
	add(m, "# HELP fencer_switch_write_ok Whether the switch took the write a fence makes (check-write).\n"
	    "# TYPE fencer_switch_write_ok gauge\n");
	for (size_t i = 0; i < cfg->nswitches; i++)
		if (sc[i].write)
			add(m, "fencer_switch_write_ok{switch=\"%s\"} %d\n", cfg->switches[i]->name, sc[i].write > 0);
	add(m, "# HELP fencer_switch_flush_ok Whether the switch has what the MAC flush uses.\n"
	    "# TYPE fencer_switch_flush_ok gauge\n");
	for (size_t i = 0; i < cfg->nswitches; i++)
		if (sc[i].flush)
			add(m, "fencer_switch_flush_ok{switch=\"%s\"} %d\n", cfg->switches[i]->name, sc[i].flush > 0);
}

static void metrics_ports(struct text *m, const struct target_set *t, const struct fenced *f)
{
	add(m, "# HELP fencer_port_fenced Whether fencer shut the port and has not given it back "
	    "(2: its shutdown was sent, not verified).\n# TYPE fencer_port_fenced gauge\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct fenced_port *fp = fenced_find(f, t->v[i].sw->name, t->v[i].port);

		add(m, "fencer_port_fenced{node=\"%s\",switch=\"%s\",port=\"%s\"} %d\n", t->v[i].node,
		    t->v[i].sw->name, t->v[i].port, !fp ? 0 : strcmp(fp->state, FENCED_VERIFIED) == 0 ? 1 : 2);
	}
	add(m, "# HELP fencer_port_admin_up The port's administrative state as read (1 up, 0 down).\n"
	    "# TYPE fencer_port_admin_up gauge\n");
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].state != PORT_UNKNOWN)
			add(m, "fencer_port_admin_up{node=\"%s\",switch=\"%s\",port=\"%s\"} %d\n", t->v[i].node,
			    t->v[i].sw->name, t->v[i].port, t->v[i].state == PORT_UP);
}

static void metrics_last_promote(struct text *m, const struct config *cfg)
{
	struct last_result lr;

	if (last_result_load(cfg->state_dir, &lr) < 0)
		return;
	add(m, "# HELP fencer_last_promote_exit_code Exit status of the last promote (0 ok, 1 failed, "
	    "3 a later step failed).\n# TYPE fencer_last_promote_exit_code gauge\n"
	    "fencer_last_promote_exit_code %d\n", lr.exit_code);
	add(m, "# HELP fencer_last_promote_duration_seconds How long the last promote took.\n"
	    "# TYPE fencer_last_promote_duration_seconds gauge\nfencer_last_promote_duration_seconds %.3f\n",
	    (double)lr.duration_ms / 1000);
	add(m, "# HELP fencer_last_promote_timestamp_seconds When the last promote ended (Unix time).\n"
	    "# TYPE fencer_last_promote_timestamp_seconds gauge\nfencer_last_promote_timestamp_seconds %.3f\n",
	    (double)lr.finished_ms / 1000);
}

/* node_exporter's textfile collector does not run as root: 0644. */
static void write_metrics(const struct config *cfg, const struct check_result *r, const struct switch_check *sc,
    const struct target_set *t, const struct fenced *f)
{
	struct text *m = calloc(1, sizeof *m);
	char err[512];

	if (!m)
		return;
	add(m, "# HELP fencer_check_status Nagios status of the last fencer check (0 OK .. 3 UNKNOWN).\n"
	    "# TYPE fencer_check_status gauge\nfencer_check_status %d\n", r->status);
	metrics_switches(m, cfg, sc);
	metrics_ports(m, t, f);
	metrics_last_promote(m, cfg);
	if (m->used >= sizeof m->buf)
		fprintf(stderr, "fencer: %s not written: more than %zu bytes\n", cfg->metrics_file, sizeof m->buf);
	else if (atomic_write_mode(cfg->metrics_file, m->buf, m->used, 0644, err, sizeof err) < 0)
		fprintf(stderr, "fencer: %s\n", err);
	free(m);
}

/* Notify when the status turns CRITICAL, once: the last status is kept in
 * state-dir/check-status (a check timer runs every minute). */
static void notify_if_turned_critical(const struct config *cfg, struct run *run, const struct check_result *r)
{
	char path[4096], last[32] = "", err[512], text[2048] = "";
	size_t used = 0;
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
	if (r->status != NAGIOS_CRITICAL || strcmp(last, "CRITICAL") == 0)
		return;
	for (size_t i = 0; i < r->nproblems && used < sizeof text; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? "; " : "", r->problems[i].text);
	notify_send(cfg, run, text, NAGIOS_CRITICAL);
}

static void print_json(const struct config *cfg, const struct check_result *r, const struct switch_check *sc)
{
	json_t *o = json_pack("{s:s, s:i}", "status", nagios_names[r->status], "exit_code", r->status);
	json_t *problems = json_array(), *switches = json_array();
	char *s;

	for (size_t i = 0; i < r->nproblems; i++)
		json_array_append_new(problems, json_string(r->problems[i].text));
	for (size_t i = 0; i < cfg->nswitches; i++) {
		json_t *w;

		if (!sc[i].asked)
			continue;
		w = json_pack("{s:s, s:b, s:s}", "switch", cfg->switches[i]->name, "answered", sc[i].answered,
		    "info", sc[i].info);
		if (sc[i].answered)
			json_object_set_new(w, "latency_ms", json_integer(sc[i].latency_ms));
		if (sc[i].flush)
			json_object_set_new(w, "flush", json_pack("{s:b, s:s}", "ok", sc[i].flush > 0, "info",
			    sc[i].flush_info));
		if (sc[i].write || sc[i].write_info[0])
			json_object_set_new(w, "write", sc[i].write ? json_pack("{s:b, s:s}", "ok", sc[i].write > 0,
			    "info", sc[i].write_info) : json_pack("{s:n, s:s}", "ok", "info", sc[i].write_info));
		json_array_append_new(switches, w);
	}
	json_object_set_new(o, "problems", problems);
	json_object_set_new(o, "perfdata", json_string(r->perf));
	json_object_set_new(o, "switches", switches);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

static void print_text(const struct cli *cli, const struct check_result *r, const struct switch_check *sc,
    size_t nswitches, size_t nports)
{
	const struct config *cfg = cli->cfg;

	printf("FENCER %s - %zu switch%s, %zu port%s", nagios_names[r->status], nswitches, nswitches == 1 ? "" : "es",
	    nports, nports == 1 ? "" : "s");
	for (size_t i = 0; i < r->nproblems; i++)
		printf("%s%s", i ? "; " : ": ", r->problems[i].text);
	printf(" | %s\n", r->perf);
	/* -v: Nagios long output, what each switch said about itself */
	for (size_t i = 0; cli->verbose && i < cfg->nswitches; i++) {
		if (!sc[i].answered)
			continue;
		printf("%s: %s\n", cfg->switches[i]->name, sc[i].info);
		if (sc[i].flush)
			printf("%s: MAC flush: %s\n", cfg->switches[i]->name, sc[i].flush_info);
		if (sc[i].write_info[0])
			printf("%s: write: %s\n", cfg->switches[i]->name, sc[i].write_info);
	}
}

/* The write test runs under the run lock, never waiting for it: a check
 * must not delay a promote, and a promote in progress is not raced. */
static void check_write(struct cli *cli, struct run *run, const struct target_set *t, struct switch_check *sc)
{
	const struct config *cfg = cli->cfg;
	char err[512];
	bool waited;
	int fd;

	for (size_t i = 0; i < cfg->nswitches; i++)
		if (sc[i].answered && cfg->switches[i]->check_write && cfg->switches[i]->driver->probe_write)
			goto try;
	return;
try:
	if ((fd = lock_take(cfg->state_dir, 0, &waited, err, sizeof err)) < 0) {
		for (size_t i = 0; i < cfg->nswitches; i++)
			if (sc[i].answered && cfg->switches[i]->check_write)
				snprintf(sc[i].write_info, sizeof sc[i].write_info, "not tried: %s", err);
		return;
	}
	engine_check_write(run, t, sc);
	lock_release(fd);
}

int cmd_check(struct cli *);

int cmd_check(struct cli *cli)
{
	const struct config *cfg = cli->cfg;
	const char *only = cli->nargs ? cli->args[0] : NULL;
	struct check_result *r = calloc(1, sizeof *r);
	struct switch_check *sc = calloc(cfg->nswitches + 1, sizeof *sc);
	struct target_set t = { 0 }, all = { 0 };
	size_t nswitches = only ? 1 : cfg->nswitches;
	struct fenced f;
	struct run run;
	char err[512];
	int status;

	if (!r || !sc)
		fatalx("out of memory");
	if (fenced_load(cfg->state_dir, &f, err, sizeof err) < 0) {
		if (cli->json)
			cli_json_error(NAGIOS_UNKNOWN, "%s", err);
		else
			printf("FENCER UNKNOWN - %s\n", err);
		free(r);
		free(sc);
		return NAGIOS_UNKNOWN;
	}
	targets_of_node(cfg, NULL, &all);
	for (size_t i = 0; i < all.n; i++)
		if (!only || strcmp(all.v[i].sw->name, only) == 0)
			targets_add(&t, all.v[i].node, all.v[i].sw, all.v[i].port);
	targets_free(&all);
	run_init(&run, cfg, "check", false);
	engine_check_read(&run, &t, only, sc);
	check_write(cli, &run, &t, sc);
	for (size_t i = 0; i < cfg->nswitches; i++) {	/* the switches' words */
		redact_buf(sc[i].info, sizeof sc[i].info, false);
		redact_buf(sc[i].flush_info, sizeof sc[i].flush_info, false);
		redact_buf(sc[i].write_info, sizeof sc[i].write_info, false);
	}
	judge_switches(cfg, sc, r);
	judge_ports(cfg, &t, &f, sc, r);
	if (cli->json)
		print_json(cfg, r, sc);
	else
		print_text(cli, r, sc, nswitches, t.n);
	/* the timer's full check keeps the textfile and the CRITICAL notice;
	 * a look at one switch leaves them as they are */
	if (!only && cfg->metrics_file)
		write_metrics(cfg, r, sc, &t, &f);
	if (!only)
		notify_if_turned_critical(cfg, &run, r);
	run_close(&run);
	fenced_free(&f);
	targets_free(&t);
	status = r->status;
	free(r);
	free(sc);
	return status;
}
