/*
 * What this node knows of the pair for the wiring check (fencer/wiring.h):
 * its own MACs, read from the kernel, and the configured ones of every
 * node; whether it forwards.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/config.h"
#include "fencer/wiring.h"

static bool sys_read(const char *dev, const char *what, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	bool ok;

	if (!name_valid(dev))
		return false;
	snprintf(path, sizeof path, "/sys/class/net/%s/%s", dev, what);
	if (!(f = fopen(path, "r")))
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static void add_dev_mac(struct mac_list *l, const char *dev)
{
	char buf[64];
	uint8_t mac[6];

	if (sys_read(dev, "address", buf, sizeof buf) && mac_parse_any(buf, strlen(buf), mac) && !(mac[0] & 1))
		mac_list_add(l, mac);
}

/* The bridge's own MAC and its member ports'. */
static void add_bridge_macs(struct mac_list *l, const char *br)
{
	char path[256];
	struct dirent *d;
	DIR *dir;

	add_dev_mac(l, br);
	snprintf(path, sizeof path, "/sys/class/net/%s/brif", br);
	if (!name_valid(br) || !(dir = opendir(path)))
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			add_dev_mac(l, d->d_name);
	closedir(dir);
}

/* Up (IFF_UP) means forwarding: `activate` brings it up, `deactivate`
 * takes it down. */
static bool bridge_up(const char *br, bool *up)
{
	char buf[32];

	if (!sys_read(br, "flags", buf, sizeof buf))
		return false;
	*up = strtoul(buf, NULL, 16) & 1;
	return true;
}

void wiring_nodes(const struct config *cfg, struct wiring_node *nodes)
{
	const struct announce_config *a = &cfg->announce;
	bool up = false, known = a->present && a->bridge && bridge_up(a->bridge, &up);

	for (size_t i = 0; i < cfg->nnodes; i++) {
		const struct node_config *n = cfg->nodes[i];
		struct wiring_node *w = &nodes[i];
		bool me = strcmp(n->name, cfg->node) == 0;

		*w = (struct wiring_node){ .name = n->name };
		for (size_t k = 0; k < n->macs.n; k++)
			mac_list_add(&w->macs, n->macs.v[k]);
		if (me && a->present) {
			for (size_t k = 0; k < a->interfaces.n; k++)
				add_dev_mac(&w->macs, a->interfaces.v[k]);
			if (a->bridge)
				add_bridge_macs(&w->macs, a->bridge);
		}
		if (me && known)
			w->forwards_known = true, w->forwards = up;
		else if (!me && known && up && cfg->peer && strcmp(n->name, cfg->peer) == 0)
			w->forwards_known = true, w->forwards = false;
	}
}

void wiring_nodes_free(struct wiring_node *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mac_list_free(&nodes[i].macs);
}
