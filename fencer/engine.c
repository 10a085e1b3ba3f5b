/*
 * The failover engine.
 *
 *   lock -> journal(begin) -> fence peer ports (parallel per switch) -> verify
 *        -> [abort if unverified and on-fence-failure=abort]
 *        -> activate -> flush MAC tables (parallel, in the workers)
 *                       + first announce round (at once, in this thread)
 *        -> notify -> journal(end, timings)
 *
 * Each switch gets one worker thread and one session for all its ports. A
 * worker that fences for a promote keeps its session open and waits for the
 * go to flush once the bridge is active: a second login would cost more than
 * the flush itself. The main thread never waits past the deadline: a worker
 * still busy then is "cut": its targets are reported as timed out, and from
 * then on it touches nothing shared (every write it makes goes through
 * pool->mu and checks its cut flag). Its memory is left to the process exit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/announce.h"
#include "fencer/command.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/notify.h"
#include "fencer/state.h"

enum job_kind { JOB_SET, JOB_GET, JOB_FLUSH, JOB_PROBE, JOB_PROBE_WRITE };
enum flush_go { FLUSH_WAIT, FLUSH_GO, FLUSH_CANCEL };

struct pool;

struct job {
	struct pool *pool;
	struct sw sw;
	struct target **targets;	/* this switch's targets: under pool->mu only */
	char **ports;			/* their names, the job's own copy */
	enum port_state *wants;		/* and the state asked for each */
	size_t n;
	enum job_kind kind;
	bool flush_after;		/* promote: keep the session for the flush */
	int phase;			/* 0 working, 1 main work done, 2 finished */
	bool cut;			/* abandoned at the deadline */
	bool flush_failed;
	bool probe_ok;
	int flush_probe;		/* check: 1 ok, 0 not asked, -1 failed */
	int write_probe;		/* the same for the write probe */
	char flush_info[256];		/* what the flush probe said */
	bool connected;			/* open succeeded: commands may have left */
	long latency_ms;		/* connect + probe */
	pthread_t tid;
};

struct pool {
	pthread_mutex_t mu;
	pthread_mutex_t state_mu;	/* fenced.json, written by workers and this thread */
	pthread_cond_t cv;
	struct run *run;
	struct deadline work_dl;	/* fencing, reading */
	struct deadline dl;		/* the whole run: the flush may use it all */
	struct job *jobs;
	size_t n;
	enum flush_go go;
	bool any_cut;
	bool deep;			/* check: probe the flush method too */
};

bool engine_cut_workers;

/* A cut worker may still be inside libssh or net-snmp. Returning from main
 * would run the libraries' exit handlers (libssh's destructor finalizes
 * its crypto, OpenSSL frees its global state) under that worker's feet and
 * crash it, or hang the process in the crash handler: the HA daemon's hook
 * must end with the code it was given. Everything fencer writes is flushed
 * first; the journal is written with write(2) and needs nothing. */
void engine_exit_cut(int code)
{
	fflush(NULL);
	_exit(code);
}

/* ---- targets ------------------------------------------------------------ */

void targets_add(struct target_set *t, const char *node, const struct sw_config *sw, const char *port)
{
	struct target *v = realloc(t->v, (t->n + 1) * sizeof *v);

	if (!v)
		fatalx("out of memory");
	t->v = v;
	t->v[t->n++] = (struct target){ .node = node, .sw = sw, .port = port };
}

void targets_of_node(const struct config *cfg, const char *node, struct target_set *t)
{
	for (size_t i = 0; i < cfg->nnodes; i++) {
		const struct node_config *n = cfg->nodes[i];

		if (node && strcmp(n->name, node) != 0)
			continue;
		for (size_t j = 0; j < n->nports; j++)
			targets_add(t, n->name, n->ports[j].sw, n->ports[j].port);
	}
}

void targets_free(struct target_set *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* ---- what a worker may touch, under the pool lock ----------------------- */

static long job_begin(struct job *j, const char *step, const char *port)
{
	long t = mono_ms();

	pthread_mutex_lock(&j->pool->mu);
	if (!j->cut)
		t = run_begin(j->pool->run, step, j->sw.cfg->name, port);
	pthread_mutex_unlock(&j->pool->mu);
	return t;
}

static void job_end(struct job *j, const char *step, const char *port, long t0, enum outcome o,
    const char *error)
{
	pthread_mutex_lock(&j->pool->mu);
	if (!j->cut)
		run_end(j->pool->run, step, j->sw.cfg->name, port, t0, o, error);
	pthread_mutex_unlock(&j->pool->mu);
}

static void job_result(struct job *j, struct target *t, bool ok, enum port_state st, const char *err)
{
	pthread_mutex_lock(&j->pool->mu);
	if (!j->cut) {
		t->ok = ok;
		t->state = st;
		snprintf(t->error, sizeof t->error, "%s", err ? err : "");
	}
	pthread_mutex_unlock(&j->pool->mu);
}

static bool job_target_ok(struct job *j, size_t i)
{
	bool ok;

	pthread_mutex_lock(&j->pool->mu);
	ok = !j->cut && j->targets[i]->ok;
	pthread_mutex_unlock(&j->pool->mu);
	return ok;
}

static void job_phase(struct job *j, int phase)
{
	pthread_mutex_lock(&j->pool->mu);
	j->phase = phase;
	pthread_cond_broadcast(&j->pool->cv);
	pthread_mutex_unlock(&j->pool->mu);
}

static enum outcome fail_outcome(const struct sw *sw)
{
	return sw->errkind == SWE_TIMEOUT ? OUT_TIMEOUT : OUT_FAILED;
}

/* ---- worker steps -------------------------------------------------------- */

static int job_connect(struct job *j)
{
	long t0 = job_begin(j, "connect", NULL);
	int rc;

	j->sw.dl = &j->pool->work_dl;
	rc = j->sw.drv->open ? j->sw.drv->open(&j->sw, &j->pool->work_dl) : 0;
	job_end(j, "connect", NULL, t0, rc < 0 ? fail_outcome(&j->sw) : OUT_OK, rc < 0 ? j->sw.err : NULL);
	if (rc < 0)
		for (size_t i = 0; i < j->n; i++)
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
	pthread_mutex_lock(&j->pool->mu);
	j->connected = rc == 0;
	pthread_mutex_unlock(&j->pool->mu);
	return rc;
}

static const char *set_step(enum port_state want)
{
	return want == PORT_DOWN ? "fence" : "unfence";
}

static int record_fenced(struct run *, const struct target_set *);

/* The shutdowns this worker sent go to fenced.json before it verifies
 * them, so that unfence and status know the ports even if the run ends
 * before the verification (the main thread records the verified state
 * after). A cut worker writes nothing: the main thread took over. */
static void job_record_sent(struct job *j)
{
	struct target_set sent = { 0 };

	pthread_mutex_lock(&j->pool->state_mu);
	pthread_mutex_lock(&j->pool->mu);
	for (size_t i = 0; !j->cut && i < j->n; i++)
		if (j->targets[i]->sent && j->wants[i] == PORT_DOWN) {
			targets_add(&sent, j->targets[i]->node, j->sw.cfg, j->targets[i]->port);
			sent.v[sent.n - 1].want = PORT_DOWN;
			sent.v[sent.n - 1].sent = true;
		}
	pthread_mutex_unlock(&j->pool->mu);
	if (sent.n && record_fenced(j->pool->run, &sent) < 0)
		log_warnx("switch %s: the ports whose shutdown was sent are not recorded", j->sw.cfg->name);
	pthread_mutex_unlock(&j->pool->state_mu);
	targets_free(&sent);
}

/* Set every port, then read every port back: the switch is asked once per
 * port for each, and a port that did not change is caught by the read. */
static void job_set(struct job *j)
{
	const struct driver *d = j->sw.drv;
	bool set_ok[j->n ? j->n : 1];

	if (!d->port_set || !d->port_get) {
		sw_fail(&j->sw, SWE_UNSUPPORTED, "driver %s cannot set and read ports", d->name);
		for (size_t i = 0; i < j->n; i++)
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
		return;
	}
	for (size_t i = 0; i < j->n; i++) {
		const char *port = j->ports[i];
		long t0 = job_begin(j, set_step(j->wants[i]), port);

		j->sw.sent = false;
		set_ok[i] = d->port_set(&j->sw, port, j->wants[i]) == 0;
		pthread_mutex_lock(&j->pool->mu);
		if (!j->cut)
			j->targets[i]->sent = set_ok[i] || j->sw.sent;
		pthread_mutex_unlock(&j->pool->mu);
		job_end(j, set_step(j->wants[i]), port, t0, set_ok[i] ? OUT_OK : fail_outcome(&j->sw),
		    set_ok[i] ? NULL : j->sw.err);
		if (!set_ok[i])
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
	}
	job_record_sent(j);
	for (size_t i = 0; i < j->n; i++) {
		const char *port = j->ports[i];
		enum port_state st = PORT_UNKNOWN;
		char why[600];
		bool held;
		long t0;
		int rc;

		if (!set_ok[i])
			continue;
		t0 = job_begin(j, "verify", port);
		rc = d->port_get(&j->sw, port, &st);
		if (rc < 0)
			snprintf(why, sizeof why, "cannot read the port back: %s", j->sw.err);
		else if (st != j->wants[i])
			snprintf(why, sizeof why, "port is still %s after %s", port_state_name(st),
			    j->wants[i] == PORT_DOWN ? "shutdown" : "no shutdown");
		held = rc == 0 && st == j->wants[i];
		job_end(j, "verify", port, t0, rc < 0 ? fail_outcome(&j->sw) : held ? OUT_OK : OUT_FAILED,
		    held ? NULL : why);
		job_result(j, j->targets[i], held, st, held ? NULL : why);
	}
}

static void job_get(struct job *j)
{
	if (!j->sw.drv->port_get) {
		sw_fail(&j->sw, SWE_UNSUPPORTED, "driver %s cannot read ports", j->sw.drv->name);
		for (size_t i = 0; i < j->n; i++)
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
		return;
	}
	for (size_t i = 0; i < j->n; i++) {
		enum port_state st = PORT_UNKNOWN;
		int rc = j->sw.drv->port_get(&j->sw, j->ports[i], &st);

		job_result(j, j->targets[i], rc == 0, st, rc == 0 ? NULL : j->sw.err);
	}
}

/* The journal says what the flush did, as the driver knows it ("deleted
 * 12 entries"), or why it failed. */
static bool flush_one(struct job *j, const char *port)
{
	long t0 = job_begin(j, "flush", port);
	int rc;

	j->sw.info[0] = '\0';
	rc = j->sw.drv->mac_flush(&j->sw, port);
	job_end(j, "flush", port, t0, rc < 0 ? fail_outcome(&j->sw) : OUT_OK,
	    rc < 0 ? j->sw.err : j->sw.info[0] ? j->sw.info : NULL);
	return rc == 0;
}

/* flush = port: the entries of the ports just fenced; flush = all: the
 * whole dynamic table (also for `fencer flush`, where no port is fenced). */
static void job_flush(struct job *j)
{
	enum flush_mode mode = j->kind == JOB_FLUSH ? FLUSH_ALL : j->sw.cfg->flush;
	bool ok = true;

	j->sw.dl = &j->pool->dl;
	if (mode == FLUSH_NONE)
		return;
	if (!j->sw.drv->mac_flush) {
		long t0 = job_begin(j, "flush", NULL);

		job_end(j, "flush", NULL, t0, OUT_SKIPPED, "this driver cannot flush MAC tables");
		return;
	}
	if (mode == FLUSH_ALL)
		ok = flush_one(j, NULL);
	else
		for (size_t i = 0; i < j->n; i++)	/* the ports just fenced, not our own */
			if (j->wants[i] == PORT_DOWN && job_target_ok(j, i))
				ok = flush_one(j, j->ports[i]) && ok;
	j->flush_failed = !ok;
}

/* check, read-only: the switch, its ports, its flush method. */
static void job_probe(struct job *j, long t_open)
{
	long t0 = job_begin(j, "probe", NULL);
	int rc = j->sw.drv->probe ? j->sw.drv->probe(&j->sw) : 0;
	char info[sizeof j->sw.info];

	j->probe_ok = rc == 0;
	j->latency_ms = mono_ms() - t_open;
	job_end(j, "probe", NULL, t0, rc < 0 ? fail_outcome(&j->sw) : OUT_OK, rc < 0 ? j->sw.err : NULL);
	if (rc != 0)
		return;
	job_get(j);
	if (!j->pool->deep || !j->sw.drv->probe_flush || j->sw.cfg->flush == FLUSH_NONE)
		return;
	snprintf(info, sizeof info, "%s", j->sw.info);		/* the probe's line stays */
	j->sw.info[0] = '\0';
	rc = j->sw.drv->probe_flush(&j->sw);
	j->flush_probe = rc == 0 ? 1 : -1;
	snprintf(j->flush_info, sizeof j->flush_info, "%s", rc == 0 ? j->sw.info : j->sw.err);
	snprintf(j->sw.info, sizeof j->sw.info, "%s", info);
}

/* check, under the run lock: the write a fence makes, changing nothing,
 * on the job's one port. */
static void job_probe_write(struct job *j)
{
	const char *port = j->n ? j->ports[0] : NULL;
	int rc;

	if (!j->sw.drv->probe_write || !port)
		return;
	rc = j->sw.drv->probe_write(&j->sw, port, j->wants[0]);
	pthread_mutex_lock(&j->pool->mu);
	if (!j->cut)
		j->write_probe = rc == 0 ? 1 : -1;
	pthread_mutex_unlock(&j->pool->mu);
}

static bool wait_flush_go(struct job *j)
{
	struct pool *p = j->pool;
	struct timespec ts = deadline_abstime(&p->dl);
	bool go;

	pthread_mutex_lock(&p->mu);
	while (p->go == FLUSH_WAIT && !j->cut && !deadline_passed(&p->dl))
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	go = p->go == FLUSH_GO && !j->cut;
	pthread_mutex_unlock(&p->mu);
	return go;
}

static void *worker(void *arg)
{
	struct job *j = arg;
	long t_open = mono_ms();

	if (job_connect(j) < 0) {
		j->flush_failed = true;
		job_phase(j, 2);
		return NULL;
	}
	if (j->kind == JOB_SET)
		job_set(j);
	else if (j->kind == JOB_GET)
		job_get(j);
	else if (j->kind == JOB_PROBE)
		job_probe(j, t_open);
	else if (j->kind == JOB_PROBE_WRITE)
		job_probe_write(j);
	else
		job_flush(j);
	job_phase(j, 1);
	if (j->flush_after && wait_flush_go(j))
		job_flush(j);
	if (j->sw.drv->close)
		j->sw.drv->close(&j->sw);
	job_phase(j, 2);
	return NULL;
}

/* ---- the pool ------------------------------------------------------------- */

static void job_attach(struct job *j, struct target *t)
{
	if (!(j->targets = realloc(j->targets, (j->n + 1) * sizeof *j->targets)) ||
	    !(j->wants = realloc(j->wants, (j->n + 1) * sizeof *j->wants)) ||
	    !(j->ports = realloc(j->ports, (j->n + 1) * sizeof *j->ports)) ||
	    !(j->ports[j->n] = strdup(t->port)))
		fatalx("out of memory");
	j->wants[j->n] = t->want;
	j->targets[j->n++] = t;
}

static void job_detach_all(struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		free(j->ports[i]);
	free(j->ports);
	free(j->wants);
	free(j->targets);
}

static struct pool *pool_new(struct run *run, struct target_set *t, enum job_kind kind, long work_ms)
{
	const struct config *cfg = run->cfg;
	struct pool *p = calloc(1, sizeof *p);
	pthread_condattr_t ca;

	if (!p || !(p->jobs = calloc(cfg->nswitches ? cfg->nswitches : 1, sizeof *p->jobs)))
		fatalx("out of memory");
	p->run = run;
	deadline_start(&p->dl, cfg->deadline_ms);
	deadline_sub(&p->work_dl, &p->dl, work_ms);
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->state_mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	for (size_t s = 0; s < cfg->nswitches; s++) {
		struct job *j = &p->jobs[p->n];

		*j = (struct job){ .pool = p, .kind = kind };
		j->sw = (struct sw){ .cfg = cfg->switches[s], .drv = cfg->switches[s]->driver };
		for (size_t i = 0; t && i < t->n; i++)
			if (t->v[i].sw == cfg->switches[s])
				job_attach(j, &t->v[i]);
		if (j->n || !t)
			p->n++;
	}
	return p;
}

static void pool_start(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (pthread_create(&p->jobs[i].tid, NULL, worker, &p->jobs[i]) != 0) {
			sw_fail(&p->jobs[i].sw, SWE_PROTOCOL, "cannot start a worker thread");
			p->jobs[i].phase = 2;
		}
}

static bool all_reached(const struct pool *p, int phase)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].phase < phase && !p->jobs[i].cut)
			return false;
	return true;
}

/* Wait until every worker reached `phase` or the deadline passed; cut the
 * ones that did not, reporting their unfinished targets as timed out. */
static void pool_wait(struct pool *p, int phase, const struct deadline *dl)
{
	struct timespec ts = deadline_abstime(dl);

	pthread_mutex_lock(&p->mu);
	while (!all_reached(p, phase) && !deadline_passed(dl))
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->jobs[i];

		if (j->phase >= phase || j->cut)
			continue;
		for (size_t k = 0; k < j->n; k++) {
			struct target *t = j->targets[k];

			/* a connected worker may still send what it was about to */
			if (!t->ok || phase == 1)
				t->sent = t->sent || (j->connected && t->want == PORT_DOWN);
			if (phase == 1) {
				t->ok = false;
				snprintf(t->error, sizeof t->error, "no answer from switch %s within the deadline",
				    j->sw.cfg->name);
				run_note_switch(p->run, "timeout", j->sw.cfg->name, OUT_TIMEOUT, t->error);
			}
		}
		/* The note names the switch: a worker whose own wait ends at the
		 * same deadline is often cut a moment before it reports, and
		 * "a worker was cut" alone left the operator guessing which. */
		if (phase > 1 || !j->n)
			run_note_switch(p->run, "timeout", j->sw.cfg->name, OUT_TIMEOUT,
			    "no answer from the switch within the deadline; its session was cut");
		j->cut = true;
		j->flush_failed = true;
		p->any_cut = true;
		engine_cut_workers = true;
	}
	pthread_mutex_unlock(&p->mu);
}

static void pool_go(struct pool *p, enum flush_go go)
{
	pthread_mutex_lock(&p->mu);
	p->go = go;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

#define MAX_ABANDONED 16
static struct pool *volatile abandoned[MAX_ABANDONED];	/* volatile: never read, must stay */
static size_t n_abandoned;

/* Join the workers that finished; a pool with a cut worker is left to the
 * process exit, since that worker may still be inside a driver call. */
static void pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->jobs[i].cut)
			pthread_detach(p->jobs[i].tid);
		else if (p->jobs[i].tid)
			pthread_join(p->jobs[i].tid, NULL);
	}
	if (p->any_cut) {
		/* Keep it reachable: it is in use, not lost. */
		abandoned[n_abandoned++ % MAX_ABANDONED] = p;
		return;
	}
	for (size_t i = 0; i < p->n; i++)
		job_detach_all(&p->jobs[i]);
	free(p->jobs);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->state_mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

/* ---- fenced.json ----------------------------------------------------------- */

/* A port asked down is recorded verified when it read back down, and "sent,
 * not verified" when its shutdown may have left without a read-back that
 * held (unfence must still know it); a port brought back up is forgotten.
 * Callers hold the pool's state_mu while the pool lives. */
static int record_fenced(struct run *run, const struct target_set *t)
{
	const char *dir = run->cfg->state_dir;
	struct fenced f;
	char err[512], now[32];
	int rc;

	rfc3339_now(now, sizeof now);
	if (fenced_load(dir, &f, err, sizeof err) < 0) {
		/* Never overwrite what we cannot read: it may be the only record of
		 * ports shut earlier. */
		run_note(run, "state", OUT_FAILED, err);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct target *p = &t->v[i];

		if (p->want == PORT_DOWN && (p->ok || p->sent))
			fenced_set(&f, p->node, p->sw->name, p->port, now, p->ok ? FENCED_VERIFIED : FENCED_SENT);
		else if (p->want == PORT_UP && p->ok)
			fenced_remove(&f, p->sw->name, p->port);
	}
	rc = fenced_save(dir, &f, err, sizeof err);
	if (rc < 0) {
		log_warnx("FENCE STATE NOT SAVED: %s", err);
		run_note(run, "state", OUT_FAILED, err);
	}
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

int engine_set_ports(struct run *run, struct target_set *t, enum port_state want)
{
	struct pool *p;
	int bad;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].want == PORT_UNKNOWN)
			t->v[i].want = want;
	p = pool_new(run, t, JOB_SET, run->cfg->deadline_ms);
	pool_start(p);
	pool_wait(p, 2, &p->work_dl);
	bad = (int)count_failed(t, PORT_UNKNOWN);
	pthread_mutex_lock(&p->state_mu);
	if (record_fenced(run, t) < 0 && !bad)
		bad = -1;
	pthread_mutex_unlock(&p->state_mu);
	pool_free(p);
	return bad;
}

void engine_get_ports(struct run *run, struct target_set *t)
{
	struct pool *p = pool_new(run, t, JOB_GET, run->cfg->deadline_ms);

	pool_start(p);
	pool_wait(p, 2, &p->work_dl);
	pool_free(p);
}

void engine_probe(struct run *run, struct target_set *t, bool *probe_ok, long *latency_ms,
    char (*info)[256])
{
	const struct config *cfg = run->cfg;
	struct pool *p = pool_new(run, NULL, JOB_PROBE, cfg->deadline_ms);

	/* Probe every switch, even one with no configured port: attach the
	 * targets by hand. */
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < t->n; k++)
			if (t->v[k].sw == p->jobs[i].sw.cfg)
				job_attach(&p->jobs[i], &t->v[k]);
	pool_start(p);
	pool_wait(p, 2, &p->work_dl);
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++) {
		probe_ok[i] = p->jobs[i].probe_ok && !p->jobs[i].cut;
		latency_ms[i] = p->jobs[i].latency_ms;
		snprintf(info[i], sizeof info[i], "%s", p->jobs[i].cut ? "no answer within the deadline" :
		    p->jobs[i].probe_ok ? p->jobs[i].sw.info : p->jobs[i].sw.err);
	}
	pthread_mutex_unlock(&p->mu);
	pool_free(p);
}

/* Start the workers of the switch named only (NULL: all). */
static void pool_start_only(struct pool *p, const char *only)
{
	for (size_t i = 0; i < p->n; i++)
		if (only && strcmp(p->jobs[i].sw.cfg->name, only) != 0)
			p->jobs[i].phase = 2;
		else if (pthread_create(&p->jobs[i].tid, NULL, worker, &p->jobs[i]) != 0) {
			sw_fail(&p->jobs[i].sw, SWE_PROTOCOL, "cannot start a worker thread");
			p->jobs[i].phase = 2;
		}
}

static size_t switch_index(const struct config *cfg, const struct sw_config *sw)
{
	size_t i = 0;

	while (i < cfg->nswitches && cfg->switches[i] != sw)
		i++;
	return i;
}

void engine_check_read(struct run *run, struct target_set *t, const char *only, struct switch_check *r)
{
	const struct config *cfg = run->cfg;
	struct pool *p = pool_new(run, NULL, JOB_PROBE, cfg->deadline_ms);

	p->deep = true;
	/* every switch, even one with no configured port */
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < t->n; k++)
			if (t->v[k].sw == p->jobs[i].sw.cfg)
				job_attach(&p->jobs[i], &t->v[k]);
	pool_start_only(p, only);
	pool_wait(p, 2, &p->work_dl);
	pthread_mutex_lock(&p->mu);
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
	pthread_mutex_unlock(&p->mu);
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
	pool_start(p);
	pool_wait(p, 2, &p->work_dl);
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++) {
		const struct job *j = &p->jobs[i];
		struct switch_check *c = &r[switch_index(cfg, j->sw.cfg)];

		c->write = j->cut ? -1 : j->write_probe;
		snprintf(c->write_info, sizeof c->write_info, "%s", j->cut ? "no answer within the deadline" :
		    j->write_probe > 0 ? j->sw.info : j->sw.err);
	}
	pthread_mutex_unlock(&p->mu);
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

/* A dry run says what would run, and only that. */
static void dry_plan(struct run *run, const struct target_set *t, const char *verb)
{
	for (size_t i = 0; i < t->n; i++)
		run_plan(run, "would %s %s %s (node %s, driver %s, %s)", verb, t->v[i].sw->name, t->v[i].port,
		    t->v[i].node, t->v[i].sw->driver->name,
		    t->v[i].sw->address ? t->v[i].sw->address : "no address");
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

/* Wait for the flushes started by pool_go(FLUSH_GO) on the sessions the
 * fence workers kept open. */
static bool promote_flush_wait(struct pool *p)
{
	bool ok = true;

	pool_wait(p, 2, &p->dl);
	for (size_t i = 0; i < p->n; i++)
		ok = ok && !p->jobs[i].flush_failed;
	return ok;
}

/* Fence the peer's ports and bring this node's own back (the peer may have
 * fenced them when it was promoted); on return the workers wait to flush.
 * Within each switch session the peer's ports go first: this node's bridge
 * is not active yet, so its ports coming up cannot close a loop. */
static struct pool *promote_fence(struct run *run, struct target_set *t, size_t *bad, size_t *own_bad)
{
	const struct config *cfg = run->cfg;
	struct pool *p;

	for (size_t i = 0; i < t->n; i++)
		t->v[i].want = strcmp(t->v[i].node, cfg->node) == 0 ? PORT_UP : PORT_DOWN;
	/* Fencing gets four fifths of the deadline: the rest is activation's. */
	p = pool_new(run, t, JOB_SET, cfg->deadline_ms * 4 / 5);
	for (size_t i = 0; i < p->n; i++)
		p->jobs[i].flush_after = true;
	pool_start(p);
	pool_wait(p, 1, &p->work_dl);
	*bad = count_failed(t, PORT_DOWN);
	*own_bad = count_failed(t, PORT_UP);
	pthread_mutex_lock(&p->state_mu);
	if (record_fenced(run, t) < 0)
		run->journal_failed = true;	/* the fencing stands; its record does not */
	pthread_mutex_unlock(&p->state_mu);
	return p;
}

int engine_promote(struct run *run)
{
	const struct config *cfg = run->cfg;
	struct target_set t = { 0 };
	struct pool *p = NULL;
	size_t bad = 0, own_bad = 0, npeer;
	bool later_failed;
	char msg[512], what[256];
	int code;

	if (cfg->peer)
		targets_of_node(cfg, cfg->peer, &t);
	npeer = t.n;
	if (cfg->unfence_self)
		targets_of_node(cfg, cfg->node, &t);
	if (run->dry_run) {
		dry_plan(run, &(struct target_set){ t.v, npeer }, "fence");
		if (!npeer)
			run_plan(run, "would fence nothing: %s", cfg->peer ? "the peer has no port" : "no peer");
		if (t.n > npeer)
			dry_plan(run, &(struct target_set){ t.v + npeer, t.n - npeer }, "bring up our own port");
		run_hook(run, "activate", cfg->activate, NULL);
		dry_flush(run, &t, npeer);
		if (cfg->announce.present)
			run_plan(run, "would announce through %zu port%s, %d round%s", cfg->announce.interfaces.n,
			    cfg->announce.interfaces.n == 1 ? "" : "s", cfg->announce.rounds,
			    cfg->announce.rounds == 1 ? "" : "s");
		dry_notify(run);
		targets_free(&t);
		return EXIT_OK;
	}
	if (t.n)
		p = promote_fence(run, &t, &bad, &own_bad);
	if (npeer)
		ports_phrase(what, sizeof what, cfg->peer, "fenced", &(struct target_set){ t.v, npeer }, bad);
	else
		snprintf(what, sizeof what, "no peer port to fence");
	if (bad && cfg->on_fence_failure == FENCE_ABORT) {
		snprintf(msg, sizeof msg, "%s: not activating (on-fence-failure = abort)", what);
		run_note(run, "abort", OUT_ABORTED, msg);
		log_warnx("%s", msg);
		pool_go(p, FLUSH_CANCEL);
		pool_wait(p, 2, &p->dl);
		pool_free(p);
		targets_free(&t);
		snprintf(msg, sizeof msg, "%s not promoted: %s", cfg->node, what);
		return finish(run, msg, EXIT_FAILED);
	}
	if (bad)
		run_note(run, "continue", OUT_FAILED, "fencing not verified; activating anyway (on-fence-failure = continue)");
	if (own_bad)
		run_note(run, "unfence", OUT_FAILED, "some of this node's own ports could not be brought up");
	later_failed = own_bad > 0;
	later_failed = activate(run, "activate", cfg->activate, p ? &p->dl : NULL) < 0 || later_failed;
	/* The flush may take seconds (an SNMP switch that can only age its
	 * table out); the hosts' announces must not wait for it. An announce
	 * that lands before its switch's flush is kept: flush = port clears
	 * only the fenced ports, and flush = all is followed by later rounds. */
	if (p)
		pool_go(p, FLUSH_GO);
	if (cfg->announce.present)
		later_failed = announce_start(cfg, run) < 0 || later_failed;
	if (p) {
		later_failed = !promote_flush_wait(p) || later_failed;
		pool_free(p);
	}
	code = bad ? EXIT_FAILED : later_failed ? EXIT_PARTIAL : EXIT_OK;
	targets_free(&t);
	snprintf(msg, sizeof msg, "%s promoted%s: %s", cfg->node, later_failed ? " with errors" : "", what);
	return finish(run, msg, code);
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

	targets_of_node(run->cfg, node, &t);
	return set_node_ports(run, node, &t, PORT_DOWN);
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
	targets_of_node(run->cfg, node, &t);
	for (size_t i = 0; i < t.n; i++)
		if (all || fenced_find(&f, t.v[i].sw->name, t.v[i].port))
			targets_add(&mine, t.v[i].node, t.v[i].sw, t.v[i].port);
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
	/* pool_new takes every switch; keep the ones asked for. */
	for (size_t i = 0; i < p->n; i++)
		if ((swname && strcmp(p->jobs[i].sw.cfg->name, swname) != 0) || !p->jobs[i].sw.drv->mac_flush)
			p->jobs[i].phase = 2;
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].phase < 2)
			pthread_create(&p->jobs[i].tid, NULL, worker, &p->jobs[i]);
	pool_wait(p, 2, &p->dl);
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
