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
 * Wiring (fencer/wiring.h): a port shown to lead elsewhere is CRITICAL,
 * one that cannot be shown to lead to its node UNKNOWN; the findings go to
 * state-dir/wiring.json for the next promote. The worst status wins, in
 * the order of the monitoring plugins' max_state_alt: CRITICAL, WARNING,
 * UNKNOWN, OK.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/notify.h"
#include "fencer/redact.h"
#include "fencer/state.h"
#include "fencer/wiring.h"

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
	static const int rank[] = { [NAGIOS_OK] = 0, [NAGIOS_UNKNOWN] = 1, [NAGIOS_WARNING] = 2,
		[NAGIOS_CRITICAL] = 3 };
	va_list ap;

	if (rank[status] > rank[r->status])
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

/* The node's MAC on this link, from its port line. */
static void wiring_port_via(const struct config *cfg, struct wiring_port *w)
{
	const struct node_config *n = config_node(cfg, w->node);

	for (size_t i = 0; n && i < n->nports; i++)
		if (n->ports[i].has_mac && strcmp(n->ports[i].sw->name, w->sw) == 0 &&
		    strcmp(n->ports[i].port, w->port) == 0) {
			w->has_via = true;
			memcpy(w->via, n->ports[i].mac, 6);
		}
}

static void judge_wiring(const struct wiring_port *w, size_t n, struct check_result *r)
{
	for (size_t i = 0; i < n; i++) {
		if (!w[i].asked || w[i].status == WIRING_OK)
			continue;
		problem(r, w[i].status == WIRING_WRONG ? NAGIOS_CRITICAL : NAGIOS_UNKNOWN, "%s", w[i].reason);
	}
}

/* The findings for the next promote: this check's ports replace what an
 * earlier check said of them; a check of one switch keeps the others'. */
static void record_wiring(const struct config *cfg, const struct wiring_port *w, size_t n)
{
	struct wiring_record old, rec = { 0 };
	struct invocation now;
	char time[32];

	invocation_now(&now);
	rfc3339_now(time, sizeof time);
	if (wiring_record_load(cfg->state_dir, &old) < 0)
		old = (struct wiring_record){ 0 };
	for (size_t i = 0; i < old.n; i++) {
		bool again = false;

		for (size_t k = 0; k < n && !again; k++)
			again = w[k].asked && strcmp(w[k].sw, old.v[i].sw) == 0 && strcmp(w[k].port, old.v[i].port) == 0;
		if (!again)
			wiring_record_add(&rec, &old.v[i]);
	}
	for (size_t i = 0; i < n; i++) {
		struct wiring_entry e = { .checked = now };

		if (!w[i].asked)
			continue;
		snprintf(e.sw, sizeof e.sw, "%s", w[i].sw);
		snprintf(e.port, sizeof e.port, "%s", w[i].port);
		snprintf(e.node, sizeof e.node, "%s", w[i].node);
		snprintf(e.status, sizeof e.status, "%s", wiring_status_name(w[i].status));
		snprintf(e.leads_to, sizeof e.leads_to, "%s", w[i].leads_to ? w[i].leads_to : "");
		snprintf(e.reason, sizeof e.reason, "%s", w[i].reason);
		snprintf(e.time, sizeof e.time, "%s", time);
		wiring_record_add(&rec, &e);
	}
	if (rec.n && wiring_record_save(cfg->state_dir, &rec) < 0)
		fprintf(stderr, "fencer: %s/wiring.json not written\n", cfg->state_dir);
	wiring_record_free(&old);
	wiring_record_free(&rec);
}

static json_t *wiring_json(const struct wiring_port *w)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "switch", w->sw, "port", w->port, "node", w->node,
	    "status", wiring_status_name(w->status), "reason", w->reason);
	json_t *macs = json_array(), *lldp = json_array();
	char m[18];

	json_object_set_new(o, "leads_to", w->leads_to ? json_string(w->leads_to) : json_null());
	for (size_t i = 0; i < w->macs.n; i++) {
		const uint8_t *b = w->macs.v[i];

		snprintf(m, sizeof m, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
		json_array_append_new(macs, json_string(m));
	}
	for (size_t i = 0; i < w->lldp.n; i++)
		json_array_append_new(lldp, json_pack("{s:s, s:s, s:s, s:s}", "system_name", w->lldp.v[i].sysname,
		    "chassis_id", w->lldp.v[i].chassis, "port_id", w->lldp.v[i].port_id, "port_description",
		    w->lldp.v[i].port_descr));
	json_object_set_new(o, "macs", w->macs_read ? macs : (json_decref(macs), json_null()));
	if (!w->macs_read)
		json_object_set_new(o, "macs_error", json_string(w->macs_error));
	json_object_set_new(o, "lldp", w->lldp_read ? lldp : (json_decref(lldp), json_null()));
	if (!w->lldp_read)
		json_object_set_new(o, "lldp_error", json_string(w->lldp_error));
	return o;
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

static void metrics_wiring(struct text *m, const struct wiring_port *w, size_t n)
{
	add(m, "# HELP fencer_port_wiring Whether the port was shown to lead to its node (1), "
	    "could not be shown (0), or was shown to lead elsewhere (-1).\n# TYPE fencer_port_wiring gauge\n");
	for (size_t i = 0; i < n; i++)
		if (w[i].asked)
			add(m, "fencer_port_wiring{node=\"%s\",switch=\"%s\",port=\"%s\"} %d\n", w[i].node, w[i].sw,
			    w[i].port, w[i].status == WIRING_OK ? 1 : w[i].status == WIRING_WRONG ? -1 : 0);
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
    const struct target_set *t, const struct fenced *f, const struct wiring_port *w)
{
	struct text *m = xcalloc(1, sizeof *m);
	char err[512];

	add(m, "# HELP fencer_check_status Nagios status of the last fencer check (0 OK .. 3 UNKNOWN).\n"
	    "# TYPE fencer_check_status gauge\nfencer_check_status %d\n", r->status);
	metrics_switches(m, cfg, sc);
	metrics_ports(m, t, f);
	metrics_wiring(m, w, t->n);
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

static void print_json(FILE *out, const struct config *cfg, const struct check_result *r,
    const struct switch_check *sc, const struct wiring_port *wp, size_t nports)
{
	json_t *o = json_pack("{s:s, s:i}", "status", nagios_names[r->status], "exit_code", r->status);
	json_t *problems = json_array(), *switches = json_array(), *wiring;
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
	json_object_set_new(o, "wiring", wiring = json_array());
	for (size_t i = 0; i < nports; i++)
		if (wp[i].asked)
			json_array_append_new(wiring, wiring_json(&wp[i]));
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fprintf(out, "%s\n", s);
	free(s);
	json_decref(o);
}

static void print_text(FILE *out, const struct cli *cli, const struct check_result *r, const struct switch_check *sc,
    size_t nswitches, size_t nports, const struct wiring_port *wp)
{
	const struct config *cfg = cli->cfg;

	fprintf(out, "FENCER %s - %zu switch%s, %zu port%s", nagios_names[r->status], nswitches, nswitches == 1 ? "" : "es",
	    nports, nports == 1 ? "" : "s");
	for (size_t i = 0; i < r->nproblems; i++)
		fprintf(out, "%s%s", i ? "; " : ": ", r->problems[i].text);
	fprintf(out, " | %s\n", r->perf);
	/* -v: Nagios long output, what each switch said about itself */
	for (size_t i = 0; cli->verbose && i < cfg->nswitches; i++) {
		if (!sc[i].answered)
			continue;
		fprintf(out, "%s: %s\n", cfg->switches[i]->name, sc[i].info);
		if (sc[i].flush)
			fprintf(out, "%s: MAC flush: %s\n", cfg->switches[i]->name, sc[i].flush_info);
		if (sc[i].write_info[0])
			fprintf(out, "%s: write: %s\n", cfg->switches[i]->name, sc[i].write_info);
	}
	for (size_t i = 0; cli->verbose && i < nports; i++)
		if (wp[i].asked)
			fprintf(out, "wiring %s: %s\n", wiring_status_name(wp[i].status), wp[i].reason);
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

/* fencer check; through fencer serve when it answers, on its kept
 * sessions (docs/serve.md). Its report goes to cli->out (stdout). */
int cmd_check(struct cli *cli)
{
	FILE *out = cli->out ? cli->out : stdout;
	const struct config *cfg = cli->cfg;
	const char *only = cli->nargs ? cli->args[0] : NULL;
	struct check_result *r = xcalloc(1, sizeof *r);
	struct switch_check *sc = xcalloc(cfg->nswitches + 1, sizeof *sc);
	struct target_set t = { 0 }, all = { 0 };
	struct wiring_node *nodes = xcalloc(cfg->nnodes + 1, sizeof *nodes);
	struct wiring_port *wp;
	size_t nswitches = only ? 1 : cfg->nswitches;
	struct fenced f;
	struct run run;
	char err[512];
	int status;

	if (!cli->no_serve && serve_client_run(cli, "check", &status)) {
		free(r);
		free(sc);
		free(nodes);
		return status;
	}
	if (fenced_load(cfg->state_dir, &f, err, sizeof err) < 0) {
		if (cli->json && !cli->out)
			cli_json_error(NAGIOS_UNKNOWN, "%s", err);
		else if (cli->json) {
			json_t *o = json_pack("{s:s, s:i}", "error", err, "exit_code", NAGIOS_UNKNOWN);
			char *doc = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

			fprintf(out, "%s\n", doc ? doc : "{}");
			free(doc);
			json_decref(o);
		}
		else
			fprintf(out, "FENCER UNKNOWN - %s\n", err);
		free(r);
		free(sc);
		free(nodes);
		return NAGIOS_UNKNOWN;
	}
	/* every level's ports: a level 2 that cannot be read is found now, not
	 * when level 1 fails */
	targets_of_level(cfg, NULL, LEVELS_ALL, &all);
	for (size_t i = 0; i < all.n; i++)
		if (!only || strcmp(all.v[i].sw->name, only) == 0) {
			targets_add(&t, all.v[i].node, all.v[i].sw, all.v[i].port);
			t.v[t.n - 1].level = all.v[i].level;
		}
	targets_free(&all);
	wp = xcalloc(t.n + 1, sizeof *wp);
	for (size_t i = 0; i < t.n; i++) {
		wp[i] = (struct wiring_port){ .sw = t.v[i].sw->name, .port = t.v[i].port, .node = t.v[i].node };
		wiring_port_via(cfg, &wp[i]);
		/* a higher level's port may lead to the node through other
		 * switches (an uplink) or to no link at all (a PDU outlet): the
		 * wiring check is level 1's */
		if (t.v[i].sw->check_wiring && t.v[i].level == 1)
			t.v[i].wiring = &wp[i];
	}
	wiring_nodes(cfg, nodes);
	run_init(&run, cfg, "check", false);
	engine_check_read(&run, &t, only, true, sc);
	wiring_judge(wp, t.n, nodes, cfg->nnodes);
	check_write(cli, &run, &t, sc);
	for (size_t i = 0; i < cfg->nswitches; i++) {	/* the switches' words */
		redact_buf(sc[i].info, sizeof sc[i].info, false);
		redact_buf(sc[i].flush_info, sizeof sc[i].flush_info, false);
		redact_buf(sc[i].write_info, sizeof sc[i].write_info, false);
	}
	judge_switches(cfg, sc, r);
	judge_ports(cfg, &t, &f, sc, r);
	judge_wiring(wp, t.n, r);
	record_wiring(cfg, wp, t.n);
	if (cli->json)
		print_json(out, cfg, r, sc, wp, t.n);
	else
		print_text(out, cli, r, sc, nswitches, t.n, wp);
	/* the timer's full check keeps the textfile and the CRITICAL notice;
	 * a look at one switch leaves them as they are */
	if (!only && cfg->metrics_file)
		write_metrics(cfg, r, sc, &t, &f, wp);
	if (!only)
		notify_if_turned_critical(cfg, &run, r);
	run_close(&run);
	fenced_free(&f);
	for (size_t i = 0; i < t.n; i++)
		wiring_port_free(&wp[i]);
	free(wp);
	wiring_nodes_free(nodes, cfg->nnodes);
	free(nodes);
	targets_free(&t);
	status = r->status;
	free(r);
	free(sc);
	return status;
}
