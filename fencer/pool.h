/* The worker pool: one thread and one session per switch, all under one
 * deadline, for every command that acts on switches (fencer/engine.h runs
 * the sequences, this runs the switches). A job is one switch's work: a
 * claim (fencer/race.h) for fence, unfence and promote, a read, a probe,
 * a write probe or a flush. The caller starts the jobs, waits for a phase
 * with pool_wait, and tells the claims what happened meanwhile
 * (pool_tell).
 *
 * The caller never waits past the deadline: a worker still busy then is
 * "cut": its targets are reported as timed out, and from then on it
 * touches nothing shared (every write it makes goes through
 * pool->threads.mu and checks its cut flag). The pool is freed by the last
 * of the caller and its workers to leave (fencer/threads.h); a process
 * that ends while a worker is cut ends with threads_exit. */
#ifndef FENCER_POOL_H
#define FENCER_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "fencer/deadline.h"
#include "fencer/driver.h"
#include "fencer/target.h"
#include "fencer/race.h"
#include "fencer/threads.h"

struct run;

enum job_kind { JOB_CLAIM, JOB_GET, JOB_FLUSH, JOB_PROBE, JOB_PROBE_WRITE };
/* How far a worker got. A claim's worker passes every phase; the others go
 * from WORKING to FINISHED. PHASE_WATCHED is not a mark but the claim's
 * stage: a switch done watching watches again when another switch's change
 * extends the watch (fencer/race.h). */
enum job_phase { PHASE_WORKING, PHASE_VERDICT, PHASE_WATCHED, PHASE_SETTLED, PHASE_FINISHED };

struct pool;

struct job {
	struct pool *pool;
	struct sw sw;
	struct target **targets;	/* this switch's targets: under pool->threads.mu only */
	char **ports;			/* their names, the job's own copy */
	struct claim_port *cports;	/* JOB_CLAIM: the same ports, as claimed */
	struct claim claim;		/* under pool->threads.mu */
	size_t n;
	enum job_kind kind;
	enum job_phase phase;
	bool cut;			/* abandoned at the deadline */
	bool flush_failed;
	bool probe_ok;
	int flush_probe;		/* check: 1 ok, 0 not asked, -1 failed */
	int write_probe;		/* the same for the write probe */
	char flush_info[256];		/* what the flush probe said */
	bool connected;			/* open succeeded: commands may have left */
	long latency_ms;		/* connect + probe */
	long login_ms;			/* its session's login, even a kept one's */
	pthread_t tid;
	bool started;			/* tid is a thread of the pool's group */
};

struct pool {
	struct thread_group threads;	/* the workers: threads.mu guards what they share */
	pthread_mutex_t state_mu;	/* fenced.json, written by workers and this thread */
	struct run *run;
	struct deadline work_dl;	/* fencing, reading, the watch */
	struct deadline dl;		/* the whole run: the flush may use it all */
	struct job *jobs;
	size_t n;
	struct race race;		/* JOB_CLAIM: the claim every worker holds */
	bool deep;			/* check: probe the flush method too */
};

/* The coordinator's word to the claims (fencer/race.h). */
enum tell { TELL_ACTIVATED, TELL_FLUSH, TELL_STOP };

/* A job per switch with a target in t (every switch when t is NULL); the
 * fencing and reading get work_ms of the run's deadline. */
struct pool *pool_new(struct run *, struct target_set *t, enum job_kind, long work_ms);
/* Give a job one more target (a job made without targets). */
void job_attach(struct job *, struct target *);
/* Start the workers: every job, or with only, that switch's; a flush job
 * whose driver cannot flush is not started. */
void pool_start(struct pool *, const char *only);
/* Wait until every worker reached phase or dl passed; cut the ones that
 * did not, reporting their unfinished targets as timed out. */
void pool_wait(struct pool *, enum job_phase, const struct deadline *dl);
/* Every switch has its verdict or was cut: the watch starts now. */
void pool_watch(struct pool *);
void pool_tell(struct pool *, enum tell);
/* The targets from the claims' last reads. */
void pool_refresh(struct pool *);
/* The node that yields saw the peer's claim. */
bool pool_lost(struct pool *);
/* Join the workers that finished, leave the cut ones behind; the pool is
 * freed when the last of them is done with it. */
void pool_free(struct pool *);

/* fenced.json from t: a port asked down and verified, or whose shutdown
 * may have left; a port brought back up is forgotten. Hold the pool's
 * state_mu while a pool lives. */
int record_fenced(struct run *, const struct target_set *t);

#endif
