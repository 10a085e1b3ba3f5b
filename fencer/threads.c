#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "fencer/threads.h"

void group_init(struct thread_group *g, void (*release)(void *), void *shared)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cv, &ca);
	pthread_condattr_destroy(&ca);
	g->refs = 1;
	g->release = release;
	g->shared = shared;
}

int group_start(struct thread_group *g, pthread_t *tid, void *(*fn)(void *), void *arg)
{
	int rc;

	pthread_mutex_lock(&g->mu);
	g->refs++;
	pthread_mutex_unlock(&g->mu);
	if ((rc = pthread_create(tid, NULL, fn, arg)) != 0) {
		pthread_mutex_lock(&g->mu);
		g->refs--;
		pthread_mutex_unlock(&g->mu);
	}
	return rc;
}

bool group_wait(struct thread_group *g, const struct deadline *dl)
{
	struct timespec ts = deadline_abstime(dl);

	if (deadline_passed(dl))
		return false;
	return pthread_cond_timedwait(&g->cv, &g->mu, &ts) != ETIMEDOUT || !deadline_passed(dl);
}

bool threads_left_behind;

void group_let_go(pthread_t tid, bool finished)
{
	if (finished) {
		pthread_join(tid, NULL);
		return;
	}
	pthread_detach(tid);
	threads_left_behind = true;
}

void threads_exit(int code)
{
	fflush(NULL);
	_exit(code);
}

void group_leave(struct thread_group *g)
{
	int left;

	pthread_mutex_lock(&g->mu);
	left = --g->refs;
	pthread_mutex_unlock(&g->mu);
	if (left)
		return;
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	g->release(g->shared);
}
