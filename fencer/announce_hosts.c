#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/announce_hosts.h"
#include "fencer/config.h"
#include "fencer/fdb.h"
#include "fencer/journal.h"
#include "fencer/state.h"

void macs_path(const struct config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%s/macs.json", cfg->state_dir);
}

static char *read_file(const char *path)
{
	FILE *f = state_fopen(path);
	char *s = NULL;
	size_t len = 0;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		s = xmalloc((size_t)size + 1);
		len = fread(s, 1, (size_t)size, f);
	}
	if (s)
		s[len] = '\0';
	fclose(f);
	return s;
}

static int add_learned(const struct config *cfg, struct run *run, struct mac_table *hosts)
{
	struct mac_table learned = { 0 };
	char path[4096], err[512], msg[4600];
	char *text;
	int rc = 0;

	macs_path(cfg, path, sizeof path);
	if (!(text = read_file(path))) {
		snprintf(msg, sizeof msg, "learned = yes, but %s: %s (is `fencer learn` running?)", path, strerror(errno));
		run_note(run, "announce", OUT_SKIPPED, msg);
		return 0;
	}
	if (mac_table_from_json(&learned, text, err, sizeof err) < 0) {
		snprintf(msg, sizeof msg, "%s: %s", path, err);
		run_note(run, "announce", OUT_FAILED, msg);
		rc = 1;
	}
	for (size_t i = 0; i < learned.n; i++)
		if (mac_table_see(hosts, learned.v[i].mac, learned.v[i].vlan, learned.v[i].port, 0) < 0)
			rc = 1;
	mac_table_free(&learned);
	free(text);
	return rc;
}

static void add_fdb_entry(const struct fdb_entry *e, void *arg)
{
	char port[IF_NAMESIZE] = "";

	/* A port that went away since the dump: the host is still announced,
	 * out of every member port. */
	if (!if_indextoname((unsigned)e->port_ifindex, port))
		port[0] = '\0';
	mac_table_see(arg, e->mac, e->vlan, port, 0);
}

int hosts_collect(const struct config *cfg, struct run *run, struct mac_table *hosts)
{
	const struct announce_config *a = &cfg->announce;
	char err[512];
	int failed = 0;

	if (a->learned)
		failed += add_learned(cfg, run, hosts);
	if (a->bridge && fdb_read(a->bridge, add_fdb_entry, hosts, err, sizeof err) < 0) {
		run_note(run, "announce", OUT_FAILED, err);
		failed++;
	}
	for (size_t i = 0; i < a->nmacs; i++)
		if (mac_table_see(hosts, a->macs[i].mac, a->macs[i].vlan, a->macs[i].ifname, 0) < 0)
			failed++;
	return failed;
}
