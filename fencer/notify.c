/*
 * Notifications: after every other step of promote, demote, a failed fence
 * or unfence, and a check that turns CRITICAL, tell the operators through
 * every channel of [notify] at once: one mail (all recipients), one POST per
 * webhook, one SNMP notification per receiver. Syslog has every step
 * already, through the journal.
 *
 * Every delivery runs in its own thread and all share [notify] timeout; the
 * caller waits no longer than that. A delivery still running then is left
 * behind (like a cut switch worker): it owns a reference to the batch, so
 * nothing it touches is freed under it. Outcomes are recorded as run events
 * (step "notify", the channel in the switch field, the destination in the
 * port field) and never change what was done.
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/curl_api.h"
#include "fencer/journal.h"
#include "fencer/notify.h"
#include "fencer/threads.h"
#include "fencer/notify_channel.h"

const bool notify_available = true;

#define SECRET_MAX 256

struct batch;

struct slot {
	struct batch *b;
	struct delivery d;
	bool started, finished;
	pthread_t tid;
};

struct batch {
	struct thread_group threads;	/* the deliveries: threads.mu guards the slots */
	struct notify_config cfg;	/* copies: the config may be freed under a late thread */
	struct notice notice;
	char *mail, *json;
	char smtp_pw[SECRET_MAX], community[SECRET_MAX], auth_pw[SECRET_MAX], priv_pw[SECRET_MAX];
	size_t n;
	struct slot *slots;
};

/* ---- which runs are worth a notification ---------------------------------- */

static bool worth_notifying(const char *command, int exit_code)
{
	if (strcmp(command, "promote") == 0 || strcmp(command, "demote") == 0 ||
	    strcmp(command, "check") == 0)
		return true;
	/* fencer serve's alarms: a fenced port up again, a host key changed. */
	if (strcmp(command, "serve") == 0)
		return exit_code != 0;
	/* A manual or Pacemaker fence that failed: someone must act. */
	if (strcmp(command, "fence") == 0 || strcmp(command, "unfence") == 0)
		return exit_code != 0;
	return false;
}

/* ---- the batch ------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_list(struct strlist *to, const struct strlist *from)
{
	to->v = xcalloc(from->n, sizeof *to->v);
	for (to->n = 0; to->n < from->n; to->n++)
		to->v[to->n] = xstrdup(from->v[to->n]);
}

static void free_list(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void copy_config(struct notify_config *to, const struct notify_config *from)
{
	*to = (struct notify_config){ .present = from->present, .timeout_ms = from->timeout_ms,
	    .mail_from = dup_or_null(from->mail_from), .smtp_url = dup_or_null(from->smtp_url),
	    .smtp_user = dup_or_null(from->smtp_user), .ca_file = dup_or_null(from->ca_file),
	    .trap_version = dup_or_null(from->trap_version), .trap_user = dup_or_null(from->trap_user),
	    .trap_auth_protocol = dup_or_null(from->trap_auth_protocol),
	    .trap_priv_protocol = dup_or_null(from->trap_priv_protocol) };
	copy_list(&to->mail_to, &from->mail_to);
	copy_list(&to->webhooks, &from->webhooks);
	copy_list(&to->traps, &from->traps);
}

static void free_config(struct notify_config *c)
{
	char *fields[] = { c->mail_from, c->smtp_url, c->smtp_user, c->ca_file, c->trap_version,
	    c->trap_user, c->trap_auth_protocol, c->trap_priv_protocol };

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		free(fields[i]);
	free_list(&c->mail_to);
	free_list(&c->webhooks);
	free_list(&c->traps);
}

/* The last one out of the batch's group: notify_send, or a delivery that
 * ended after notify_send stopped waiting for it. */
static void batch_release(void *arg)
{
	struct batch *b = arg;

	explicit_bzero(b->smtp_pw, sizeof b->smtp_pw);
	explicit_bzero(b->community, sizeof b->community);
	explicit_bzero(b->auth_pw, sizeof b->auth_pw);
	explicit_bzero(b->priv_pw, sizeof b->priv_pw);
	free_config(&b->cfg);
	free(b->mail);
	free(b->json);
	free(b->slots);
	free(b);
}

static struct delivery *add_slot(struct batch *b, const char *channel, const char *dest,
    int (*send)(struct delivery *))
{
	struct delivery *d = &b->slots[b->n].d;

	b->slots[b->n].b = b;
	*d = (struct delivery){ .channel = channel, .dest = dest, .send = send, .cfg = &b->cfg,
	    .notice = &b->notice };
	b->n++;
	return d;
}

/* A secret that cannot be read fails its delivery before it starts. */
static bool load_secret(const char *file, char *buf, char *why, size_t len)
{
	return !file || secret_read(file, buf, SECRET_MAX, why, len) == 0;
}

static void fail_early(struct delivery *d, const char *why)
{
	snprintf(d->err, sizeof d->err, "%s to %s not sent: %s", d->channel, d->target, why);
	d->rc = -1;
}

/* ---- payloads ---------------------------------------------------------------- */

static char *build_mail(struct batch *b, const struct run *run)
{
	static unsigned seq;
	const char *from = b->cfg.mail_from, *at = strchr(from, '@');
	struct mail_head h = { .from = from, .to = (const char *const *)b->cfg.mail_to.v,
	    .nto = b->cfg.mail_to.n, .date = time(NULL) };
	char id[256];
	long r = random();

	snprintf(id, sizeof id, "fencer.%lld.%ld.%u.%lx@%s", (long long)h.date, (long)getpid(), seq++, r,
	    at ? at + 1 : run->node ? run->node : "localhost");
	h.message_id = id;
	return mail_message(&b->notice, run, &h);
}

/* The run's own document, with the one-line summary on top. */
static char *build_json(struct batch *b, struct run *run, const char *outcome, int exit_code)
{
	char *doc = run_to_json(run, outcome, exit_code), *out;
	json_t *o = doc ? json_loads(doc, 0, NULL) : NULL;
	static const char *const kinds[] = { [NOTICE_PROMOTED] = "promoted", [NOTICE_DEMOTED] = "demoted",
	    [NOTICE_FENCE_FAILED] = "fence-failed", [NOTICE_CHECK_CRITICAL] = "check-critical" };

	free(doc);
	if (!o)
		return NULL;
	json_object_set_new(o, "summary", json_string(b->notice.summary));
	json_object_set_new(o, "notification", json_string(kinds[b->notice.kind]));
	out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out;
}

static struct batch *batch_new(const struct config *cfg, struct run *run, const char *outcome,
    int exit_code)
{
	const struct notify_config *n = &cfg->notify;
	struct batch *b = xcalloc(1, sizeof *b);

	b->slots = xcalloc(1 + n->webhooks.n + n->traps.n, sizeof *b->slots);
	group_init(&b->threads, batch_release, b);
	copy_config(&b->cfg, n);
	pthread_mutex_lock(&run->mu);
	notice_from_run(&b->notice, run, outcome, exit_code);
	if (n->mail_to.n)
		b->mail = build_mail(b, run);
	pthread_mutex_unlock(&run->mu);
	if (n->webhooks.n)
		b->json = build_json(b, run, outcome, exit_code);
	return b;
}

static void plan_mail(struct batch *b, const struct notify_config *n)
{
	struct delivery *d;
	char why[512];

	if (!n->mail_to.n)
		return;
	d = add_slot(b, "mail", NULL, mail_send);
	url_origin(n->smtp_url, d->target, sizeof d->target);
	d->payload = b->mail;
	d->secret = n->smtp_password_file ? b->smtp_pw : NULL;
	if (!load_secret(n->smtp_password_file, b->smtp_pw, why, sizeof why))
		fail_early(d, why);
	else if (!b->mail)
		fail_early(d, "out of memory building the message");
}

static void plan_webhooks(struct batch *b)
{
	for (size_t i = 0; i < b->cfg.webhooks.n; i++) {
		struct delivery *d = add_slot(b, "webhook", b->cfg.webhooks.v[i], webhook_send);

		url_origin(d->dest, d->target, sizeof d->target);
		d->payload = b->json;
		if (!b->json)
			fail_early(d, "out of memory building the document");
	}
}

static void plan_traps(struct batch *b, const struct notify_config *n)
{
	char why[512] = "";
	bool ok;

	if (!b->cfg.traps.n)
		return;
	/* One read per file, shared by every receiver. */
	ok = load_secret(n->trap_community_file, b->community, why, sizeof why) &&
	    load_secret(n->trap_auth_password_file, b->auth_pw, why, sizeof why) &&
	    load_secret(n->trap_priv_password_file, b->priv_pw, why, sizeof why);
	for (size_t i = 0; i < b->cfg.traps.n; i++) {
		struct delivery *d = add_slot(b, "trap", b->cfg.traps.v[i], trap_send);

		snprintf(d->target, sizeof d->target, "%s", d->dest);
		d->secret = b->community;
		d->auth_secret = n->trap_auth_password_file ? b->auth_pw : NULL;
		d->priv_secret = n->trap_priv_password_file ? b->priv_pw : NULL;
		if (!ok)
			fail_early(d, why);
	}
}

/* ---- running them ------------------------------------------------------------- */

static void *delivery_thread(void *arg)
{
	struct slot *s = arg;
	struct batch *b = s->b;
	long t0 = mono_ms();
	int rc = s->d.send(&s->d);

	pthread_mutex_lock(&b->threads.mu);
	s->d.rc = rc;
	s->d.duration_ms = mono_ms() - t0;
	s->finished = true;
	pthread_cond_broadcast(&b->threads.cv);
	pthread_mutex_unlock(&b->threads.mu);
	group_leave(&b->threads);
	return NULL;
}

static void start_all(struct batch *b, const struct deadline *dl)
{
	int rc;

	for (size_t i = 0; i < b->n; i++) {
		struct slot *s = &b->slots[i];

		if (s->d.rc < 0) {
			s->finished = true;
			continue;
		}
		s->d.dl = *dl;
		if ((rc = group_start(&b->threads, &s->tid, delivery_thread, s)) != 0) {
			s->d.rc = -1;
			s->finished = true;
			snprintf(s->d.err, sizeof s->d.err, "%s to %s not sent: cannot start a thread: %s",
			    s->d.channel, s->d.target, strerror(rc));
			continue;
		}
		s->started = true;
	}
}

static bool all_finished(const struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->slots[i].finished)
			return false;
	return true;
}

/* Wait for every delivery until the deadline; join those that finished,
 * leave the others behind (fencer/threads.h). */
static void wait_all(struct batch *b, const struct deadline *dl)
{
	bool *done = xcalloc(b->n, sizeof *done);

	pthread_mutex_lock(&b->threads.mu);
	while (!all_finished(b) && group_wait(&b->threads, dl))
		;
	for (size_t i = 0; i < b->n; i++)
		done[i] = b->slots[i].finished;
	pthread_mutex_unlock(&b->threads.mu);
	for (size_t i = 0; i < b->n; i++)
		if (b->slots[i].started)
			group_let_go(b->slots[i].tid, done[i]);
	free(done);
}

static int record_all(struct batch *b, struct run *run, const long *t0)
{
	int rc = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct slot *s = &b->slots[i];
		struct delivery *d = &s->d;
		enum outcome o = OUT_OK;
		char late[400];

		pthread_mutex_lock(&b->threads.mu);
		if (!s->finished) {
			snprintf(late, sizeof late, "%s to %s: no answer within the notify timeout (%ld ms)",
			    d->channel, d->target, b->cfg.timeout_ms);
			o = OUT_TIMEOUT;
		} else if (d->rc < 0) {
			o = d->timed_out ? OUT_TIMEOUT : OUT_FAILED;
		}
		pthread_mutex_unlock(&b->threads.mu);
		if (o != OUT_OK)
			rc = -1;
		/* The thread measured its own time; the start is shifted to match. */
		run_end_notify(run, d->channel, d->target, s->finished ? mono_ms() - d->duration_ms : t0[i],
		    o, o == OUT_OK ? NULL : s->finished ? d->err : late);
	}
	return rc;
}

int notify_send(const struct config *cfg, struct run *run, const char *outcome, int exit_code)
{
	const struct notify_config *n = &cfg->notify;
	struct deadline dl;
	struct batch *b;
	long *t0;
	int rc;

	if ((!n->mail_to.n && !n->webhooks.n && !n->traps.n) || !worth_notifying(run->command, exit_code))
		return 0;
	deadline_start(&dl, n->timeout_ms);
	b = batch_new(cfg, run, outcome, exit_code);
	t0 = xcalloc(1 + n->webhooks.n + n->traps.n, sizeof *t0);
	plan_mail(b, n);
	plan_webhooks(b);
	plan_traps(b, n);
	/* Load libcurl before the delivery threads start (its global init
	 * must not race); a failure is each curl channel's to report. */
	if (n->mail_to.n || n->webhooks.n)
		(void)curl_api();
	for (size_t i = 0; i < b->n; i++)
		t0[i] = run_begin_notify(run, b->slots[i].d.channel, b->slots[i].d.target);
	start_all(b, &dl);
	wait_all(b, &dl);
	rc = record_all(b, run, t0);
	free(t0);
	group_leave(&b->threads);
	return rc;
}
