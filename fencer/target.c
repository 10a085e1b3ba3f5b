#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/target.h"

void targets_add(struct target_set *t, const char *node, const struct sw_config *sw, const char *port)
{
	t->v = xrealloc(t->v, t->n + 1, sizeof *t->v);
	t->v[t->n++] = (struct target){ .node = node, .sw = sw, .port = port, .level = 1 };
}

void targets_of_node(const struct config *cfg, const char *node, struct target_set *t)
{
	targets_of_level(cfg, node, 1, t);
}

void targets_of_level(const struct config *cfg, const char *node, int level, struct target_set *t)
{
	for (size_t i = 0; i < cfg->nnodes; i++) {
		const struct node_config *n = cfg->nodes[i];

		if (node && strcmp(n->name, node) != 0)
			continue;
		for (size_t j = 0; j < n->nports; j++) {
			if (level != LEVELS_ALL && n->ports[j].level != level)
				continue;
			targets_add(t, n->name, n->ports[j].sw, n->ports[j].port);
			t->v[t->n - 1].level = n->ports[j].level;
		}
	}
}

void targets_free(struct target_set *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
