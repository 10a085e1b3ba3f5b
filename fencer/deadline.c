#include "fencer/deadline.h"

static long ts_ms(const struct timespec *ts)
{
	return (long)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

long mono_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_ms(&now);
}

void deadline_start(struct deadline *d, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, &d->end);
	if (ms < 0)
		ms = 0;
	d->end.tv_sec += ms / 1000;
	d->end.tv_nsec += (ms % 1000) * 1000000;
	if (d->end.tv_nsec >= 1000000000) {
		d->end.tv_sec++;
		d->end.tv_nsec -= 1000000000;
	}
}

void deadline_sub(struct deadline *d, const struct deadline *parent, long ms)
{
	deadline_start(d, ms);
	if (parent && deadline_left_ms(parent) < ms)
		*d = *parent;
}

long deadline_left_ms(const struct deadline *d)
{
	struct timespec now;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = (long)(d->end.tv_sec - now.tv_sec) * 1000 +
	    (d->end.tv_nsec - now.tv_nsec) / 1000000;
	return left > 0 ? left : 0;
}

bool deadline_passed(const struct deadline *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->end.tv_sec ||
	    (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec);
}

long deadline_end_ms(const struct deadline *d)
{
	return ts_ms(&d->end);
}

struct timespec deadline_abstime(const struct deadline *d)
{
	return d->end;
}
