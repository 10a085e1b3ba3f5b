/* The failover engine: the promotion sequence of docs/architecture.md and the
 * other commands that act on switches. One worker thread per switch, all
 * sharing one deadline; the caller never waits past it. */
#ifndef FENCER_ENGINE_H
#define FENCER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/driver.h"
#include "fencer/target.h"

struct config;
struct run;

/* Exit statuses (fencer(8), EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* fencing not verified, promotion aborted */
	EXIT_USAGE = 2,		/* usage or configuration error */
	EXIT_PARTIAL = 3,	/* the critical part worked, a later step failed */
};

/* Set every target to `want` and read it back (fence: PORT_DOWN, unfence:
 * PORT_UP), one worker per switch. Records fenced.json. Returns the number
 * of targets not verified, or -1 if the state could not be recorded. */
int engine_set_ports(struct run *, struct target_set *, enum port_state want);
/* fence_fencer's off: a node's level 1 ports (t) down, then its higher
 * levels while the level before is not verified (fencer/levels.h), within
 * one deadline. 0 when a level fenced the node. */
int engine_fence_levels(struct run *, const char *node, struct target_set *t);
/* Read every target's admin state. */
void engine_get_ports(struct run *, struct target_set *);

int engine_promote(struct run *);
int engine_demote(struct run *);
int engine_boot(struct run *);
int engine_fence(struct run *, const char *node);
int engine_unfence(struct run *, const char *node, bool all);
int engine_flush(struct run *, const char *sw);
/* What `fencer check` learns about one switch. */
struct switch_check {
	bool asked;			/* this switch was checked */
	bool answered;			/* logged in and answered the probe */
	long latency_ms;		/* connect + probe */
	char info[256];			/* what it said of itself, or why it failed */
	int flush;			/* its flush method: 1 there, -1 not, 0 not checked */
	char flush_info[256];
	int write;			/* the no-op write: 1 held, -1 refused, 0 not tried */
	char write_info[1024];
};
/* Health check, read-only: probe every switch (or only the one named),
 * even one without a port in t, and read every port of t on it. deep
 * (fencer check): also look for its flush method, and for a target with a
 * wiring port, read what the switch learned on it and its LLDP neighbours
 * (its switch's check-wiring permitting). r[i] is about cfg->switches[i]. */
void engine_check_read(struct run *, struct target_set *, const char *only, bool deep,
    struct switch_check *r);
/* check, the write a fence makes with the value a port already has, on one
 * port of the peer per switch that answered and has check-write (an up
 * port first: see engine.c). Hold the run lock meanwhile. */
void engine_check_write(struct run *, const struct target_set *, struct switch_check *r);

#endif
