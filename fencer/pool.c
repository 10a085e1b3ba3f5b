/*
 * The worker pool (fencer/pool.h). Each switch gets one worker thread and
 * one session for all its ports. A worker that fences for a promote keeps
 * its session open and waits for the go to flush once the bridge is
 * active: a second login would cost more than the flush itself. A claim's
 * worker drives its switch's step machine (fencer/race.h) against the
 * switch, under pool->threads.mu.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/pool.h"
#include "fencer/session_cache.h"
#include "fencer/state.h"
#include "fencer/wiring.h"

/* ---- what a worker may touch, under the pool lock ----------------------- */

static long job_begin(struct job *j, const char *step, const char *port)
{
	long t = mono_ms();

	pthread_mutex_lock(&j->pool->threads.mu);
	if (!j->cut)
		t = run_begin(j->pool->run, step, j->sw.cfg->name, port);
	pthread_mutex_unlock(&j->pool->threads.mu);
	return t;
}

static void job_end(struct job *j, const char *step, const char *port, long t0, enum outcome o,
    const char *error)
{
	pthread_mutex_lock(&j->pool->threads.mu);
	if (!j->cut)
		run_end(j->pool->run, step, j->sw.cfg->name, port, t0, o, error);
	pthread_mutex_unlock(&j->pool->threads.mu);
}

/* pool->threads.mu held. */
static void target_result(struct job *j, struct target *t, bool ok, enum port_state st, const char *err)
{
	if (j->cut)
		return;
	t->ok = ok;
	t->state = st;
	snprintf(t->error, sizeof t->error, "%s", err ? err : "");
}

static void job_result(struct job *j, struct target *t, bool ok, enum port_state st, const char *err)
{
	pthread_mutex_lock(&j->pool->threads.mu);
	target_result(j, t, ok, st, err);
	pthread_mutex_unlock(&j->pool->threads.mu);
}

/* pool->threads.mu held. */
static void set_phase(struct job *j, enum job_phase phase)
{
	if (j->phase < phase)
		j->phase = phase;
	pthread_cond_broadcast(&j->pool->threads.cv);
}

static void job_phase(struct job *j, enum job_phase phase)
{
	pthread_mutex_lock(&j->pool->threads.mu);
	set_phase(j, phase);
	pthread_mutex_unlock(&j->pool->threads.mu);
}

static enum outcome fail_outcome(const struct sw *sw)
{
	return sw->errkind == SWE_TIMEOUT ? OUT_TIMEOUT : OUT_FAILED;
}

/* ---- worker steps -------------------------------------------------------- */

/* Under fencer serve a kept session is taken instead of a login, and the
 * journal says which it was (docs/serve.md). The race's watch still
 * covers a login as long as this session's took: a peer promoting at the
 * same moment may be logging in cold (docs/split-brain.md). */
static int job_connect(struct job *j)
{
	long t0 = job_begin(j, "connect", NULL), login;
	bool warm;
	int rc = 0;

	j->sw.dl = &j->pool->work_dl;
	warm = sess_take(&j->sw, &j->pool->work_dl, &login);
	if (!warm && j->sw.drv->open)
		rc = j->sw.drv->open(&j->sw, &j->pool->work_dl);
	if (!warm)
		login = mono_ms() - t0;
	j->login_ms = login;
	job_end(j, "connect", NULL, t0, rc < 0 ? fail_outcome(&j->sw) : OUT_OK, rc < 0 ? j->sw.err :
	    !session_cache ? NULL : warm ? "warm: the session fencer serve kept" : "cold: logged in now");
	pthread_mutex_lock(&j->pool->threads.mu);
	if (rc == 0 && login > j->pool->race.login_ms)
		j->pool->race.login_ms = login;
	j->connected = rc == 0;
	pthread_mutex_unlock(&j->pool->threads.mu);
	if (rc < 0)
		for (size_t i = 0; i < j->n; i++)
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
	return rc;
}

static const char *set_step(enum port_state want)
{
	return want == PORT_DOWN ? "fence" : "unfence";
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

static bool job_target_ok(struct job *j, size_t i)
{
	bool ok;

	pthread_mutex_lock(&j->pool->threads.mu);
	ok = !j->cut && j->targets[i]->ok;
	pthread_mutex_unlock(&j->pool->threads.mu);
	return ok;
}

/* flush = port: the entries of the ports just fenced; flush = all: the
 * whole dynamic table (also for `fencer flush`, where no port is fenced). */
static void job_flush(struct job *j, enum flush_mode mode)
{
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
			if (j->cports[i].want == PORT_DOWN && job_target_ok(j, i))
				ok = flush_one(j, j->ports[i]) && ok;
	j->flush_failed = !ok;
}

/* check, wiring: what the switch learned on each port and its LLDP
 * neighbours there, read into the job's own lists first: a worker cut at
 * the deadline must not write into the caller's. */
static void job_wiring(struct job *j)
{
	const struct driver *d = j->sw.drv;

	for (size_t i = 0; i < j->n; i++) {
		struct wiring_port w = { 0 };

		pthread_mutex_lock(&j->pool->threads.mu);
		w.asked = !j->cut && j->targets[i]->wiring;
		pthread_mutex_unlock(&j->pool->threads.mu);
		if (!w.asked)
			continue;
		if (!d->port_macs)
			snprintf(w.macs_error, sizeof w.macs_error, "driver %s cannot read MAC tables", d->name);
		else if (!(w.macs_read = d->port_macs(&j->sw, j->ports[i], &w.macs) == 0))
			snprintf(w.macs_error, sizeof w.macs_error, "%s", j->sw.err);
		if (!d->port_neighbors)
			snprintf(w.lldp_error, sizeof w.lldp_error, "driver %s cannot read LLDP neighbours", d->name);
		else if (!(w.lldp_read = d->port_neighbors(&j->sw, j->ports[i], &w.lldp) == 0))
			snprintf(w.lldp_error, sizeof w.lldp_error, "%s", j->sw.err);
		pthread_mutex_lock(&j->pool->threads.mu);
		if (!j->cut) {
			struct wiring_port *to = j->targets[i]->wiring;

			to->asked = true;
			to->macs_read = w.macs_read;
			to->lldp_read = w.lldp_read;
			memcpy(to->macs_error, w.macs_error, sizeof w.macs_error);
			memcpy(to->lldp_error, w.lldp_error, sizeof w.lldp_error);
			to->macs = w.macs;
			to->lldp = w.lldp;
			w.macs = (struct mac_list){ 0 };
			w.lldp = (struct lldp_list){ 0 };
		}
		pthread_mutex_unlock(&j->pool->threads.mu);
		wiring_port_free(&w);
	}
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
	if (j->pool->deep && j->sw.cfg->check_wiring)
		job_wiring(j);
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
	rc = j->sw.drv->probe_write(&j->sw, port, j->cports[0].want);
	pthread_mutex_lock(&j->pool->threads.mu);
	if (!j->cut)
		j->write_probe = rc == 0 ? 1 : -1;
	pthread_mutex_unlock(&j->pool->threads.mu);
}

/* ---- a claim on one switch (fencer/race.h) ------------------------------ */

/* The journal line of what an answer meant. pool->threads.mu held. */
static void claim_event_note(struct job *j, enum claim_event ev)
{
	const struct race *r = &j->pool->race;
	char what[300], msg[512];

	if (j->cut || (ev != CLAIM_REASSERT && ev != CLAIM_LOST && ev != CLAIM_CHANGED))
		return;
	claim_describe(&j->claim, what, sizeof what);
	if (ev == CLAIM_REASSERT)
		snprintf(msg, sizeof msg, "%s after this run set them: another writer (the peer's promote?); "
		    "writing them again (%u)", what, j->claim.reasserts);
	else if (ev == CLAIM_LOST)
		snprintf(msg, sizeof msg, "the peer's claim: %s", what);
	else
		snprintf(msg, sizeof msg, "changed after it was verified: %s", what);
	run_note_switch(j->pool->run, "race", j->sw.cfg->name, ev == CLAIM_REASSERT ? OUT_OK :
	    OUT_FAILED, msg);
	(void)r;
}

/* Feed an answer to the machine; record the verdict. */
static void claim_answer(struct job *j, long took, bool ok, enum port_state seen)
{
	struct pool *p = j->pool;
	enum claim_event ev;

	pthread_mutex_lock(&p->threads.mu);
	ev = claim_done(&j->claim, &p->race, mono_ms(), took, ok, seen);
	claim_event_note(j, ev);
	if (ev == CLAIM_VERDICT || j->claim.verdict)
		set_phase(j, PHASE_VERDICT);
	pthread_cond_broadcast(&p->threads.cv);
	pthread_mutex_unlock(&p->threads.mu);
}

/* The shutdowns this worker sent go to fenced.json before it verifies
 * them, so that unfence and status know the ports even if the run ends
 * before the verification (the main thread records the verified state
 * after). A cut worker writes nothing: the main thread took over. */
static void job_record_sent(struct job *j)
{
	struct target_set sent = { 0 };

	pthread_mutex_lock(&j->pool->state_mu);
	pthread_mutex_lock(&j->pool->threads.mu);
	for (size_t i = 0; !j->cut && i < j->n; i++)
		if (j->targets[i]->sent && j->cports[i].want == PORT_DOWN) {
			targets_add(&sent, j->targets[i]->node, j->sw.cfg, j->targets[i]->port);
			sent.v[sent.n - 1].level = j->targets[i]->level;
			sent.v[sent.n - 1].want = PORT_DOWN;
			sent.v[sent.n - 1].sent = true;
		}
	pthread_mutex_unlock(&j->pool->threads.mu);
	if (sent.n && record_fenced(j->pool->run, &sent) < 0)
		log_warnx("switch %s: the ports whose shutdown was sent are not recorded", j->sw.cfg->name);
	pthread_mutex_unlock(&j->pool->state_mu);
	targets_free(&sent);
}

static void claim_set(struct job *j, size_t i)
{
	enum port_state want = j->cports[i].want;
	const char *port = j->ports[i];
	long t0 = job_begin(j, set_step(want), port);
	int rc;

	j->sw.sent = false;
	rc = j->sw.drv->port_set(&j->sw, port, want);
	pthread_mutex_lock(&j->pool->threads.mu);
	if (!j->cut)
		j->targets[i]->sent = j->targets[i]->sent || rc == 0 || j->sw.sent;
	pthread_mutex_unlock(&j->pool->threads.mu);
	job_end(j, set_step(want), port, t0, rc < 0 ? fail_outcome(&j->sw) : OUT_OK, rc < 0 ? j->sw.err : NULL);
	if (rc < 0)
		job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
	claim_answer(j, mono_ms() - t0, rc == 0, PORT_UNKNOWN);
	if (j->claim.stage != CLAIM_SETTING)	/* the last port of a round of writes */
		job_record_sent(j);
}

/* A read right after a write is the verification, journaled port by port;
 * the watch's reads are not (a line each 25 ms would bury the timeline):
 * what they find is. */
static void claim_get(struct job *j, size_t i)
{
	bool verify = j->claim.stage == CLAIM_VERIFYING;
	enum port_state want = j->cports[i].want, st = PORT_UNKNOWN;
	const char *port = j->ports[i];
	long t0 = verify ? job_begin(j, "verify", port) : mono_ms();
	int rc = j->sw.drv->port_get(&j->sw, port, &st);
	bool held = rc == 0 && st == want;
	char why[600];

	if (rc < 0)
		snprintf(why, sizeof why, "cannot read the port back: %s", j->sw.err);
	else if (!held)
		snprintf(why, sizeof why, "port is still %s after %s", port_state_name(st),
		    want == PORT_DOWN ? "shutdown" : "no shutdown");
	if (verify) {
		job_end(j, "verify", port, t0, rc < 0 ? fail_outcome(&j->sw) : held ? OUT_OK : OUT_FAILED,
		    held ? NULL : why);
		/* The fence's result is its first verification; a re-assert's
		 * shows in the journal, and in the targets when the watch ends. */
		if (!j->claim.verdict)
			job_result(j, j->targets[i], held, st, held ? NULL : why);
	}
	claim_answer(j, mono_ms() - t0, rc == 0, st);
}

/* Sleep until `until` (monotonic ms; 0: the run's deadline) or a wake-up
 * from another worker or the coordinator, whichever is first. */
static void claim_sleep(struct job *j, long until)
{
	struct pool *p = j->pool;
	struct timespec ts = deadline_abstime(&p->dl);

	if (until && until < deadline_end_ms(&p->dl)) {
		ts.tv_sec = until / 1000;
		ts.tv_nsec = (until % 1000) * 1000000;
	}
	pthread_mutex_lock(&p->threads.mu);
	if (!j->cut && !p->race.stop)
		pthread_cond_timedwait(&p->threads.cv, &p->threads.mu, &ts);
	pthread_mutex_unlock(&p->threads.mu);
}

/* The targets from the claim's last reads: at the end of a hold (the
 * node that yields decides on them), and at the end of the watch. A port
 * whose command was refused keeps that error, one that was never read its
 * verification's. pool->threads.mu held. */
static void claim_refresh(struct job *j)
{
	char why[300];

	for (size_t i = 0; i < j->n; i++) {
		const struct claim_port *c = &j->cports[i];

		if (!c->set_ok || !c->read_ok)
			continue;
		if (claim_port_held(&j->claim, i))
			target_result(j, j->targets[i], true, c->seen, NULL);
		else {
			if (c->verified)
				snprintf(why, sizeof why, "%s again after it was verified %s: another fencer "
				    "wrote it (the peer's promote, or a fence of this node)",
				    port_state_name(c->seen), port_state_name(c->want));
			else
				snprintf(why, sizeof why, "port is still %s after %s", port_state_name(c->seen),
				    c->want == PORT_DOWN ? "shutdown" : "no shutdown");
			target_result(j, j->targets[i], false, c->seen, why);
		}
	}
}

void pool_refresh(struct pool *p)
{
	pthread_mutex_lock(&p->threads.mu);
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].kind == JOB_CLAIM)
			claim_refresh(&p->jobs[i]);
	pthread_mutex_unlock(&p->threads.mu);
}

static void job_claim(struct job *j)
{
	struct pool *p = j->pool;

	if (!j->sw.drv->port_set || !j->sw.drv->port_get) {
		sw_fail(&j->sw, SWE_UNSUPPORTED, "driver %s cannot set and read ports", j->sw.drv->name);
		for (size_t i = 0; i < j->n; i++)
			job_result(j, j->targets[i], false, PORT_UNKNOWN, j->sw.err);
		return;
	}
	for (;;) {
		struct claim_step s = { .act = CLAIM_DONE };

		pthread_mutex_lock(&p->threads.mu);
		if (!j->cut && !deadline_passed(&p->dl))
			s = claim_next(&j->claim, &p->race, mono_ms());
		pthread_mutex_unlock(&p->threads.mu);
		if (s.act == CLAIM_SET)
			claim_set(j, s.port);
		else if (s.act == CLAIM_GET)
			claim_get(j, s.port);
		else if (s.act == CLAIM_PAUSE || s.act == CLAIM_WAIT)
			claim_sleep(j, s.act == CLAIM_PAUSE ? s.until : 0);
		else if (s.act == CLAIM_FLUSH) {
			job_flush(j, j->sw.cfg->flush);
			pthread_mutex_lock(&p->threads.mu);
			claim_flush_done(&j->claim);
			pthread_mutex_unlock(&p->threads.mu);
		} else
			break;
	}
	pthread_mutex_lock(&p->threads.mu);
	claim_refresh(j);
	pthread_mutex_unlock(&p->threads.mu);
}

static void *worker(void *arg)
{
	struct job *j = arg;
	long t_open = mono_ms();
	bool healthy;

	if (job_connect(j) < 0) {
		j->flush_failed = true;
		job_phase(j, PHASE_FINISHED);
		group_leave(&j->pool->threads);
		return NULL;
	}
	if (j->kind == JOB_CLAIM)
		job_claim(j);
	else if (j->kind == JOB_GET)
		job_get(j);
	else if (j->kind == JOB_PROBE)
		job_probe(j, t_open);
	else if (j->kind == JOB_PROBE_WRITE)
		job_probe_write(j);
	else
		job_flush(j, FLUSH_ALL);
	pthread_mutex_lock(&j->pool->threads.mu);
	healthy = !j->cut && j->sw.errkind == SWE_NONE;
	pthread_mutex_unlock(&j->pool->threads.mu);
	sess_give(&j->sw, healthy, j->login_ms);	/* standalone: close */
	job_phase(j, PHASE_FINISHED);
	group_leave(&j->pool->threads);	/* its last touch of the pool */
	return NULL;
}

/* ---- the pool ------------------------------------------------------------- */

void job_attach(struct job *j, struct target *t)
{
	j->targets = xrealloc(j->targets, j->n + 1, sizeof *j->targets);
	j->cports = xrealloc(j->cports, j->n + 1, sizeof *j->cports);
	j->ports = xrealloc(j->ports, j->n + 1, sizeof *j->ports);
	j->ports[j->n] = xstrdup(t->port);
	j->cports[j->n] = (struct claim_port){ .port = j->ports[j->n], .want = t->want,
	    .peer = t->want == PORT_DOWN };
	j->targets[j->n++] = t;
}

static void job_detach_all(struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		free(j->ports[i]);
	free(j->ports);
	free(j->cports);
	free(j->targets);
	sw_release(&j->sw);
}

static void pool_release(void *);

struct pool *pool_new(struct run *run, struct target_set *t, enum job_kind kind, long work_ms)
{
	const struct config *cfg = run->cfg;
	struct pool *p = xcalloc(1, sizeof *p);

	p->jobs = xcalloc(cfg->nswitches, sizeof *p->jobs);
	p->run = run;
	deadline_start(&p->dl, cfg->deadline_ms);
	deadline_sub(&p->work_dl, &p->dl, work_ms);
	race_init(&p->race, RACE_WATCHES, cfg->race_window_ms);
	group_init(&p->threads, pool_release, p);
	pthread_mutex_init(&p->state_mu, NULL);
	for (size_t s = 0; s < cfg->nswitches; s++) {
		struct job *j = &p->jobs[p->n];

		*j = (struct job){ .pool = p, .kind = kind };
		sw_init(&j->sw, cfg->switches[s]);
		for (size_t i = 0; t && i < t->n; i++)
			if (t->v[i].sw == cfg->switches[s])
				job_attach(j, &t->v[i]);
		if (j->n || !t)
			p->n++;
		else
			sw_release(&j->sw);	/* no target on it: the slot is the next switch's */
	}
	return p;
}

void pool_start(struct pool *p, const char *only)
{
	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->jobs[i];

		if (j->kind == JOB_CLAIM)
			claim_init(&j->claim, j->sw.cfg->name, j->cports, j->n);
		if ((only && strcmp(j->sw.cfg->name, only) != 0) ||
		    (j->kind == JOB_FLUSH && !j->sw.drv->mac_flush))
			j->phase = PHASE_FINISHED;
		else if (group_start(&p->threads, &j->tid, worker, j) != 0) {
			sw_fail(&j->sw, SWE_PROTOCOL, "cannot start a worker thread");
			for (size_t k = 0; k < j->n; k++)
				target_result(j, j->targets[k], false, PORT_UNKNOWN, j->sw.err);
			j->flush_failed = true;
			j->phase = PHASE_FINISHED;
		} else {
			j->started = true;
		}
	}
}

/* PHASE_SETTLED: past the read-back after activation, if any. */
static enum job_phase job_reached(const struct job *j)
{
	if (j->kind != JOB_CLAIM || j->phase != PHASE_VERDICT)
		return j->phase;
	return j->claim.stage >= CLAIM_FLUSHING ? PHASE_SETTLED :
	    j->claim.stage >= CLAIM_WAITING ? PHASE_WATCHED : PHASE_VERDICT;
}

static bool all_reached(const struct pool *p, enum job_phase phase)
{
	for (size_t i = 0; i < p->n; i++)
		if (job_reached(&p->jobs[i]) < phase && !p->jobs[i].cut)
			return false;
	return true;
}

/* Wait until every worker reached `phase` or the deadline passed; cut the
 * ones that did not, reporting their unfinished targets as timed out. */
void pool_wait(struct pool *p, enum job_phase phase, const struct deadline *dl)
{
	pthread_mutex_lock(&p->threads.mu);
	while (!all_reached(p, phase) && group_wait(&p->threads, dl))
		;
	for (size_t i = 0; i < p->n; i++) {
		struct job *j = &p->jobs[i];

		if (job_reached(j) >= phase || j->cut)
			continue;
		for (size_t k = 0; k < j->n; k++) {
			struct target *t = j->targets[k];

			/* a connected worker may still send what it was about to */
			if (!t->ok || phase == PHASE_VERDICT)
				t->sent = t->sent || (j->connected && t->want == PORT_DOWN);
			if (phase <= PHASE_WATCHED && (phase == PHASE_VERDICT || j->phase < PHASE_VERDICT ||
			    t->want == PORT_DOWN)) {
				t->ok = false;
				snprintf(t->error, sizeof t->error, "no answer from switch %s within the deadline",
				    j->sw.cfg->name);
			}
		}
		/* One note, naming the switch: a worker whose own wait ends at
		 * the same deadline is often cut a moment before it reports, and
		 * "a worker was cut" alone left the operator guessing which. */
		run_note_switch(p->run, "timeout", j->sw.cfg->name, OUT_TIMEOUT,
		    "no answer from the switch within the deadline; its session was cut");
		j->cut = true;
		j->flush_failed = true;
	}
	pthread_mutex_unlock(&p->threads.mu);
}

/* Every switch has its verdict or was cut: the watch starts now. */
void pool_watch(struct pool *p)
{
	pthread_mutex_lock(&p->threads.mu);
	race_watch_start(&p->race, mono_ms(), deadline_end_ms(&p->work_dl));
	pthread_cond_broadcast(&p->threads.cv);
	pthread_mutex_unlock(&p->threads.mu);
}

void pool_tell(struct pool *p, enum tell what)
{
	pthread_mutex_lock(&p->threads.mu);
	if (what == TELL_ACTIVATED)
		p->race.activated = true;
	else if (what == TELL_FLUSH)
		p->race.flush_go = true;
	else
		p->race.stop = true;
	pthread_cond_broadcast(&p->threads.cv);
	pthread_mutex_unlock(&p->threads.mu);
}

/* The last one out of the pool's group: its caller, or a cut worker that
 * came back from the switch after the caller moved on. */
static void pool_release(void *arg)
{
	struct pool *p = arg;

	for (size_t i = 0; i < p->n; i++)
		job_detach_all(&p->jobs[i]);
	free(p->jobs);
	pthread_mutex_destroy(&p->state_mu);
	free(p);
}

void pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].started)
			group_let_go(p->jobs[i].tid, !p->jobs[i].cut);
	group_leave(&p->threads);
}

bool pool_lost(struct pool *p)
{
	bool lost;

	pthread_mutex_lock(&p->threads.mu);
	lost = p->race.lost;
	pthread_mutex_unlock(&p->threads.mu);
	return lost;
}

/* ---- fenced.json ----------------------------------------------------------- */

/* A port asked down is recorded verified when it read back down, and "sent,
 * not verified" when its shutdown may have left without a read-back that
 * held (unfence must still know it); a port brought back up is forgotten.
 * Callers hold the pool's state_mu while the pool lives. */
int record_fenced(struct run *run, const struct target_set *t)
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
			fenced_set(&f, p->node, p->sw->name, p->port, now, p->ok ? FENCED_VERIFIED : FENCED_SENT,
			    p->level);
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
