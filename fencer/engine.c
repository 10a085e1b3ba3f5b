/*
 * The failover engine: the sequences of the commands that act on switches,
 * read top to bottom. The switches' work runs in the worker pool
 * (fencer/pool.h); docs/architecture.md has the promote sequence at
 * length.
 *
 *   lock -> journal(begin) -> fence peer ports (parallel per switch) -> verify
 *        -> watch (the fence race, fencer/race.h)
 *        -> [abort if unverified and on-fence-failure=abort]
 *        -> activate -> flush MAC tables (parallel, in the workers)
 *                       + first announce round (at once, in this thread)
 *        -> notify -> journal(end, timings)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/announce.h"
#include "fencer/command.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/levels.h"
#include "fencer/log.h"
#include "fencer/notify.h"
#include "fencer/pool.h"
#include "fencer/race.h"
#include "fencer/state.h"
#include "fencer/wiring.h"

/* The race was lost: the peer's ports are up, by the peer's hand. */
static int record_lost(struct run *run, const struct target_set *peer)
{
	const char *dir = run->cfg->state_dir;
	struct fenced f;
	char err[512];
	int rc;

	if (fenced_load(dir, &f, err, sizeof err) < 0) {
		run_note(run, "state", OUT_FAILED, err);
		return -1;
	}
	for (size_t i = 0; i < peer->n; i++)
		fenced_remove(&f, peer->v[i].sw->name, peer->v[i].port);
	if ((rc = fenced_save(dir, &f, err, sizeof err)) < 0)
		run_note(run, "state", OUT_FAILED, err);
	fenced_free(&f);
	return rc;
}

/* Targets asked for `want` (PORT_UNKNOWN: any) that did not get there. */
static size_t count_failed(const struct target_set *t, enum port_state want)
{
	size_t bad = 0;

	for (size_t i = 0; i < t->n; i++)
		bad += !t->v[i].ok && (want == PORT_UNKNOWN || t->v[i].want == want);
	return bad;
}

/* Set the ports, verify them, and watch them for the race window: a
 * fence, unfence or fence_fencer answer is what still held at its end.
 * Within dl (the run's) and work (the fencing's) when given, so that the
 * levels of one fence share one deadline; else a deadline of its own. */
static int set_ports_within(struct run *run, struct target_set *t, enum port_state want,
    const struct deadline *dl, const struct deadline *work)
{
	struct pool *p;
	int bad;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].want == PORT_UNKNOWN)
			t->v[i].want = want;
	p = pool_new(run, t, JOB_CLAIM, run->cfg->deadline_ms);
	if (dl) {
		p->dl = *dl;
		p->work_dl = *work;
	}
	pool_start(p, NULL);
	pool_wait(p, PHASE_VERDICT, &p->work_dl);
	pool_watch(p);
	pool_wait(p, PHASE_WATCHED, &p->work_dl);
	pool_tell(p, TELL_STOP);
	pool_wait(p, PHASE_FINISHED, &p->work_dl);
	bad = (int)count_failed(t, PORT_UNKNOWN);
	pthread_mutex_lock(&p->state_mu);
	if (record_fenced(run, t) < 0 && !bad)
		bad = -1;
	pthread_mutex_unlock(&p->state_mu);
	pool_free(p);
	return bad;
}

int engine_set_ports(struct run *run, struct target_set *t, enum port_state want)
{
	return set_ports_within(run, t, want, NULL, NULL);
}

/* ---- fencing levels (fencer/levels.h) ------------------------------------------ */

/* The levels after the last one done, while none fenced the node: each
 * fence-only (its ports down, never one up: a level above 1 can shut a
 * node out, never let it forward), watched like a fence, and given what is
 * left of work. Every step is journaled as "level". */
static void fence_levels(struct run *run, const char *node, struct levels *lv, const struct deadline *dl,
    const struct deadline *work)
{
	char msg[1024];

	for (int k = levels_next(lv); k; k = levels_next(lv)) {
		struct target_set t = { 0 };
		long left = deadline_left_ms(work);
		int bad;

		targets_of_level(run->cfg, node, k, &t);
		if (left <= 0) {
			levels_no_time(lv, k);
			snprintf(msg, sizeof msg, "level %d of %s not tried: no time left of the deadline", k, node);
			run_note(run, "level", OUT_SKIPPED, msg);
			log_warnx("%s", msg);
			targets_free(&t);
			break;
		}
		snprintf(msg, sizeof msg, "level %d of %s not verified; fencing %s at level %d (%zu port%s, "
		    "%ld ms left)", k - 1, node, node, k, t.n, t.n == 1 ? "" : "s", left);
		run_note(run, "level", OUT_START, msg);
		log_warnx("%s", msg);
		bad = set_ports_within(run, &t, PORT_DOWN, dl, work);
		if (bad < 0) {		/* done, but fenced.json not written: reported already */
			run->journal_failed = true;
			bad = 0;
		}
		levels_done(lv, k, t.n, (size_t)bad);
		if (lv->fenced_by == k)
			snprintf(msg, sizeof msg, "%s fenced at level %d (%zu port%s)", node, k, t.n, t.n == 1 ? "" : "s");
		else
			snprintf(msg, sizeof msg, "level %d of %s: %d of %zu port%s not verified down", k, node, bad, t.n,
			    t.n == 1 ? "" : "s");
		run_note(run, "level", lv->fenced_by == k ? OUT_OK : OUT_FAILED, msg);
		targets_free(&t);
	}
}

/* fence: the node's level 1 ports (t), then its higher levels while the
 * level before is not verified, all within one deadline. Returns the
 * number of ports of the last level tried not verified (0: fenced), or -1
 * when fenced but fenced.json could not be written. */
static int fence_node(struct run *run, const char *node, struct target_set *t, struct levels *lv)
{
	const struct node_config *n = config_node(run->cfg, node);
	struct deadline dl;
	int bad;

	levels_init(lv, n ? n->nlevels : 1);
	deadline_start(&dl, run->cfg->deadline_ms);
	bad = set_ports_within(run, t, PORT_DOWN, &dl, &dl);
	levels_done(lv, 1, t->n, bad > 0 ? (size_t)bad : 0);
	fence_levels(run, node, lv, &dl, &dl);
	if (lv->fenced_by)
		return bad < 0 && lv->fenced_by == 1 ? -1 : 0;
	return lv->at ? (int)lv->v[lv->at].bad + (lv->v[lv->at].no_time ? 1 : 0) : bad;
}

void engine_get_ports(struct run *run, struct target_set *t)
{
	struct pool *p = pool_new(run, t, JOB_GET, run->cfg->deadline_ms);

	pool_start(p, NULL);
	pool_wait(p, PHASE_FINISHED, &p->work_dl);
	pool_free(p);
}

static size_t switch_index(const struct config *cfg, const struct sw_config *sw)
{
	size_t i = 0;

	while (i < cfg->nswitches && cfg->switches[i] != sw)
		i++;
	return i;
}

void engine_check_read(struct run *run, struct target_set *t, const char *only, bool deep,
    struct switch_check *r)
{
	const struct config *cfg = run->cfg;
	struct pool *p = pool_new(run, NULL, JOB_PROBE, cfg->deadline_ms);

	p->deep = deep;
	/* every switch, even one with no configured port */
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < t->n; k++)
			if (t->v[k].sw == p->jobs[i].sw.cfg)
				job_attach(&p->jobs[i], &t->v[k]);
	pool_start(p, only);
	pool_wait(p, PHASE_FINISHED, &p->work_dl);
	pthread_mutex_lock(&p->threads.mu);
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->jobs[i];
		struct switch_check *c = &r[switch_index(cfg, j->sw.cfg)];

		*c = (struct switch_check){ .asked = !only || strcmp(j->sw.cfg->name, only) == 0 };
		c->answered = c->asked && j->probe_ok && !j->cut;
		c->latency_ms = j->latency_ms;
		snprintf(c->info, sizeof c->info, "%s", j->cut ? "no answer within the deadline" :
		    j->probe_ok ? j->sw.info : j->sw.err);
		c->flush = j->cut ? 0 : j->flush_probe;
		snprintf(c->flush_info, sizeof c->flush_info, "%s", j->flush_info);
	}
	pthread_mutex_unlock(&p->threads.mu);
	pool_free(p);
}

/* The port a write probe may use: one of the peer's (never this node's own:
 * the peer's promote may be shutting those), and an up one first. An SNMP
 * write probe sets the value it has just read: on an up port only this
 * node's own fencer would set another (down), and it is kept out by the run
 * lock; a down port may be brought up by the peer's own promote between the
 * read and the write, which the write would undo. */
static const struct target *write_probe_port(const struct config *cfg, const struct target_set *t,
    const struct sw_config *sw)
{
	const struct target *down = NULL;

	for (size_t k = 0; cfg->peer && k < t->n; k++) {
		const struct target *c = &t->v[k];

		if (c->sw != sw || strcmp(c->node, cfg->peer) != 0 || c->state == PORT_UNKNOWN)
			continue;
		if (c->state == PORT_UP)
			return c;
		if (!down)
			down = c;
	}
	return down;
}

void engine_check_write(struct run *run, const struct target_set *t, struct switch_check *r)
{
	const struct config *cfg = run->cfg;
	struct target_set one = { 0 };
	struct pool *p;

	for (size_t i = 0; i < cfg->nswitches; i++) {
		const struct sw_config *sw = cfg->switches[i];
		const struct target *c;

		if (!r[i].answered || !sw->check_write || !sw->driver->probe_write)
			continue;
		if (!(c = write_probe_port(cfg, t, sw))) {
			snprintf(r[i].write_info, sizeof r[i].write_info, "not tried: no port of the peer on it");
			continue;
		}
		targets_add(&one, c->node, sw, c->port);
		one.v[one.n - 1].want = c->state;
	}
	if (!one.n)
		return;
	p = pool_new(run, &one, JOB_PROBE_WRITE, cfg->deadline_ms);
	pool_start(p, NULL);
	pool_wait(p, PHASE_FINISHED, &p->work_dl);
	pthread_mutex_lock(&p->threads.mu);
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->jobs[i];
		struct switch_check *c = &r[switch_index(cfg, j->sw.cfg)];

		c->write = j->cut ? -1 : j->write_probe;
		snprintf(c->write_info, sizeof c->write_info, "%s", j->cut ? "no answer within the deadline" :
		    j->write_probe > 0 ? j->sw.info : j->sw.err);
	}
	pthread_mutex_unlock(&p->threads.mu);
	pool_free(p);
	targets_free(&one);
}

/* ---- activate / deactivate --------------------------------------------------- */

static int run_hook(struct run *run, const char *step, const char *line, const struct deadline *dl)
{
	char env_node[128], env_peer[128], env_cmd[64], last[512];
	char *env[] = { env_node, env_peer, env_cmd, NULL };
	struct cmd_result res;
	long t0;
	int rc;

	if (!line)
		return 0;
	snprintf(env_node, sizeof env_node, "FENCER_NODE=%s", run->cfg->node);
	snprintf(env_peer, sizeof env_peer, "FENCER_PEER=%s", run->cfg->peer ? run->cfg->peer : "");
	snprintf(env_cmd, sizeof env_cmd, "FENCER_COMMAND=%s", run->command);
	if (run->dry_run) {
		run_plan(run, "would run %s: %s", step, line);
		return 0;
	}
	t0 = run_begin(run, step, NULL, NULL);
	rc = command_run_line(line, env, NULL, dl, &res);
	if (rc == 0 && res.status == 0) {
		run_end(run, step, NULL, NULL, t0, OUT_OK, NULL);
		return 0;
	}
	command_last_line(&res, last, sizeof last);
	snprintf(res.output, sizeof res.output, "%s %s%s%s", res.timed_out ? "cut at the deadline:" :
	    "failed:", line, *last ? ": " : "", last);
	run_end(run, step, NULL, NULL, t0, res.timed_out ? OUT_TIMEOUT : OUT_FAILED, res.output);
	return -1;
}

/* Activation must get its chance even when fencing used its whole budget
 * (on-fence-failure = continue): it has at least this long. */
#define HOOK_MIN_MS 2000

static int activate(struct run *run, const char *step, const char *line, const struct deadline *run_dl)
{
	struct deadline dl;

	if (!run_dl) {		/* nothing was fenced: the whole deadline is its own */
		deadline_start(&dl, run->cfg->deadline_ms);
		return run_hook(run, step, line, &dl);
	}
	deadline_start(&dl, HOOK_MIN_MS);
	if (deadline_left_ms(run_dl) > HOOK_MIN_MS)
		dl = *run_dl;
	return run_hook(run, step, line, &dl);
}

/* ---- the commands ------------------------------------------------------------- */

static void dry_plan(struct run *run, const struct target_set *t, const char *verb)
{
	for (size_t i = 0; i < t->n; i++)
		run_plan(run, "would %s %s %s (node %s, driver %s, %s)", verb, t->v[i].sw->name, t->v[i].port,
		    t->v[i].node, t->v[i].sw->driver->name,
		    t->v[i].sw->address ? t->v[i].sw->address : "no address");
}

/* A node's higher levels, in the order a fence would try them. */
static void dry_levels(struct run *run, const char *node)
{
	const struct node_config *n = config_node(run->cfg, node);

	for (int k = 2; n && k <= n->nlevels; k++)
		for (size_t j = 0; j < n->nports; j++)
			if (n->ports[j].level == k)
				run_plan(run, "would fence at level %d if level %d is not verified: %s %s (node %s, "
				    "driver %s)", k, k - 1, n->ports[j].sw->name, n->ports[j].port, node,
				    n->ports[j].sw->driver->name);
}

/* The switches a promote would flush: those it fences on, unless their
 * flush = none or their driver cannot. */
static void dry_flush(struct run *run, const struct target_set *t, size_t npeer)
{
	const struct config *cfg = run->cfg;

	for (size_t s = 0; s < cfg->nswitches; s++) {
		const struct sw_config *sw = cfg->switches[s];
		size_t n = 0;

		for (size_t i = 0; i < npeer; i++)
			n += t->v[i].sw == sw;
		if (!n || sw->flush == FLUSH_NONE || !sw->driver->mac_flush)
			continue;
		run_plan(run, "would flush the MAC table of %s: %s", sw->name,
		    sw->flush == FLUSH_ALL ? "every dynamic entry" : n == 1 ? "the entries of the port fenced" :
		    "the entries of the ports fenced");
	}
}

static void dry_notify(struct run *run)
{
	const struct notify_config *n = &run->cfg->notify;

	if (!n->present || (!n->mail_to.n && !n->webhooks.n && !n->traps.n))
		return;
	run_plan(run, "would notify:%s%s%s%s%s%s", n->mail_to.n ? " mail to " : "",
	    n->mail_to.n ? n->mail_to.v[0] : "", n->mail_to.n > 1 ? " and others" : "",
	    n->webhooks.n ? n->mail_to.n ? ", webhook" : " webhook" : "",
	    n->traps.n ? (n->mail_to.n || n->webhooks.n) ? ", trap to " : " trap to " : "",
	    n->traps.n ? n->traps.v[0] : "");
}

/* "fw1 fenced (2 ports)" or "fw1: 1 of 2 ports not verified down". */
static const char *ports_phrase(char *buf, size_t len, const char *node, const char *verb,
    const struct target_set *t, size_t bad)
{
	if (bad)
		snprintf(buf, len, "%s: %zu of %zu port%s not verified %s", node, bad, t->n, t->n == 1 ? "" : "s",
		    strcmp(verb, "fenced") == 0 ? "down" : "up");
	else
		snprintf(buf, len, "%s %s (%zu port%s)", node, verb, t->n, t->n == 1 ? "" : "s");
	return buf;
}

static void summarize(struct run *run, const char *outcome, int code)
{
	char msg[512];

	snprintf(msg, sizeof msg, "%s in %ld ms%s", outcome, run_elapsed_ms(run),
	    code == EXIT_OK ? "" : code == EXIT_PARTIAL ? " (a later step failed)" : " (failed)");
	run_note(run, "end", code == EXIT_OK ? OUT_OK : code == EXIT_PARTIAL ? OUT_FAILED : OUT_ABORTED, msg);
}

static int finish(struct run *run, const char *outcome, int code)
{
	if (!run->dry_run && notify_send(run->cfg, run, outcome, code) < 0 && code == EXIT_OK)
		code = EXIT_PARTIAL;
	if (!run->dry_run)
		summarize(run, outcome, code);
	return code;
}

static enum race_role promote_role(const struct config *cfg)
{
	const struct node_config *me = config_node(cfg, cfg->node);
	const struct node_config *peer = cfg->peer ? config_node(cfg, cfg->peer) : NULL;

	return !me || !peer || race_outranks(me, peer) ? RACE_WINS : RACE_YIELDS;
}

/* Fence the peer's ports and bring this node's own back (the peer may have
 * fenced them when it was promoted), then watch them (fencer/race.h): the
 * node that wins a race goes on watching while it activates; the other one
 * returns only when its window has passed quietly, or it lost. Within each
 * switch session the peer's ports go first: this node's bridge is not
 * active yet, so its ports coming up cannot close a loop, and a re-assert
 * while it is active never has both nodes' ports up on one switch. */
static struct pool *promote_fence(struct run *run, struct target_set *t)
{
	const struct config *cfg = run->cfg;
	struct pool *p;

	for (size_t i = 0; i < t->n; i++)
		t->v[i].want = strcmp(t->v[i].node, cfg->node) == 0 ? PORT_UP : PORT_DOWN;
	/* Fencing and its watch get four fifths of the deadline: the rest is
	 * activation's. */
	p = pool_new(run, t, JOB_CLAIM, cfg->deadline_ms * 4 / 5);
	race_init(&p->race, promote_role(cfg), cfg->race_window_ms);
	p->race.flush_wanted = true;
	pool_start(p, NULL);
	pool_wait(p, PHASE_VERDICT, &p->work_dl);
	pool_watch(p);
	/* The watch ends by the fencing deadline; its last round may take a
	 * moment longer. The node that yields decides on its last reads. */
	if (p->race.role == RACE_YIELDS) {
		pool_wait(p, PHASE_WATCHED, &p->dl);
		pool_refresh(p);
	}
	pthread_mutex_lock(&p->state_mu);
	if (record_fenced(run, t) < 0)
		run->journal_failed = true;	/* the fencing stands; its record does not */
	pthread_mutex_unlock(&p->state_mu);
	return p;
}

/* The peer won the race: it holds the switches. This node deactivates,
 * writes nothing more, and drops the peer's ports from its record (they
 * are up, and not by a mistake of anyone's). */
static int promote_stand_down(struct run *run, struct pool *p, struct target_set *t, size_t npeer)
{
	const struct config *cfg = run->cfg;
	char msg[600];

	pool_tell(p, TELL_STOP);
	pthread_mutex_lock(&p->threads.mu);
	snprintf(msg, sizeof msg, "%s lost the fence race to %s (%s's claim seen on %s): standing down, "
	    "its ports left as they are", cfg->node, cfg->peer, cfg->peer, p->race.evidence);
	pthread_mutex_unlock(&p->threads.mu);
	run_note(run, "race", OUT_ABORTED, msg);
	log_warnx("%s", msg);
	if (cfg->announce.present)
		announce_stop(cfg);
	activate(run, "deactivate", cfg->deactivate, &p->dl);
	pool_wait(p, PHASE_FINISHED, &p->dl);
	pool_free(p);
	if (record_lost(run, &(struct target_set){ t->v, npeer }) < 0)
		run->journal_failed = true;
	snprintf(msg, sizeof msg, "%s not promoted: lost the fence race to %s", cfg->node, cfg->peer);
	return finish(run, msg, EXIT_FAILED);
}

static int promote_abort(struct run *run, struct pool *p, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof msg, "%s: not activating (on-fence-failure = abort)", what);
	run_note(run, "abort", OUT_ABORTED, msg);
	log_warnx("%s", msg);
	pool_tell(p, TELL_STOP);
	pool_wait(p, PHASE_FINISHED, &p->dl);
	pool_free(p);
	snprintf(msg, sizeof msg, "%s not promoted: %s", run->cfg->node, what);
	return finish(run, msg, EXIT_FAILED);
}

/* Did the flush of this switch matter? Not where no port was written as
 * claimed (the switch could not be reached, or refused every command):
 * there was nothing to flush, and the failure is the fence's, said
 * already; a higher level may have fenced the peer another way. */
static bool flush_counts(struct pool *p, const struct job *j)
{
	bool any = false;

	pthread_mutex_lock(&p->threads.mu);
	for (size_t k = 0; k < j->n && !any; k++)
		any = j->targets[k]->ok;
	pthread_mutex_unlock(&p->threads.mu);
	return any;
}

/* The watch and the flushes are over. A race this node won gets a note
 * and fresh announces: the switches saw the peer's frames meanwhile. */
static bool promote_settled(struct run *run, struct pool *p)
{
	const struct config *cfg = run->cfg;
	bool ok = true;
	char msg[256];

	for (size_t i = 0; i < p->n; i++)
		ok = ok && !(p->jobs[i].flush_failed && flush_counts(p, &p->jobs[i]));
	if (!p->race.reasserts)
		return ok;
	snprintf(msg, sizeof msg, "race settled: another writer's changes answered %u time%s; %s holds "
	    "the ports it claimed", p->race.reasserts, p->race.reasserts == 1 ? "" : "s", cfg->node);
	run_note(run, "race", OUT_OK, msg);
	log_warnx("%s", msg);
	if (cfg->announce.present)
		ok = announce_start(cfg, run) == 0 && ok;
	return ok;
}

/* The peer's ports were verified down, and were not at the end of the
 * watch: on-fence-failure = abort means never forwarding beside a peer
 * that may be. */
static int promote_unheld(struct run *run, const char *what)
{
	char msg[512];
	struct deadline dl;

	snprintf(msg, sizeof msg, "%s at the end of the watch: deactivating (on-fence-failure = abort)", what);
	run_note(run, "abort", OUT_ABORTED, msg);
	log_warnx("%s", msg);
	if (run->cfg->announce.present)
		announce_stop(run->cfg);
	deadline_start(&dl, HOOK_MIN_MS);
	run_hook(run, "deactivate", run->cfg->deactivate, &dl);
	snprintf(msg, sizeof msg, "%s not promoted: %s", run->cfg->node, what);
	return finish(run, msg, EXIT_FAILED);
}

/* ---- wiring (fencer/wiring.h) ------------------------------------------------------ */

/* A finding a promote acts on: of this boot, no older than wiring-max-age,
 * and about the port as it is configured now. */
static bool wiring_current(const struct config *cfg, const struct wiring_entry *e, const struct target *t,
    const struct invocation *now, long *age_s)
{
	long long age_us = now->mono_us - e->checked.mono_us;

	if (!e->checked.boot_id[0] || strcmp(e->checked.boot_id, now->boot_id) != 0 || age_us < 0 ||
	    age_us > (long long)cfg->wiring_max_age_ms * 1000)
		return false;
	*age_s = (long)(age_us / 1000000);
	return strcmp(e->sw, t->sw->name) == 0 && strcmp(e->port, t->port) == 0 && strcmp(e->node, t->node) == 0;
}

/* Does the finding show the port leads the wrong way for a promote: a
 * peer's port to this node (fencing it shuts this node out), or one of
 * this node's ports to the peer (bringing it up gives the peer its link)? */
static bool wiring_against(const struct config *cfg, const struct wiring_entry *e, const struct target *t)
{
	if (strcmp(e->status, wiring_status_name(WIRING_WRONG)) != 0 || !e->leads_to[0])
		return false;
	if (cfg->peer && strcmp(t->node, cfg->peer) == 0)
		return strcmp(e->leads_to, cfg->node) == 0;
	return strcmp(t->node, cfg->node) == 0 && cfg->peer && strcmp(e->leads_to, cfg->peer) == 0;
}

/* The ports of t that a recent check (state-dir/wiring.json) proved lead
 * the wrong way: each is journaled, and taken out of t (npeer follows).
 * Reads one local file: no switch is asked. Returns how many of the
 * peer's were taken out in *peer_refused, and how many in all. */
static size_t wiring_refuse(struct run *run, struct target_set *t, size_t *npeer, size_t *peer_refused,
    char *first, size_t len)
{
	const struct config *cfg = run->cfg;
	struct wiring_record rec;
	struct invocation now;
	size_t kept = 0, refused = 0, np = *npeer;
	char msg[900];

	*peer_refused = 0;
	first[0] = '\0';
	if (wiring_record_load(cfg->state_dir, &rec) < 0) {
		run_note(run, "wiring", OUT_FAILED, "state-dir/wiring.json cannot be read: the wiring is not checked");
		return 0;
	}
	invocation_now(&now);
	for (size_t i = 0; i < t->n; i++) {
		const struct wiring_entry *hit = NULL;
		long age = 0;

		for (size_t k = 0; k < rec.n && !hit; k++)
			if (wiring_current(cfg, &rec.v[k], &t->v[i], &now, &age) && wiring_against(cfg, &rec.v[k], &t->v[i]))
				hit = &rec.v[k];
		if (!hit) {
			t->v[kept++] = t->v[i];
			continue;
		}
		snprintf(msg, sizeof msg, "not %s %s %s: a wiring check %ld s ago showed it leads to %s (%s)",
		    i < np ? "fencing" : "bringing up", t->v[i].sw->name, t->v[i].port, age, hit->leads_to, hit->reason);
		run_note_switch(run, "wiring", t->v[i].sw->name, cfg->on_wiring_mismatch == FENCE_ABORT ? OUT_ABORTED :
		    OUT_FAILED, msg);
		log_warnx("%s", msg);
		if (!first[0])
			snprintf(first, len, "%s %s leads to %s, not %s", t->v[i].sw->name, t->v[i].port, hit->leads_to,
			    t->v[i].node);
		refused++;
		if (i < np) {
			(*npeer)--;
			(*peer_refused)++;
		}
	}
	t->n = kept;
	wiring_record_free(&rec);
	return refused;
}

static int promote_dry_run(struct run *run, const struct target_set *t, size_t npeer)
{
	const struct config *cfg = run->cfg;
	enum race_role role = promote_role(cfg);

	dry_plan(run, &(struct target_set){ t->v, npeer }, "fence");
	if (npeer)
		dry_levels(run, cfg->peer);
	if (!npeer)
		run_plan(run, "would fence nothing: %s", cfg->peer ? "the peer has no port" : "no peer");
	if (t->n > npeer)
		dry_plan(run, &(struct target_set){ t->v + npeer, t->n - npeer }, "bring up our own port");
	if (t->n && cfg->peer)
		run_plan(run, "would watch them for %ld ms at least: %s %s a fence race against %s",
		    cfg->race_window_ms, cfg->node, role == RACE_WINS ? "wins" : "yields", cfg->peer);
	run_hook(run, "activate", cfg->activate, NULL);
	dry_flush(run, t, npeer);
	if (cfg->announce.present)
		run_plan(run, "would announce through %zu port%s, %d round%s", cfg->announce.interfaces.n,
		    cfg->announce.interfaces.n == 1 ? "" : "s", cfg->announce.rounds,
		    cfg->announce.rounds == 1 ? "" : "s");
	if (cfg->announce.present && cfg->announce.refresh_ms > 0)
		run_plan(run, "would then send one round every %ld ms while master (refresh)",
		    cfg->announce.refresh_ms);
	dry_notify(run);
	return EXIT_OK;
}

/* What a promote knows as it goes. */
struct promote {
	struct run *run;
	struct target_set t;		/* the peer's ports (the first npeer), then this node's */
	size_t npeer;
	size_t refused, peer_refused;	/* left alone: a wiring check showed them miswired */
	char why[300];			/* the first of them */
	struct pool *p;			/* the fence and its watch; NULL: no port */
	size_t bad, own_bad;		/* the peer's not down, this node's not up */
	bool later_failed;
	struct levels lv;		/* the peer's fencing levels, as tried */
	char what[1024];		/* "fw1 fenced (2 ports)", "fw1 fenced at level 2 (1 port)" */
};

/* The ports to claim: the peer's, then this node's own (unfence-self),
 * less those a recent wiring check showed lead the wrong way. */
static void promote_targets(struct promote *pr)
{
	const struct config *cfg = pr->run->cfg;

	if (cfg->peer) {
		const struct node_config *peer = config_node(cfg, cfg->peer);

		targets_of_node(cfg, cfg->peer, &pr->t);
		levels_init(&pr->lv, peer ? peer->nlevels : 1);
	} else {
		levels_init(&pr->lv, 1);
	}
	pr->npeer = pr->t.n;
	if (cfg->unfence_self)
		targets_of_node(cfg, cfg->node, &pr->t);
	pr->refused = wiring_refuse(pr->run, &pr->t, &pr->npeer, &pr->peer_refused, pr->why, sizeof pr->why);
	if (pr->refused && cfg->on_wiring_mismatch == FENCE_CONTINUE)
		run_note(pr->run, "continue", OUT_FAILED, "ports a wiring check showed miswired are left alone; "
		    "going on with the others (on-wiring-mismatch = continue)");
}

/* on-wiring-mismatch = abort: no port is touched. */
static int promote_miswired(struct promote *pr)
{
	struct run *run = pr->run;
	char msg[512];

	snprintf(msg, sizeof msg, "%s not promoted: %s (on-wiring-mismatch = abort: no port touched)",
	    run->cfg->node, pr->why);
	if (run->dry_run) {
		run_plan(run, "would not promote: %s", pr->why);
		return EXIT_FAILED;
	}
	run_note(run, "abort", OUT_ABORTED, msg);
	return finish(run, msg, EXIT_FAILED);
}

/* The peer's ports not verified down, and this node's not up, now. */
static void promote_count(struct promote *pr)
{
	const struct config *cfg = pr->run->cfg;

	if (pr->lv.fenced_by > 1) {	/* a higher level fenced the peer: level 1 no longer counts */
		pr->bad = 0;
		levels_describe(&pr->lv, cfg->peer, pr->what, sizeof pr->what);
		return;
	}
	pr->bad = count_failed(&pr->t, PORT_DOWN);
	if (pr->lv.at > 1) {		/* every level was tried, none verified */
		pr->bad = pr->bad ? pr->bad : 1;
		levels_describe(&pr->lv, cfg->peer, pr->what, sizeof pr->what);
		return;
	}
	if (pr->npeer)
		ports_phrase(pr->what, sizeof pr->what, cfg->peer, "fenced", &(struct target_set){ pr->t.v, pr->npeer },
		    pr->bad);
	else
		snprintf(pr->what, sizeof pr->what, "no peer port to fence");
}

/* Activated: the node that yields reads every port once more; the
 * switches flush once every one of them is watched (for the node that
 * yields, that was before it activated). The hosts' announces do not wait
 * for either. Then what the watch leaves stands. */
static int promote_settle(struct promote *pr)
{
	const struct config *cfg = pr->run->cfg;
	struct pool *p = pr->p;

	pool_wait(p, p->race.role == RACE_YIELDS ? PHASE_SETTLED : PHASE_WATCHED, &p->dl);
	if (!pool_lost(p))
		pool_tell(p, TELL_FLUSH);
	pool_wait(p, PHASE_FINISHED, &p->dl);
	if (pool_lost(p))
		return promote_stand_down(pr->run, p, &pr->t, pr->npeer);
	pr->later_failed = !promote_settled(pr->run, p) || pr->later_failed;
	pool_free(p);
	if (record_fenced(pr->run, &pr->t) < 0)
		pr->run->journal_failed = true;
	promote_count(pr);
	if (pr->bad && cfg->on_fence_failure == FENCE_ABORT)
		return promote_unheld(pr->run, pr->what);
	if (count_failed(&pr->t, PORT_UP) > pr->own_bad) {
		run_note(pr->run, "unfence", OUT_FAILED, "some of this node's own ports did not stay up");
		pr->later_failed = true;
	}
	return -1;
}

/* Level 1 (the claim) left some of the peer's ports unverified: its
 * higher levels, fence-only, in what is left of the fencing's deadline.
 * The claim goes on being watched meanwhile (fencer/race.h). */
static void promote_levels(struct promote *pr)
{
	struct run *run = pr->run;

	levels_done(&pr->lv, 1, pr->npeer, pr->bad);
	if (!levels_next(&pr->lv))
		return;
	fence_levels(run, run->cfg->peer, &pr->lv, &pr->p->dl, &pr->p->work_dl);
	promote_count(pr);
}

/* Fence, watch, activate, flush, announce: docs/architecture.md. */
static int promote_run(struct promote *pr)
{
	struct run *run = pr->run;
	const struct config *cfg = run->cfg;
	char msg[512];
	int code;

	if (pr->t.n)
		pr->p = promote_fence(run, &pr->t);
	if (pr->p && pool_lost(pr->p))
		return promote_stand_down(run, pr->p, &pr->t, pr->npeer);
	promote_count(pr);
	if (pr->bad && pr->p)
		promote_levels(pr);
	pr->own_bad = count_failed(&pr->t, PORT_UP);
	if (pr->bad && cfg->on_fence_failure == FENCE_ABORT)
		return promote_abort(run, pr->p, pr->what);
	if (pr->bad)
		run_note(run, "continue", OUT_FAILED, "fencing not verified; activating anyway (on-fence-failure = continue)");
	if (pr->own_bad)
		run_note(run, "unfence", OUT_FAILED, "some of this node's own ports could not be brought up");
	pr->later_failed = pr->own_bad > 0;
	pr->later_failed = activate(run, "activate", cfg->activate, pr->p ? &pr->p->dl : NULL) < 0 || pr->later_failed;
	if (pr->p)
		pool_tell(pr->p, TELL_ACTIVATED);
	if (cfg->announce.present)
		pr->later_failed = announce_start(cfg, run) < 0 || pr->later_failed;
	if (pr->p && (code = promote_settle(pr)) >= 0)
		return code;
	code = pr->bad || pr->peer_refused ? EXIT_FAILED : pr->later_failed ? EXIT_PARTIAL : EXIT_OK;
	snprintf(msg, sizeof msg, "%s promoted%s: %s%s%s", cfg->node, pr->later_failed ? " with errors" : "",
	    pr->what, pr->refused ? "; left alone, miswired: " : "", pr->refused ? pr->why : "");
	return finish(run, msg, code);
}

int engine_promote(struct run *run)
{
	struct promote pr = { .run = run };
	int code;

	promote_targets(&pr);
	if (pr.refused && run->cfg->on_wiring_mismatch == FENCE_ABORT)
		code = promote_miswired(&pr);
	else if (run->dry_run)
		code = promote_dry_run(run, &pr.t, pr.npeer);
	else
		code = promote_run(&pr);
	targets_free(&pr.t);
	return code;
}

int engine_demote(struct run *run)
{
	char msg[256];
	struct deadline dl;
	int rc;

	deadline_start(&dl, run->cfg->deadline_ms);
	if (!run->dry_run && run->cfg->announce.present)
		announce_stop(run->cfg);	/* a backup must stop claiming the hosts */
	rc = run_hook(run, "deactivate", run->cfg->deactivate, &dl);
	if (run->dry_run) {
		dry_notify(run);
		return EXIT_OK;
	}
	snprintf(msg, sizeof msg, "%s %s", run->cfg->node, rc < 0 ? "not demoted: deactivate failed" : "demoted");
	return finish(run, msg, rc < 0 ? EXIT_FAILED : EXIT_OK);
}

int engine_boot(struct run *run)
{
	struct deadline dl;
	int rc;

	deadline_start(&dl, run->cfg->deadline_ms);
	rc = run_hook(run, "deactivate", run->cfg->deactivate, &dl);
	if (run->dry_run)
		return EXIT_OK;
	summarize(run, rc < 0 ? "boot: deactivate failed" : "booted inactive", rc < 0 ? EXIT_FAILED : EXIT_OK);
	return rc < 0 ? EXIT_FAILED : EXIT_OK;
}

/* Ports done but fenced.json not written: the network is right, the record
 * of it is not, which is a later step failing. */
static int set_ports_status(int bad)
{
	return bad > 0 ? EXIT_FAILED : bad < 0 ? EXIT_PARTIAL : EXIT_OK;
}

/* fence and unfence: plan or act, then one summary. Frees t. */
static int set_node_ports(struct run *run, const char *node, struct target_set *t, enum port_state want)
{
	const char *verb = want == PORT_DOWN ? "fenced" : "unfenced";
	char msg[256];
	int bad;

	if (!t->n) {	/* fencing nothing is not fencing: never a success */
		snprintf(msg, sizeof msg, "%s has no port to %s", node, want == PORT_DOWN ? "fence" : "unfence");
		log_warnx("%s", msg);
		targets_free(t);
		return run->dry_run ? EXIT_FAILED : finish(run, msg, EXIT_FAILED);
	}
	if (run->dry_run) {
		dry_plan(run, t, want == PORT_DOWN ? "fence" : "unfence");
		if (want == PORT_DOWN)
			dry_levels(run, node);
		dry_notify(run);
		targets_free(t);
		return EXIT_OK;
	}
	bad = engine_set_ports(run, t, want);
	ports_phrase(msg, sizeof msg, node, verb, t, bad > 0 ? (size_t)bad : 0);
	targets_free(t);
	return finish(run, msg, set_ports_status(bad));
}

int engine_fence(struct run *run, const char *node)
{
	struct target_set t = { 0 };
	struct levels lv;
	char msg[1024];
	int bad;

	targets_of_node(run->cfg, node, &t);
	if (!t.n || run->dry_run)
		return set_node_ports(run, node, &t, PORT_DOWN);
	bad = fence_node(run, node, &t, &lv);
	levels_describe(&lv, node, msg, sizeof msg);
	targets_free(&t);
	return finish(run, msg, set_ports_status(bad));
}

int engine_fence_levels(struct run *run, const char *node, struct target_set *t)
{
	struct levels lv;

	return fence_node(run, node, t, &lv);
}

/* unfence restores what fencer shut; with all, every configured port of the
 * node (for when fenced.json was lost). */
int engine_unfence(struct run *run, const char *node, bool all)
{
	struct target_set t = { 0 }, mine = { 0 };
	struct fenced f;
	char err[512];

	if (fenced_load(run->cfg->state_dir, &f, err, sizeof err) < 0) {
		log_warnx("%s", err);
		return EXIT_FAILED;
	}
	/* every level's: what a fence did is what fenced.json names */
	targets_of_level(run->cfg, node, LEVELS_ALL, &t);
	for (size_t i = 0; i < t.n; i++)
		if (all || fenced_find(&f, t.v[i].sw->name, t.v[i].port)) {
			targets_add(&mine, t.v[i].node, t.v[i].sw, t.v[i].port);
			mine.v[mine.n - 1].level = t.v[i].level;
		}
	fenced_free(&f);
	targets_free(&t);
	if (!mine.n) {
		log_warnx("fencer has no record of fencing a port of %s: nothing to restore "
		    "(unfence %s --all brings up every configured port of it)", node, node);
		return EXIT_FAILED;
	}
	return set_node_ports(run, node, &mine, PORT_UP);
}

#define NAMES_MAX 512

static void add_name(char list[NAMES_MAX], const char *name)
{
	size_t used = strlen(list);

	snprintf(list + used, NAMES_MAX - used, "%s%s", used ? ", " : "", name);
}

/* `fencer flush`: the switches whose driver can flush (the others are
 * named, never counted as flushed); the summary names what was done. */
int engine_flush(struct run *run, const char *swname)
{
	const struct config *cfg = run->cfg;
	char done[NAMES_MAX] = "", skipped[NAMES_MAX] = "", msg[1200];
	struct pool *p;
	bool ok = true;

	for (size_t i = 0; i < cfg->nswitches; i++) {
		const struct sw_config *sw = cfg->switches[i];

		if (swname && strcmp(swname, sw->name) != 0)
			continue;
		add_name(sw->driver->mac_flush ? done : skipped, sw->name);
		if (run->dry_run && sw->driver->mac_flush)
			run_plan(run, "would flush the dynamic MAC table of %s", sw->name);
	}
	if (!*done) {
		snprintf(msg, sizeof msg, "no MAC table flushed: %s%s", *skipped ?
		    "no driver here has a MAC flush: " : "no switch configured", skipped);
		log_warnx("%s", msg);
		return run->dry_run ? EXIT_FAILED : finish(run, msg, EXIT_FAILED);
	}
	if (run->dry_run)
		return EXIT_OK;
	p = pool_new(run, NULL, JOB_FLUSH, cfg->deadline_ms);
	pool_start(p, swname);
	pool_wait(p, PHASE_FINISHED, &p->dl);
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].cut || p->jobs[i].flush_failed) {
			if (ok)
				done[0] = '\0';	/* from now on: the ones that failed */
			ok = false;
			add_name(done, p->jobs[i].sw.cfg->name);
		}
	pool_free(p);
	snprintf(msg, sizeof msg, "%s: %s%s%s%s", ok ? "MAC tables flushed" : "MAC flush failed on", done,
	    *skipped ? " (" : "", skipped, *skipped ? " cannot flush: its driver has no MAC flush)" : "");
	return finish(run, msg, ok ? EXIT_OK : EXIT_FAILED);
}
