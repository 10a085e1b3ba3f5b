/* Threads a caller waits for until a deadline and leaves behind when it
 * passes: the engine's switch workers (fencer/pool.h) and notify's
 * deliveries. A thread still running at the deadline may be inside a
 * library call that cannot be cut short (libssh, net-snmp, libcurl): the
 * caller stops waiting for it, and the memory the threads share is freed
 * by whoever leaves last, the caller or that thread. */
#ifndef FENCER_THREADS_H
#define FENCER_THREADS_H

#include <pthread.h>
#include <stdbool.h>

#include "fencer/deadline.h"

struct thread_group {
	pthread_mutex_t mu;		/* guards what the threads share */
	pthread_cond_t cv;		/* on the monotonic clock (deadline_abstime) */
	int refs;			/* the caller, and each thread started */
	void (*release)(void *);	/* frees the shared memory, group included */
	void *shared;
};

/* release(shared) runs once the caller and every thread have left. */
void group_init(struct thread_group *, void (*release)(void *), void *shared);
/* Start fn(arg) as a member; 0, or an errno value (nothing started). */
int group_start(struct thread_group *, pthread_t *, void *(*fn)(void *), void *arg);
/* With mu held: wait for a broadcast on cv, until dl at the latest.
 * false when dl has passed. */
bool group_wait(struct thread_group *, const struct deadline *dl);
/* The caller's end with one thread: join it when it finished, else leave
 * it behind (detached), which sets threads_left_behind. */
void group_let_go(pthread_t tid, bool finished);

/* A thread was left behind: it may still be inside libssh, net-snmp or
 * libcurl, and may still read the configuration. The process then ends
 * with threads_exit, never by returning from main: the libraries' exit
 * handlers (libssh's destructor finalizes its crypto, OpenSSL frees its
 * global state) would run under that thread's feet and crash it, or hang
 * the process in the crash handler, and the HA daemon's hook must end
 * with the code it was given. */
extern bool threads_left_behind;
/* Everything fencer writes is flushed first; the journal is written with
 * write(2) and needs nothing. */
_Noreturn void threads_exit(int code);
/* A member's last act, and the caller's when it is done with the group:
 * the last one out frees the shared memory. Not with mu held. */
void group_leave(struct thread_group *);

#endif
