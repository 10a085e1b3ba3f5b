/* One deadline type for everything that blocks: a point on the monotonic
 * clock. Every blocking call is given the time left, never a fixed timeout. */
#ifndef FENCER_DEADLINE_H
#define FENCER_DEADLINE_H

#include <stdbool.h>
#include <time.h>

struct deadline {
	struct timespec end;	/* CLOCK_MONOTONIC */
};

long mono_ms(void);
void deadline_start(struct deadline *, long ms);
/* The earlier of parent and now + ms: a step's own budget inside the run's. */
void deadline_sub(struct deadline *, const struct deadline *parent, long ms);
long deadline_left_ms(const struct deadline *);	/* >= 0 */
bool deadline_passed(const struct deadline *);
/* The deadline as a mono_ms() value. */
long deadline_end_ms(const struct deadline *);
/* Absolute time for pthread_cond_timedwait on a CLOCK_MONOTONIC condvar. */
struct timespec deadline_abstime(const struct deadline *);

#endif
