/* A VLAN-filtering bridge's VLANs per port, as the kernel reports them over
 * rtnetlink (RTM_NEWLINK messages of an AF_BRIDGE dump asked with
 * RTEXT_FILTER_BRVLAN). Parsing is a pure function of the received bytes,
 * apart from the socket work in port_vlan.c. */
#ifndef FENCER_PORT_VLAN_PARSE_H
#define FENCER_PORT_VLAN_PARSE_H

#include <stddef.h>

#include "fencer/fdb_parse.h"
#include "fencer/port_vlan.h"

/* Parse one datagram of the dump reply into pv, for the port with ifindex
 * (the other ports' messages are skipped): each VLAN the port carries gets
 * its bit in pv->allowed; pv->untagged is the VLAN it sends untagged (the
 * PVID when several are). Status as fdb_parse's. */
enum fdb_parse_status port_vlan_parse(const void *buf, size_t len, int ifindex, struct port_vlans *pv,
    int *nl_errno);

#endif
