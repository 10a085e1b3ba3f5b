/* What a member port carries (fencer/port_vlan.h): how a host's frames
 * leave it, the VLAN of untagged frames coming in, and the parser of a
 * VLAN-filtering bridge's per-port VLANs on netlink messages built by
 * hand. */
#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "testutil.h"
#include "fencer/port_vlan.h"
#include "fencer/port_vlan_parse.h"

static bool carries(const struct port_vlans *pv, unsigned vlan)
{
	return pv->allowed[vlan / 8] >> (vlan % 8) & 1;
}

static void test_tag(void **state)
{
	struct port_vlans trunk = { .kind = PORT_TRUNK_ALL }, sub = { .kind = PORT_SUBIF, .untagged = 10 };
	struct port_vlans filt = { .kind = PORT_FILTERING, .untagged = 10 };

	(void)state;
	/* a plain bridge's port: every VLAN tagged, the untagged hosts untagged */
	assert_int_equal(port_vlans_tag(&trunk, 20), 20);
	assert_int_equal(port_vlans_tag(&trunk, 0), 0);
	assert_int_equal(port_vlans_ingress(&trunk, 0), 0);
	assert_int_equal(port_vlans_ingress(&trunk, 30), 30);
	/* em0.10: its VLAN untagged (the kernel tags it), no other */
	sub.allowed[10 / 8] |= 1 << (10 % 8);
	assert_int_equal(port_vlans_tag(&sub, 10), 0);
	assert_int_equal(port_vlans_tag(&sub, 20), -1);
	assert_int_equal(port_vlans_ingress(&sub, 0), 10);
	/* a filtering bridge's port: PVID 10 untagged, 20 tagged, 30 not carried */
	filt.allowed[10 / 8] |= 1 << (10 % 8);
	filt.allowed[20 / 8] |= 1 << (20 % 8);
	assert_int_equal(port_vlans_tag(&filt, 10), 0);
	assert_int_equal(port_vlans_tag(&filt, 20), 20);
	assert_int_equal(port_vlans_tag(&filt, 30), -1);
	assert_int_equal(port_vlans_tag(&filt, 0), 0);
	assert_int_equal(port_vlans_ingress(&filt, 0), 10);
	assert_int_equal(port_vlans_ingress(&filt, 20), 20);
}

static _Alignas(4) uint8_t buf[4096];
static size_t used;

static struct rtattr *put_attr(struct nlmsghdr *h, int type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((uint8_t *)h + NLMSG_ALIGN(h->nlmsg_len));

	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

/* One RTM_NEWLINK of port ifindex with its VLANs ({flags, vid} pairs). */
static void put_port(int ifindex, const struct bridge_vlan_info *v, size_t n)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + used);
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtattr *spec;

	memset(h, 0, 512);
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_len = NLMSG_LENGTH(sizeof *ifi);
	*ifi = (struct ifinfomsg){ .ifi_family = AF_BRIDGE, .ifi_index = ifindex };
	put_attr(h, IFLA_MASTER, &(uint32_t){ 7 }, 4);
	spec = put_attr(h, IFLA_AF_SPEC, NULL, 0);
	put_attr(h, IFLA_BRIDGE_FLAGS, &(uint16_t){ 0 }, 2);
	for (size_t i = 0; i < n; i++)
		put_attr(h, IFLA_BRIDGE_VLAN_INFO, &v[i], sizeof v[i]);
	spec->rta_len = (unsigned short)((uint8_t *)h + h->nlmsg_len - (uint8_t *)spec);
	used += NLMSG_ALIGN(h->nlmsg_len);
}

static void put_done(void)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + used);

	*h = (struct nlmsghdr){ .nlmsg_type = NLMSG_DONE, .nlmsg_len = NLMSG_LENGTH(sizeof(int)) };
	used += NLMSG_ALIGN(h->nlmsg_len);
}

static void test_parse(void **state)
{
	static const struct bridge_vlan_info mine[] = {
		{ .flags = 0, .vid = 20 },
		{ .flags = BRIDGE_VLAN_INFO_UNTAGGED, .vid = 5 },
		{ .flags = BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED, .vid = 10 },
		{ .flags = BRIDGE_VLAN_INFO_UNTAGGED, .vid = 11 },	/* after the PVID: not it */
		{ .flags = 0, .vid = 4095 },				/* no VLAN */
	};
	static const struct bridge_vlan_info other[] = { { .flags = 0, .vid = 30 } };
	struct port_vlans pv = { .kind = PORT_FILTERING };
	int err = -1;

	(void)state;
	used = 0;
	put_port(4, other, 1);
	put_port(3, mine, 5);
	assert_int_equal(port_vlan_parse(buf, used, 3, &pv, &err), FDB_MORE);
	assert_int_equal(err, 0);
	assert_true(carries(&pv, 20) && carries(&pv, 10) && carries(&pv, 5) && carries(&pv, 11));
	assert_false(carries(&pv, 30));		/* another port's */
	assert_false(carries(&pv, 4095));
	assert_int_equal(pv.untagged, 10);
	used = 0;
	put_done();
	assert_int_equal(port_vlan_parse(buf, used, 3, &pv, &err), FDB_DONE);
}

static void test_parse_malformed(void **state)
{
	static const struct bridge_vlan_info v[] = { { .flags = 0, .vid = 20 } };
	struct port_vlans pv = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int err = 0;

	(void)state;
	used = 0;
	put_port(3, v, 1);
	/* the nested list claims more than the message holds */
	((struct rtattr *)((uint8_t *)h + NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_LENGTH(4)))->rta_len = 200;
	assert_int_equal(port_vlan_parse(buf, used, 3, &pv, &err), FDB_ERROR);
	assert_int_equal(err, EBADMSG);
	/* a message longer than the datagram */
	used = 0;
	put_port(3, v, 1);
	assert_int_equal(port_vlan_parse(buf, used - 4, 3, &pv, &err), FDB_ERROR);
	assert_int_equal(err, EBADMSG);
	/* the kernel's error */
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr));
	((struct nlmsgerr *)NLMSG_DATA(h))->error = -EOPNOTSUPP;
	assert_int_equal(port_vlan_parse(buf, h->nlmsg_len, 3, &pv, &err), FDB_ERROR);
	assert_int_equal(err, EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
