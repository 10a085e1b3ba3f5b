/* The host MACs to announce, each with its VLAN and the member port it
 * lives behind, from the three sources of [announce]: the shadow table of `fencer learn`
 * (learned = yes), the bridge's forwarding table (bridge =), and static
 * mac = lines. A later source wins for the same MAC in the same VLAN, so a static line
 * corrects what was learned. */
#ifndef FENCER_ANNOUNCE_HOSTS_H
#define FENCER_ANNOUNCE_HOSTS_H

#include <stddef.h>

#include "fencer/mac_table.h"

struct config;
struct run;

/* Fill hosts (a mac_table: port = where the host lives). A source that
 * cannot be read is recorded in the run as a failed "announce" event and
 * the others are still used. Returns the number of sources that failed. */
int hosts_collect(const struct config *, struct run *, struct mac_table *hosts);
/* state-dir/macs.json */
void macs_path(const struct config *, char *buf, size_t len);

#endif
