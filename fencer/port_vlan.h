/* What a member port carries on its wire, so that the announce tags each
 * host's frames as the switch at the other end expects them and `fencer
 * learn` knows the VLAN of a frame that came in untagged (fencer.conf(5),
 * [announce]):
 *
 * - an 802.1Q sub-interface (em0.10, of a bridge per VLAN): only its VLAN,
 *   and untagged, since the kernel puts the tag on;
 * - a port of a VLAN-filtering Linux bridge: the VLANs the bridge lets
 *   through it, untagged the one it sends untagged (its PVID, as a rule);
 * - any other port (a bridge that forwards tagged frames as they are):
 *   every VLAN, tagged; a host seen untagged goes out untagged. */
#ifndef FENCER_PORT_VLAN_H
#define FENCER_PORT_VLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fencer/config.h"

enum port_vlan_kind { PORT_TRUNK_ALL, PORT_SUBIF, PORT_FILTERING };

struct port_vlans {
	enum port_vlan_kind kind;
	uint16_t untagged;		/* the VLAN of untagged frames on the wire, 0: none */
	uint8_t allowed[VLAN_IDS / 8];	/* PORT_SUBIF, PORT_FILTERING: the VLANs it carries */
};

/* The port's VLANs; bridge (NULL: none named) is the bridge it is a member
 * of. 0, or -1 with err set (the port is then taken as PORT_TRUNK_ALL). */
int port_vlans_read(const char *ifname, const char *bridge, struct port_vlans *, char *err, size_t errlen);
/* How the frames of a host in vlan (0: seen untagged) leave the port: -1
 * not at all (the port does not carry the VLAN), 0 untagged, else with
 * that tag. */
int port_vlans_tag(const struct port_vlans *, uint16_t vlan);
/* The VLAN of a frame that came in with tag vlan (0: none). */
uint16_t port_vlans_ingress(const struct port_vlans *, uint16_t vlan);
/* "trunk", "VLAN 10 sub-interface", ... for logs. */
const char *port_vlans_kind(const struct port_vlans *);

#endif
