/* The shadow MAC table `fencer learn` keeps (state-dir/macs.json): which
 * host MAC was last seen behind which member port, and when. Pure logic,
 * unit-tested: the capture loop is in learn.c. */
#ifndef FENCER_MAC_TABLE_H
#define FENCER_MAC_TABLE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

struct mac_entry {
	uint8_t mac[6];
	char port[IF_NAMESIZE];
	long long last_seen_ms;		/* wall clock, ms since the epoch */
};

struct mac_table {
	struct mac_entry *v;
	size_t n, cap;
	uint32_t *index;		/* open addressing: entry number + 1, 0 = empty */
	size_t nindex;			/* a power of two, at least 2 * cap */
};

/* Record that mac was seen behind port at now_ms (a host that moved takes
 * the new port). -1 only when out of memory. */
int mac_table_see(struct mac_table *, const uint8_t mac[6], const char *port, long long now_ms);
const struct mac_entry *mac_table_find(const struct mac_table *, const uint8_t mac[6]);
/* Forget entries not seen for age_ms; returns how many went. */
size_t mac_table_age(struct mac_table *, long long now_ms, long age_ms);
void mac_table_free(struct mac_table *);

/* macs.json: {"updated": MS, "macs": [{"mac": "..", "port": "..", "last_seen": MS}, ...]}.
 * to_json returns a malloc'd string. from_json replaces the table's
 * content; a malformed file is an error (never half read). */
char *mac_table_to_json(const struct mac_table *, long long now_ms);
int mac_table_from_json(struct mac_table *, const char *text, char *err, size_t errlen);

#endif
