/* fencer serve's warm sessions (docs/serve.md): one open, logged-in
 * session per switch, kept between runs. A session belongs to one thread
 * at a time: a run's worker takes it instead of opening one and gives it
 * back instead of closing it; the service's keepalive and probes take it
 * the same way. A session that failed is closed, and opened anew with
 * backoff. Outside the service there is no cache and every run opens and
 * closes its own sessions (session_cache is NULL). */
#ifndef FENCER_SESSION_CACHE_H
#define FENCER_SESSION_CACHE_H

#include <pthread.h>
#include <stdbool.h>

#include "fencer/deadline.h"
#include "fencer/driver.h"

struct config;
struct sw_config;

enum sess_state {
	SESS_EMPTY,		/* no session: opened at next_try_ms */
	SESS_IDLE,		/* open, nobody's */
	SESS_BUSY,		/* a thread has it (lent is its priv) */
};

struct sess_entry {
	const struct sw_config *cfg;
	enum sess_state state;
	void *priv;			/* SESS_IDLE: the driver's open state */
	void *lent;			/* SESS_BUSY: the priv taken, to know it back */
	long last_used_ms;		/* monotonic: the keepalive's clock */
	long next_try_ms;		/* SESS_EMPTY: when to open it again */
	long login_ms;			/* how long the open of the kept session took */
	unsigned failures;		/* opens failed in a row: the backoff */
	enum sw_error last_error;	/* of the last open that failed */
	char err[256];
	bool alarmed;			/* a host key alarm was raised for this failure */
	long opened;			/* sessions opened, for the journal and tests */
};

struct sess_cache {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sess_entry *v;
	size_t n;
	unsigned chores;		/* keepalive and open threads running */
	/* A switch refused the session in a way a person must look at (its
	 * host key changed or is unknown, the login was refused): called once
	 * per such failure, from the thread that opened, without mu. */
	void (*alarm)(const struct sw_config *, enum sw_error, const char *err);
};

/* The service's cache; NULL in a standalone run. */
extern struct sess_cache *session_cache;

/* The wait before the next open after `failures` failed in a row: 1 s,
 * doubled each time, at most cap_ms (pure: tests/unit/test_serve.c). */
long sess_backoff_ms(unsigned failures, long cap_ms);

void sess_cache_init(struct sess_cache *, const struct config *);
/* Close every session (none may be busy). */
void sess_cache_free(struct sess_cache *);
/* A run's worker: put the kept session of sw's switch into sw (its priv
 * swapped in; the driver's reuse checks it). True: sw is open, warm, and
 * *login_ms says how long its login took (the fence race's watch covers a
 * racing peer's login as long: docs/serve.md). False: open a session as
 * always. dl bounds the wait for a session the keepalive holds. */
bool sess_take(struct sw *, const struct deadline *dl, long *login_ms);
/* A worker done with sw: a session that did not fail is kept (a taken one
 * goes back; a cold one, whose open took login_ms, becomes the switch's
 * kept session when it has none), otherwise closed. sw's priv is left
 * zeroed for sw_release. */
void sess_give(struct sw *, bool healthy, long login_ms);
/* The service's timer: for each switch, open a missing session whose
 * time came, or probe an idle one unused for keepalive_ms, each in a
 * thread of its own (returns at once). */
void sess_maintain(struct sess_cache *, long keepalive_ms);
/* No thread holds a session and no keepalive runs (reload waits). */
bool sess_all_idle(struct sess_cache *);
/* After a reload: keep the sessions of switches whose configuration is
 * the same in cfg, close the others, add the new ones. No session busy. */
void sess_cache_reconfigure(struct sess_cache *, const struct config *cfg);
/* Two [switch] sections that open the same session. */
bool sw_config_same(const struct sw_config *, const struct sw_config *);

#endif
