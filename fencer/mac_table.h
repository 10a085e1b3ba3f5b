/* The shadow MAC table `fencer learn` keeps (state-dir/macs.json): which
 * host MAC was last seen in which VLAN behind which member port, and when.
 * Switches learn per VLAN, so a MAC seen in two VLANs is two hosts (a
 * router's sub-interfaces share one MAC). Pure logic, unit-tested: the
 * capture loop is in learn.c. */
#ifndef FENCER_MAC_TABLE_H
#define FENCER_MAC_TABLE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

/* The VLAN of a host seen without an 802.1Q tag (or with VLAN ID 0, a
 * priority tag) on a port that gives untagged frames no VLAN of its own. */
#define VLAN_UNTAGGED 0
#define VLAN_MAX 4094

struct mac_entry {
	uint8_t mac[6];
	uint16_t vlan;			/* 1-4094, or VLAN_UNTAGGED */
	char port[IF_NAMESIZE];
	long long last_seen_ms;		/* wall clock, ms since the epoch */
	long long frame_us;		/* capture time of its last frame that counted
					 * (mac_table_see_frame; not saved) */
};

struct mac_table {
	struct mac_entry *v;
	size_t n, cap;
	uint32_t *index;		/* open addressing: entry number + 1, 0 = empty */
	size_t nindex;			/* a power of two, at least 2 * cap */
};

/* Record that mac was seen in vlan behind port at now_ms (a host that
 * moved takes the new port). -1 only when out of memory. */
int mac_table_see(struct mac_table *, const uint8_t mac[6], uint16_t vlan, const char *port,
    long long now_ms);
/* `fencer learn`'s sighting: a frame captured at frame_us (µs, the capture
 * clock) behind port. The active node forwards a host's broadcasts to its
 * other side, whose switch floods them to this node's port there too: the
 * same frame is seen behind both ports, the host's own first. A copy behind
 * another port within MAC_ECHO_US after the last one that counted is that
 * echo and changes nothing; a copy captured before it is the original (the
 * captures of several ports are read in port order, not in time order) and
 * takes the port; later than that, the host has moved. 0, or -1 when out
 * of memory. */
#define MAC_ECHO_US 1000000LL
int mac_table_see_frame(struct mac_table *, const uint8_t mac[6], uint16_t vlan, const char *port,
    long long now_ms, long long frame_us);
const struct mac_entry *mac_table_find(const struct mac_table *, const uint8_t mac[6], uint16_t vlan);
/* Forget entries not seen for age_ms; returns how many went. */
size_t mac_table_age(struct mac_table *, long long now_ms, long age_ms);
void mac_table_free(struct mac_table *);

/* macs.json: {"updated": MS, "macs": [{"mac": "..", "vlan": N, "port": "..", "last_seen": MS}, ...]};
 * "vlan" is left out for an untagged host, so that a file of an older
 * fencer (no "vlan") still reads.
 * to_json returns a malloc'd string. from_json replaces the table's
 * content; a malformed file is an error (never half read). */
char *mac_table_to_json(const struct mac_table *, long long now_ms);
int mac_table_from_json(struct mac_table *, const char *text, char *err, size_t errlen);

#endif
