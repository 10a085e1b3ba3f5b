/* A run: one command's timeline. Every step's start and end goes to
 * state-dir/journal.jsonl (one JSON object a line, fsync'd when the step
 * touched a switch), to syslog, and with -v to stderr as it happens. The
 * events also stay in memory for the notifications and --json. */
#ifndef FENCER_JOURNAL_H
#define FENCER_JOURNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct config;

enum outcome { OUT_START, OUT_OK, OUT_FAILED, OUT_TIMEOUT, OUT_SKIPPED, OUT_ABORTED };

struct event {
	char time[32];			/* RFC 3339, milliseconds, UTC */
	long at_ms;			/* since the run started */
	char *step;
	char *sw;			/* NULL when not about one switch */
	char *port;
	char *channel;			/* a notification's: mail, webhook, trap */
	char *target;			/* ... and where it went */
	enum outcome outcome;
	long duration_ms;		/* -1 for a start event */
	/* The words that go with it: the switch's own words of a failure
	 * (JSON "error"), the run's summary on its "end" line ("summary"), or
	 * what a step did ("detail": "deleted 12 entries"). */
	char *error;
};

struct run {
	const struct config *cfg;
	const char *command;
	const char *node;
	char *args;			/* extra arguments, e.g. from the HA daemon */
	long start_ms;			/* monotonic */
	char start_time[32];
	bool dry_run;
	bool json;
	int journal_fd;			/* -1: not journaling */
	bool journal_failed;		/* reported once, loudly */
	pthread_mutex_t mu;
	struct event *ev;
	size_t nev;
	char **plan;			/* dry run with --json: what would run */
	size_t nplan;
	/* fencer serve: each event as it happens, its timeline line (as -v
	 * prints it) and its journal object, for the client that asked;
	 * called under mu. NULL: -v prints the line on stderr. */
	void (*observe)(void *ctx, const char *line, const char *json);
	void *observe_ctx;
};

void run_init(struct run *, const struct config *, const char *command, bool dry_run);
/* Open state-dir/journal.jsonl; failure is reported, never fatal. */
void run_open_journal(struct run *);
void run_close(struct run *);

/* Record a step's start; returns the monotonic time to pass to run_end. */
long run_begin(struct run *, const char *step, const char *sw, const char *port);
void run_end(struct run *, const char *step, const char *sw, const char *port,
    long started, enum outcome, const char *error);
/* A notification's start and end: its channel and target, journaled as
 * "channel" and "target" (and, as before them, "switch" and "port"). */
long run_begin_notify(struct run *, const char *channel, const char *target);
void run_end_notify(struct run *, const char *channel, const char *target, long started, enum outcome,
    const char *error);
/* A one-off line (a note, or the run's summary). */
void run_note(struct run *, const char *step, enum outcome, const char *error);
/* The same about one switch. */
void run_note_switch(struct run *, const char *step, const char *sw, enum outcome, const char *error);

/* A dry run's line of what would run: printed, or with --json kept for
 * the run's JSON document (one document, nothing else on stdout). */
void run_plan(struct run *, const char *fmt, ...) PRINTF(2, 3);

const char *outcome_name(enum outcome);
void rfc3339_now(char *buf, size_t len);
long run_elapsed_ms(const struct run *);
/* The run as a JSON document (for --json and webhooks); caller frees. */
char *run_to_json(struct run *, const char *outcome, int exit_code);

#endif
