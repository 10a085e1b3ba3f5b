/* libFuzzer target: the parser of a VLAN-filtering bridge's per-port VLANs
 * on whatever arrives on the rtnetlink socket, one datagram per input.
 * Besides crashes, leaks and UB it checks the contract of
 * port_vlan_parse.h: an error carries a positive errno, the untagged VLAN
 * is one the port carries, and no reserved VLAN ID is ever carried. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/port_vlan_parse.h"

/* The seeds describe this ifindex. */
#define PORT 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct port_vlans pv;
	int nl_errno = -1;
	enum fdb_parse_status st;

	memset(&pv, 0, sizeof pv);
	pv.kind = PORT_FILTERING;
	st = port_vlan_parse(data, size, PORT, &pv, &nl_errno);
	if (st == FDB_ERROR ? nl_errno <= 0 : nl_errno != 0)
		abort();
	if ((pv.allowed[0] & 1) || (pv.allowed[4095 / 8] >> (4095 % 8) & 1))
		abort();	/* VLAN IDs 0 and 4095 are no VLANs */
	if (pv.untagged && !(pv.allowed[pv.untagged / 8] >> (pv.untagged % 8) & 1))
		abort();
	return 0;
}
