#include <errno.h>
#include <linux/if_vlan.h>
#include <linux/sockios.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fencer/fdb.h"
#include "fencer/port_vlan.h"
#include "fencer/port_vlan_parse.h"

static void allow(struct port_vlans *pv, uint16_t vlan)
{
	pv->allowed[vlan / 8] |= (uint8_t)(1u << (vlan % 8));
}

static bool allowed(const struct port_vlans *pv, uint16_t vlan)
{
	return vlan < VLAN_IDS && (pv->allowed[vlan / 8] >> (vlan % 8) & 1);
}

/* The VLAN ID of an 802.1Q sub-interface (8021q's ioctl), 0 for any other
 * interface or a kernel without 8021q. */
static uint16_t subif_vlan(const char *ifname)
{
	struct vlan_ioctl_args req = { .cmd = GET_VLAN_VID_CMD };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	snprintf(req.device1, sizeof req.device1, "%s", ifname);
	rc = ioctl(fd, SIOCGIFVLAN, &req);
	close(fd);
	return rc == 0 && req.u.VID > 0 && req.u.VID < VLAN_IDS - 1 ? (uint16_t)req.u.VID : 0;
}

/* Whether the bridge filters by VLAN: without it, it forwards tagged frames
 * as they are, whatever VLANs its ports list. */
static bool bridge_filters(const char *bridge)
{
	char path[128], c = '0';
	FILE *f;

	snprintf(path, sizeof path, "/sys/class/net/%s/bridge/vlan_filtering", bridge);
	if (!(f = fopen(path, "re")))
		return false;
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}

struct link_dump {
	int ifindex;
	struct port_vlans *pv;
};

static enum fdb_parse_status link_datagram(const void *buf, size_t len, void *ctx, int *nl_errno)
{
	const struct link_dump *d = ctx;

	return port_vlan_parse(buf, len, d->ifindex, d->pv, nl_errno);
}

/* The port's VLANs on a VLAN-filtering bridge, over rtnetlink. */
static int read_filtering(const char *ifname, struct port_vlans *pv, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		struct rtattr mask_attr;
		uint32_t mask;
	} req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETLINK,
		    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.ifi = { .ifi_family = AF_BRIDGE },
		.mask_attr = { .rta_len = RTA_LENGTH(sizeof(uint32_t)), .rta_type = IFLA_EXT_MASK },
		.mask = RTEXT_FILTER_BRVLAN,
	};
	struct link_dump d = { .ifindex = (int)if_nametoindex(ifname), .pv = pv };

	if (!d.ifindex || nl_dump(&req, sizeof req, link_datagram, &d) < 0) {
		snprintf(err, errlen, "%s: reading its bridge VLANs: %s", ifname, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int port_vlans_read(const char *ifname, const char *bridge, struct port_vlans *pv, char *err, size_t errlen)
{
	uint16_t vid = subif_vlan(ifname);

	memset(pv, 0, sizeof *pv);
	if (vid) {
		pv->kind = PORT_SUBIF;
		pv->untagged = vid;
		allow(pv, vid);
		return 0;
	}
	if (bridge && bridge_filters(bridge)) {
		pv->kind = PORT_FILTERING;
		if (read_filtering(ifname, pv, err, errlen) < 0) {
			memset(pv, 0, sizeof *pv);
			return -1;
		}
	}
	return 0;
}

int port_vlans_tag(const struct port_vlans *pv, uint16_t vlan)
{
	if (vlan == 0 || vlan == pv->untagged)
		return 0;
	if (pv->kind == PORT_TRUNK_ALL || allowed(pv, vlan))
		return vlan;
	return -1;
}

uint16_t port_vlans_ingress(const struct port_vlans *pv, uint16_t vlan)
{
	return vlan ? vlan : pv->untagged;
}

const char *port_vlans_kind(const struct port_vlans *pv)
{
	switch (pv->kind) {
	case PORT_SUBIF: return "802.1Q sub-interface";
	case PORT_FILTERING: return "port of a VLAN-filtering bridge";
	default: return "trunk (every VLAN tagged)";
	}
}
