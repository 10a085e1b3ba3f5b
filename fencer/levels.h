/* Fencing levels (fencer.conf(5), FENCING LEVELS): which level to try
 * next, which one fenced the node, and how to say so. Level 1 is a node's
 * port = lines (a promote's claim, fencer/race.h); a higher level is a
 * fence-only path to the same node, tried only when the level before it
 * could not be verified, within what is left of the one deadline. A level
 * counts only when every port of it was verified down. No I/O, no clock:
 * the engine runs the levels, the unit tests this. */
#ifndef FENCER_LEVELS_H
#define FENCER_LEVELS_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/config.h"

struct level_result {
	bool tried;		/* its ports were written */
	bool no_time;		/* not tried: nothing left of the deadline */
	size_t n;		/* its ports */
	size_t bad;		/* of them, not verified down */
};

struct levels {
	int n;			/* the node's highest level */
	int at;			/* the level last done (0: none yet) */
	int fenced_by;		/* the level that fenced the node; 0: none (yet) */
	struct level_result v[LEVEL_MAX + 1];	/* v[1] is level 1 */
};

void levels_init(struct levels *, int nlevels);
/* Level `level` was tried: n ports, bad of them not verified down. A level
 * fences the node only when it has ports and every one was verified. */
void levels_done(struct levels *, int level, size_t n, size_t bad);
/* It could not be tried: no time was left of the deadline. */
void levels_no_time(struct levels *, int level);
/* The level to try next: the one after the last one done, while none
 * fenced the node; 0 when there is none. */
int levels_next(const struct levels *);
/* "fw2 fenced at level 2 (1 port)", "fw2 fenced (2 ports)" (one level,
 * as before levels), or "fw2 not fenced at any of 3 levels: level 1: 1 of
 * 2 ports not verified down; level 2: ..." (the levels as tried). */
void levels_describe(const struct levels *, const char *node, char *buf, size_t len);

#endif
