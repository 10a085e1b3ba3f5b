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
	int level;			/* its fencing level: 1 for a port = line */
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

/* The level 1 ports (port = lines) of one node, or of every node when node
 * is NULL: what a promote claims and a fence tries first. */
void targets_of_node(const struct config *, const char *node, struct target_set *);
/* The ports of one level (LEVELS_ALL: of every level) of one node, or of
 * every node when node is NULL. */
#define LEVELS_ALL 0
void targets_of_level(const struct config *, const char *node, int level, struct target_set *);
void targets_add(struct target_set *, const char *node, const struct sw_config *, const char *port);
void targets_free(struct target_set *);

#endif
