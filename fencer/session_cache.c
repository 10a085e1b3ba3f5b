/*
 * fencer serve's warm sessions (fencer/session_cache.h). The cache owns a
 * kept session's driver state (its priv) while nobody uses it; taking one
 * swaps that state into the taker's struct sw, giving it back swaps it
 * out again. A session goes back only when nothing failed on it: after a
 * failure nobody knows in which state the switch's CLI is.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/log.h"
#include "fencer/session_cache.h"

#define BACKOFF_FIRST_MS 1000
#define TAKE_WAIT_MS 500	/* a keepalive probe is one command; no longer */

struct sess_cache *session_cache;

long sess_backoff_ms(unsigned failures, long cap_ms)
{
	long ms = BACKOFF_FIRST_MS;

	if (failures == 0)
		return 0;
	for (unsigned i = 1; i < failures && ms < cap_ms; i++)
		ms *= 2;
	return ms < cap_ms ? ms : cap_ms;
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool sw_config_same(const struct sw_config *a, const struct sw_config *b)
{
	if (a->driver != b->driver || a->port != b->port || a->timeout_ms != b->timeout_ms ||
	    a->retries != b->retries || a->noptions != b->noptions)
		return false;
	if (!str_same(a->name, b->name) || !str_same(a->address, b->address) || !str_same(a->user, b->user) ||
	    !str_same(a->identity, b->identity) || !str_same(a->password_file, b->password_file) ||
	    !str_same(a->enable_secret_file, b->enable_secret_file) || !str_same(a->known_hosts, b->known_hosts))
		return false;
	if (!str_same(a->snmp_version, b->snmp_version) || !str_same(a->community_file, b->community_file) ||
	    !str_same(a->auth_protocol, b->auth_protocol) || !str_same(a->auth_password_file, b->auth_password_file) ||
	    !str_same(a->priv_protocol, b->priv_protocol) || !str_same(a->priv_password_file, b->priv_password_file) ||
	    !str_same(a->agent, b->agent))
		return false;
	/* The HTTPS drivers verify the switch with these, set on the handle
	 * at its open: a changed one must not go on with the old. */
	if (!str_same(a->ca_file, b->ca_file) || !str_same(a->pinned_key, b->pinned_key))
		return false;
	for (size_t i = 0; i < a->noptions; i++)
		if (!str_same(a->options[i].key, b->options[i].key) || !str_same(a->options[i].value, b->options[i].value) ||
		    !str_same(a->options[i].file, b->options[i].file))
			return false;
	return true;
}

static void entry_init(struct sess_entry *e, const struct sw_config *cfg)
{
	*e = (struct sess_entry){ .cfg = cfg, .state = SESS_EMPTY };
}

void sess_cache_init(struct sess_cache *c, const struct config *cfg)
{
	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->v = xcalloc(cfg->nswitches ? cfg->nswitches : 1, sizeof *c->v);
	for (size_t i = 0; i < cfg->nswitches; i++)
		if (cfg->switches[i]->driver->reuse)
			entry_init(&c->v[c->n++], cfg->switches[i]);
}

/* Close a kept session's state (not under mu: the goodbye is I/O). */
static void close_priv(const struct sw_config *cfg, void *priv)
{
	struct sw sw;
	struct deadline dl;

	if (!priv)
		return;
	sw_init(&sw, cfg);
	free(sw.priv);
	sw.priv = priv;
	deadline_start(&dl, cfg->timeout_ms < 1000 ? cfg->timeout_ms : 1000);
	sw.dl = &dl;
	if (sw.drv->close)
		sw.drv->close(&sw);
	sw_release(&sw);
}

void sess_cache_free(struct sess_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].state == SESS_IDLE)
			close_priv(c->v[i].cfg, c->v[i].priv);
	free(c->v);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	memset(c, 0, sizeof *c);
}

/* mu held. */
static struct sess_entry *entry_of(struct sess_cache *c, const struct sw_config *cfg)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].cfg == cfg)
			return &c->v[i];
	return NULL;
}

/* mu held: an entry whose session is gone, to be opened again soon. */
static void entry_lost(struct sess_entry *e)
{
	e->state = SESS_EMPTY;
	e->priv = e->lent = NULL;
	e->next_try_ms = mono_ms() + sess_backoff_ms(e->failures, BACKOFF_FIRST_MS);
}

static bool take_locked(struct sess_cache *c, struct sw *sw, const struct deadline *dl, long *login_ms)
{
	struct deadline wait;
	struct sess_entry *e;

	deadline_sub(&wait, dl, TAKE_WAIT_MS);
	while ((e = entry_of(c, sw->cfg)) && e->state == SESS_BUSY && !deadline_passed(&wait)) {
		struct timespec ts = deadline_abstime(&wait);

		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	if (!e || e->state != SESS_IDLE)
		return false;
	free(sw->priv);
	sw->priv = e->priv;
	e->lent = e->priv;
	e->priv = NULL;
	e->state = SESS_BUSY;
	*login_ms = e->login_ms;
	return true;
}

bool sess_take(struct sw *sw, const struct deadline *dl, long *login_ms)
{
	struct sess_cache *c = session_cache;
	bool got;

	*login_ms = 0;
	if (!c || !sw->drv->reuse)
		return false;
	pthread_mutex_lock(&c->mu);
	got = take_locked(c, sw, dl, login_ms);
	pthread_mutex_unlock(&c->mu);
	if (!got)
		return false;
	if (sw->drv->reuse(sw) == 0)
		return true;
	log_info("switch %s: %s; opening a new session", sw->cfg->name, sw->err);
	sess_give(sw, false, 0);		/* closed: its state is ours to free */
	free(sw->priv);
	sw->errkind = SWE_NONE;
	sw->err[0] = '\0';
	sw->priv = xcalloc(1, sw->drv->priv_size ? sw->drv->priv_size : 1);
	return false;
}

void sess_give(struct sw *sw, bool healthy, long login_ms)
{
	struct sess_cache *c = session_cache;
	struct sess_entry *e = NULL;
	void *priv = sw->priv;
	bool keep = false;

	if (c && sw->drv->reuse) {
		pthread_mutex_lock(&c->mu);
		e = entry_of(c, sw->cfg);
		if (e && e->state == SESS_BUSY && e->lent == priv) {
			if ((keep = healthy)) {
				e->state = SESS_IDLE;
				e->priv = priv;
				e->lent = NULL;
			} else {
				entry_lost(e);
			}
		} else if (e && e->state == SESS_EMPTY && healthy) {
			keep = true;	/* a run's cold session: the next run's warm one */
			e->state = SESS_IDLE;
			e->priv = priv;
			e->failures = 0;
			e->login_ms = login_ms;
		}
		if (keep)
			e->last_used_ms = mono_ms();
		pthread_cond_broadcast(&c->cv);
		pthread_mutex_unlock(&c->mu);
	}
	if (keep) {
		sw->priv = xcalloc(1, sw->drv->priv_size ? sw->drv->priv_size : 1);
		return;
	}
	if (sw->drv->close)
		sw->drv->close(sw);
}

bool sess_all_idle(struct sess_cache *c)
{
	bool idle;

	pthread_mutex_lock(&c->mu);
	idle = c->chores == 0;
	for (size_t i = 0; i < c->n; i++)
		idle = idle && c->v[i].state != SESS_BUSY;
	pthread_mutex_unlock(&c->mu);
	return idle;
}

/* ---- the keepalive and the reconnection, a thread per switch at work ---- */

struct chore {
	struct sess_cache *c;
	const struct sw_config *cfg;
	bool open;		/* open a missing session; else probe the kept one */
};

static bool needs_alarm(enum sw_error e)
{
	return e == SWE_HOSTKEY || e == SWE_AUTH || e == SWE_ENABLE;
}

/* Open a session for the cache: the host key is checked as in any run
 * (the driver's open); a failure waits its backoff. */
static void chore_open(struct chore *ch)
{
	struct sess_cache *c = ch->c;
	struct sess_entry *e;
	struct deadline dl;
	struct sw sw;
	bool alarm = false;
	long t0 = mono_ms();
	int rc;

	sw_init(&sw, ch->cfg);
	deadline_start(&dl, ch->cfg->timeout_ms);
	sw.dl = &dl;
	rc = sw.drv->open ? sw.drv->open(&sw, &dl) : 0;
	pthread_mutex_lock(&c->mu);
	e = entry_of(c, ch->cfg);
	if (rc == 0) {
		e->state = SESS_IDLE;
		e->priv = sw.priv;
		e->lent = NULL;
		e->failures = 0;
		e->alarmed = false;
		e->opened++;
		e->login_ms = mono_ms() - t0;
		e->last_used_ms = mono_ms();
		sw.priv = NULL;
	} else {
		e->failures++;
		e->last_error = sw.errkind;
		snprintf(e->err, sizeof e->err, "%s", sw.err);
		alarm = needs_alarm(sw.errkind) && !e->alarmed;
		e->alarmed = e->alarmed || alarm;
		e->state = SESS_EMPTY;
		e->lent = NULL;
		e->next_try_ms = mono_ms() + sess_backoff_ms(e->failures, 60000);
	}
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (rc == 0)
		log_info("switch %s: session open, kept warm", ch->cfg->name);
	else
		log_warnx("switch %s: cannot open a session (%s), next try in %ld ms", ch->cfg->name, sw.err,
		    sess_backoff_ms(e->failures, 60000));
	if (alarm && c->alarm)
		c->alarm(ch->cfg, sw.errkind, sw.err);
	sw_release(&sw);
}

/* The keepalive: the driver's read-only probe on the kept session. */
static void chore_probe(struct chore *ch)
{
	struct deadline dl;
	struct sw sw;
	long login;
	bool ok;

	sw_init(&sw, ch->cfg);
	deadline_start(&dl, ch->cfg->timeout_ms);
	sw.dl = &dl;
	if (!sess_take(&sw, &dl, &login)) {	/* a run has it, or it was lost meanwhile */
		sw_release(&sw);
		return;
	}
	ok = !sw.drv->probe || sw.drv->probe(&sw) == 0;
	if (!ok)
		log_warnx("switch %s: keepalive failed (%s): the session is opened anew", ch->cfg->name, sw.err);
	sess_give(&sw, ok, 0);
	sw_release(&sw);
}

static void *chore_main(void *arg)
{
	struct chore *ch = arg;

	struct sess_cache *c = ch->c;

	if (ch->open)
		chore_open(ch);
	else
		chore_probe(ch);
	free(ch);
	pthread_mutex_lock(&c->mu);
	c->chores--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static void chore_start(struct sess_cache *c, struct sess_entry *e, bool open)
{
	struct chore *ch = xcalloc(1, sizeof *ch);
	pthread_attr_t a;
	pthread_t t;

	*ch = (struct chore){ .c = c, .cfg = e->cfg, .open = open };
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	c->chores++;
	if (pthread_create(&t, &a, chore_main, ch) != 0) {
		c->chores--;
		free(ch);
		if (open)
			e->state = SESS_EMPTY;
	}
	pthread_attr_destroy(&a);
}

void sess_maintain(struct sess_cache *c, long keepalive_ms)
{
	long now = mono_ms();

	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->n; i++) {
		struct sess_entry *e = &c->v[i];

		if (e->state == SESS_EMPTY && now >= e->next_try_ms) {
			e->state = SESS_BUSY;	/* the opener's, until it is done */
			e->lent = NULL;
			chore_start(c, e, true);
		} else if (e->state == SESS_IDLE && keepalive_ms > 0 && now - e->last_used_ms >= keepalive_ms) {
			e->last_used_ms = now;	/* not twice while the probe runs */
			chore_start(c, e, false);
		}
	}
	pthread_mutex_unlock(&c->mu);
}

void sess_cache_reconfigure(struct sess_cache *c, const struct config *cfg)
{
	struct sess_entry *old = c->v;
	size_t nold = c->n;

	pthread_mutex_lock(&c->mu);
	c->v = xcalloc(cfg->nswitches ? cfg->nswitches : 1, sizeof *c->v);
	c->n = 0;
	for (size_t i = 0; i < cfg->nswitches; i++) {
		const struct sw_config *s = cfg->switches[i];
		struct sess_entry *e;

		if (!s->driver->reuse)
			continue;
		e = &c->v[c->n++];
		entry_init(e, s);
		for (size_t k = 0; k < nold; k++)
			if (old[k].cfg && sw_config_same(old[k].cfg, s)) {
				*e = old[k];
				e->cfg = s;
				old[k].cfg = NULL;	/* moved */
				break;
			}
	}
	pthread_mutex_unlock(&c->mu);
	for (size_t k = 0; k < nold; k++)
		if (old[k].cfg && old[k].state == SESS_IDLE)
			close_priv(old[k].cfg, old[k].priv);
	free(old);
}
