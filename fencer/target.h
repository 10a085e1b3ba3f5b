/* The ports a command acts on, and what became of each: what the engine
 * (fencer/engine.h) hands the worker pool (fencer/pool.h) and gets back. */
#ifndef FENCER_TARGET_H
#define FENCER_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/driver.h"

struct config;
struct wiring_port;

/* One port to act on, and what became of it. */
struct target {
	const char *node;
	const struct sw_config *sw;
	const char *port;
	enum port_state want;		/* what to set it to */
	enum port_state state;		/* read back */
	bool ok;			/* the operation and its verification held */
	bool sent;			/* the command that changes it may have left */
	char error[512];
	struct wiring_port *wiring;	/* check: read its MAC table and LLDP into it */
};

struct target_set {
	struct target *v;
	size_t n;
};

/* The ports of one node (all of them), or of every node when node is NULL. */
void targets_of_node(const struct config *, const char *node, struct target_set *);
void targets_add(struct target_set *, const char *node, const struct sw_config *, const char *port);
void targets_free(struct target_set *);

#endif
