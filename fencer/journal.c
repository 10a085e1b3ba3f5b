#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/deadline.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/redact.h"
#include "fencer/state.h"

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = {
		[OUT_START] = "start", [OUT_OK] = "ok", [OUT_FAILED] = "failed",
		[OUT_TIMEOUT] = "timeout", [OUT_SKIPPED] = "skipped", [OUT_ABORTED] = "aborted",
	};

	return names[o];
}

void rfc3339_now(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	char base[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", base, (long)tv.tv_usec / 1000);
}

void run_init(struct run *r, const struct config *cfg, const char *command, bool dry_run)
{
	memset(r, 0, sizeof *r);
	r->cfg = cfg;
	r->command = command;
	r->node = cfg ? cfg->node : NULL;
	r->dry_run = dry_run;
	r->journal_fd = -1;
	r->start_ms = mono_ms();
	rfc3339_now(r->start_time, sizeof r->start_time);
	pthread_mutex_init(&r->mu, NULL);
}

/* A run cut by a power loss may have left half a line: the next record
 * starts on a line of its own, so that a reader loses that half only. */
static void end_torn_line(int fd)
{
	struct stat st;
	char last;

	if (fstat(fd, &st) == 0 && st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 &&
	    last != '\n' && write(fd, "\n", 1) != 1)
		log_warn("JOURNAL: cannot end the torn last line");
}

void run_open_journal(struct run *r)
{
	char path[4096];

	if (r->dry_run || !r->cfg)
		return;
	snprintf(path, sizeof path, "%s/journal.jsonl", r->cfg->state_dir);
	mkdir(r->cfg->state_dir, 0750);
	r->journal_fd = state_open(path, O_RDWR | O_APPEND | O_CREAT);
	if (r->journal_fd < 0) {
		r->journal_failed = true;
		if (errno == EINVAL)
			log_warnx("JOURNAL NOT WRITTEN: %s is not a regular file (fencing goes on)", path);
		else
			log_warn("JOURNAL NOT WRITTEN: cannot open %s (fencing goes on)", path);
		return;
	}
	end_torn_line(r->journal_fd);
}

static void event_free(struct event *e)
{
	free(e->step);
	free(e->sw);
	free(e->port);
	free(e->channel);
	free(e->target);
	free(e->error);
}

void run_close(struct run *r)
{
	if (r->journal_fd >= 0)
		close(r->journal_fd);
	r->journal_fd = -1;
	for (size_t i = 0; i < r->nev; i++)
		event_free(&r->ev[i]);
	free(r->ev);
	free(r->args);
	for (size_t i = 0; i < r->nplan; i++)
		free(r->plan[i]);
	free(r->plan);
	r->plan = NULL;
	r->nplan = 0;
	r->ev = NULL;
	r->nev = 0;
	pthread_mutex_destroy(&r->mu);
}

long run_elapsed_ms(const struct run *r)
{
	return mono_ms() - r->start_ms;
}

void run_plan(struct run *r, const char *fmt, ...)
{
	char line[1024], **v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!r->json) {
		printf("%s\n", line);
		return;
	}
	v = xrealloc(r->plan, r->nplan + 1, sizeof *v);
	v[r->nplan] = xstrdup(line);
	r->plan = v;
	r->nplan++;
}

/* Under which name an event's words go: a failure's are an error, the end
 * line's the run's summary, anything else what the step did. */
static const char *words_key(const struct event *e)
{
	if (strcmp(e->step, "end") == 0)
		return "summary";
	if (e->outcome == OUT_FAILED || e->outcome == OUT_TIMEOUT || e->outcome == OUT_ABORTED)
		return "error";
	return "detail";
}

static json_t *event_json(const struct run *r, const struct event *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "time", json_string(e->time));
	json_object_set_new(o, "node", json_string(r->node ? r->node : ""));
	json_object_set_new(o, "command", json_string(r->command));
	json_object_set_new(o, "step", json_string(e->step));
	if (e->sw)
		json_object_set_new(o, "switch", json_string(e->sw));
	if (e->port)
		json_object_set_new(o, "port", json_string(e->port));
	if (e->channel) {
		json_object_set_new(o, "channel", json_string(e->channel));
		json_object_set_new(o, "target", json_string(e->target));
		/* The journal's keys are a contract: readers of before find
		 * them where they were. */
		json_object_set_new(o, "switch", json_string(e->channel));
		json_object_set_new(o, "port", json_string(e->target));
	}
	json_object_set_new(o, "outcome", json_string(outcome_name(e->outcome)));
	if (e->duration_ms >= 0)
		json_object_set_new(o, "duration_ms", json_integer(e->duration_ms));
	if (e->error)
		json_object_set_new(o, words_key(e), json_string(e->error));
	if (r->args && strcmp(e->step, "begin") == 0)
		json_object_set_new(o, "args", json_string(r->args));
	return o;
}

/* Steps that change a switch or the bridge are fsync'd: after a crash the
 * journal must say what was done to the network. */
static bool durable(const struct event *e)
{
	static const char *const steps[] = { "fence", "unfence", "activate", "deactivate", "flush", "race",
		NULL };

	for (size_t i = 0; steps[i]; i++)
		if (strcmp(e->step, steps[i]) == 0)
			return true;
	return false;
}

static void journal_write(struct run *r, const struct event *e)
{
	json_t *o;
	char *line;
	size_t len;

	if (r->journal_fd < 0)
		return;
	o = event_json(r, e);
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!line)
		return;
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room: it is NUL-terminated */
	if (write(r->journal_fd, line, len + 1) != (ssize_t)(len + 1) ||
	    (durable(e) && fsync(r->journal_fd) < 0)) {
		if (!r->journal_failed)
			log_warn("JOURNAL WRITE FAILED for %s/journal.jsonl (fencing goes on)", r->cfg->state_dir);
		r->journal_failed = true;
	}
	free(line);
}

/* The timeline line for syslog and -v; under fencer serve, -v's line and
 * the journal's object go to the client that asked instead. */
static void timeline_print(const struct run *r, const struct event *e)
{
	char where[256] = "", dur[32] = "", line[2048];

	if (e->channel)
		snprintf(where, sizeof where, " %s %s", e->channel, e->target);
	else if (e->sw && e->port)
		snprintf(where, sizeof where, " %s %s", e->sw, e->port);
	else if (e->sw)
		snprintf(where, sizeof where, " %s", e->sw);
	if (e->duration_ms >= 0)
		snprintf(dur, sizeof dur, " (%ld ms)", e->duration_ms);
	log_syslog(e->outcome == OUT_FAILED || e->outcome == OUT_TIMEOUT ? LOG_WARNING : LOG_INFO,
	    "%s: %s%s %s%s%s%s", r->command, e->step, where, outcome_name(e->outcome), dur,
	    e->error ? ": " : "", e->error ? e->error : "");
	snprintf(line, sizeof line, "%+7ld ms  %-10s%-28s %-8s%s%s%s", e->at_ms, e->step, where,
	    outcome_name(e->outcome), dur, e->error ? "  " : "", e->error ? e->error : "");
	if (r->observe) {
		json_t *o = event_json(r, e);
		char *json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

		r->observe(r->observe_ctx, line, json ? json : "{}");
		free(json);
		json_decref(o);
	} else if (log_verbosity() > 0 && !r->json) {
		fprintf(stderr, "%s\n", line);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* What an event is about: a switch and a port, or a notification. */
struct about {
	const char *sw, *port, *channel, *target;
};

static void record(struct run *r, const char *step, struct about a, enum outcome o, long duration,
    const char *error)
{
	struct event *e;

	pthread_mutex_lock(&r->mu);
	r->ev = xrealloc(r->ev, r->nev + 1, sizeof *r->ev);
	e = &r->ev[r->nev++];
	/* An error holds a switch's or an agent's words: never a secret. */
	*e = (struct event){ .step = xstrdup(step), .sw = dup_or_null(a.sw), .port = dup_or_null(a.port),
	    .channel = dup_or_null(a.channel), .target = dup_or_null(a.target),
	    .outcome = o, .duration_ms = duration, .error = redact_dup(error),
	    .at_ms = run_elapsed_ms(r) };
	rfc3339_now(e->time, sizeof e->time);
	timeline_print(r, e);
	journal_write(r, e);
	pthread_mutex_unlock(&r->mu);
}

long run_begin(struct run *r, const char *step, const char *sw, const char *port)
{
	record(r, step, (struct about){ .sw = sw, .port = port }, OUT_START, -1, NULL);
	return mono_ms();
}

void run_end(struct run *r, const char *step, const char *sw, const char *port,
    long started, enum outcome o, const char *error)
{
	record(r, step, (struct about){ .sw = sw, .port = port }, o, mono_ms() - started, error);
}

long run_begin_notify(struct run *r, const char *channel, const char *target)
{
	record(r, "notify", (struct about){ .channel = channel, .target = target }, OUT_START, -1, NULL);
	return mono_ms();
}

void run_end_notify(struct run *r, const char *channel, const char *target, long started, enum outcome o,
    const char *error)
{
	record(r, "notify", (struct about){ .channel = channel, .target = target }, o, mono_ms() - started,
	    error);
}

void run_note(struct run *r, const char *step, enum outcome o, const char *error)
{
	record(r, step, (struct about){ 0 }, o, -1, error);
}

void run_note_switch(struct run *r, const char *step, const char *sw, enum outcome o, const char *error)
{
	record(r, step, (struct about){ .sw = sw }, o, -1, error);
}

char *run_to_json(struct run *r, const char *outcome, int exit_code)
{
	json_t *doc = json_object(), *steps = json_array();
	char *s;

	pthread_mutex_lock(&r->mu);
	for (size_t i = 0; i < r->nev; i++) {
		json_t *e = event_json(r, &r->ev[i]);

		json_object_del(e, "node");
		json_object_del(e, "command");
		json_object_set_new(e, "at_ms", json_integer(r->ev[i].at_ms));
		json_array_append_new(steps, e);
	}
	pthread_mutex_unlock(&r->mu);
	json_object_set_new(doc, "event", json_string(r->command));
	json_object_set_new(doc, "node", json_string(r->node ? r->node : ""));
	if (r->cfg && r->cfg->peer)
		json_object_set_new(doc, "peer", json_string(r->cfg->peer));
	json_object_set_new(doc, "started", json_string(r->start_time));
	json_object_set_new(doc, "outcome", json_string(outcome));
	json_object_set_new(doc, "exit_code", json_integer(exit_code));
	json_object_set_new(doc, "duration_ms", json_integer(run_elapsed_ms(r)));
	if (r->args)
		json_object_set_new(doc, "args", json_string(r->args));
	json_object_set_new(doc, "journal_ok", json_boolean(!r->journal_failed));
	if (r->dry_run) {
		json_t *plan = json_array();

		for (size_t i = 0; i < r->nplan; i++)
			json_array_append_new(plan, json_string(r->plan[i]));
		json_object_set_new(doc, "dry_run", json_true());
		json_object_set_new(doc, "plan", plan);
	}
	json_object_set_new(doc, "steps", steps);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}
