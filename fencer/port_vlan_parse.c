#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "fencer/port_vlan_parse.h"

struct walk {
	struct port_vlans *pv;
	bool pvid_seen;			/* the untagged VLAN is the PVID: keep it */
	bool ok;			/* every nested attribute well formed */
};

/* The rtattrs in [p, p + len): each calls fn; false when one is malformed. */
static bool each_attr(const char *p, size_t len, void (*fn)(const struct rtattr *, struct walk *),
    struct walk *w)
{
	while (len >= sizeof(struct rtattr)) {
		const struct rtattr *rta = (const struct rtattr *)p;
		size_t rlen = rta->rta_len;

		if (rlen < sizeof *rta || rlen > len)
			return false;
		fn(rta, w);
		if (RTA_ALIGN(rlen) >= len)
			break;
		len -= RTA_ALIGN(rlen);
		p += RTA_ALIGN(rlen);
	}
	return true;
}

/* One IFLA_BRIDGE_VLAN_INFO: the VLAN is carried; untagged on egress makes
 * it the port's untagged VLAN, the PVID's first. */
static void vlan_info(const struct rtattr *rta, struct walk *w)
{
	struct bridge_vlan_info vi;

	if (rta->rta_type != IFLA_BRIDGE_VLAN_INFO || RTA_PAYLOAD(rta) != sizeof vi)
		return;
	memcpy(&vi, RTA_DATA(rta), sizeof vi);
	if (vi.vid < 1 || vi.vid >= VLAN_IDS - 1)
		return;
	w->pv->allowed[vi.vid / 8] |= (uint8_t)(1u << (vi.vid % 8));
	if (!(vi.flags & BRIDGE_VLAN_INFO_UNTAGGED) || w->pvid_seen)
		return;
	w->pv->untagged = vi.vid;
	w->pvid_seen = (vi.flags & BRIDGE_VLAN_INFO_PVID) != 0;
}

static void link_attr(const struct rtattr *rta, struct walk *w)
{
	if (rta->rta_type == IFLA_AF_SPEC && !each_attr(RTA_DATA(rta), RTA_PAYLOAD(rta), vlan_info, w))
		w->ok = false;
}

struct link_walk {
	int ifindex;
	struct port_vlans *pv;
};

static enum fdb_parse_status parse_one(const struct nlmsghdr *h, void *ctx, int *nl_errno)
{
	const struct link_walk *l = ctx;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct walk w = { .pv = l->pv, .ok = true };
	size_t hdr = NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifi));
	enum fdb_parse_status st;
	bool data = false;

	if ((st = nl_control(h, nl_errno, &data)) != FDB_MORE || !data || h->nlmsg_type != RTM_NEWLINK)
		return st;
	if (h->nlmsg_len < hdr)
		return *nl_errno = EBADMSG, FDB_ERROR;
	if (ifi->ifi_family != AF_BRIDGE || ifi->ifi_index != l->ifindex)
		return FDB_MORE;
	if (!each_attr((const char *)h + hdr, h->nlmsg_len - hdr, link_attr, &w) || !w.ok)
		return *nl_errno = EBADMSG, FDB_ERROR;
	return FDB_MORE;
}

enum fdb_parse_status port_vlan_parse(const void *buf, size_t len, int ifindex, struct port_vlans *pv,
    int *nl_errno)
{
	struct link_walk l = { .ifindex = ifindex, .pv = pv };

	return nl_walk(buf, len, parse_one, &l, nl_errno);
}
