#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "fencer/fdb_parse.h"

/* Attributes of one neighbour message we care about. */
struct neigh_attrs {
	const uint8_t *lladdr;
	int master;		/* 0: absent */
	uint16_t vlan;		/* 0: absent */
};

static bool parse_attrs(const struct ndmsg *nd, size_t len, struct neigh_attrs *a)
{
	const struct rtattr *rta = (const struct rtattr *)((const char *)nd + NLMSG_ALIGN(sizeof *nd));
	size_t left;

	if (len < NLMSG_ALIGN(sizeof *nd))
		return false;
	left = len - NLMSG_ALIGN(sizeof *nd);
	memset(a, 0, sizeof *a);
	for (; left >= sizeof *rta; ) {
		size_t rlen = rta->rta_len;

		if (rlen < sizeof *rta || rlen > left)
			return false;
		if (rta->rta_type == NDA_LLADDR && RTA_PAYLOAD(rta) == 6)
			a->lladdr = RTA_DATA(rta);
		else if (rta->rta_type == NDA_MASTER && RTA_PAYLOAD(rta) == sizeof(uint32_t))
			memcpy(&a->master, RTA_DATA(rta), sizeof a->master);
		else if (rta->rta_type == NDA_VLAN && RTA_PAYLOAD(rta) == sizeof(uint16_t))
			memcpy(&a->vlan, RTA_DATA(rta), sizeof a->vlan);
		if (RTA_ALIGN(rlen) >= left)
			break;
		left -= RTA_ALIGN(rlen);
		rta = (const struct rtattr *)((const char *)rta + RTA_ALIGN(rlen));
	}
	return true;
}

/* A host MAC: on a port of our bridge (NDA_MASTER), a bridge entry (not a
 * device's own "self" list), not the bridge's own local address
 * (NUD_PERMANENT), and unicast. */
static bool is_host(const struct ndmsg *nd, const struct neigh_attrs *a, int bridge)
{
	if (nd->ndm_family != AF_BRIDGE || !a->lladdr || a->master != bridge)
		return false;
	if (!(nd->ndm_flags & NTF_MASTER) && (nd->ndm_flags & NTF_SELF))
		return false;
	if (nd->ndm_state & NUD_PERMANENT)
		return false;
	return !(a->lladdr[0] & 1);
}

enum fdb_parse_status nl_control(const struct nlmsghdr *h, int *nl_errno, bool *data)
{
	const struct nlmsgerr *err = NLMSG_DATA(h);

	*data = false;
	if (h->nlmsg_type == NLMSG_DONE)
		return FDB_DONE;
	if (h->nlmsg_type != NLMSG_ERROR) {
		*data = true;
		return FDB_MORE;
	}
	/* The kernel sends 0 (an ack) or a negative errno no lower than -4095
	 * (MAX_ERRNO). Anything else is malformed: a positive value would
	 * reach strerror() as a negative errno, and negating INT_MIN is
	 * undefined (fuzz_fdb_parse found the first). */
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *err) || err->error > 0 || err->error < -4095)
		return *nl_errno = EBADMSG, FDB_ERROR;
	*nl_errno = -err->error;
	return err->error ? FDB_ERROR : FDB_MORE;
}

struct fdb_walk {
	int bridge;
	fdb_entry_fn fn;
	void *arg;
};

static enum fdb_parse_status parse_one(const struct nlmsghdr *h, void *ctx, int *nl_errno)
{
	const struct fdb_walk *w = ctx;
	const struct ndmsg *nd = NLMSG_DATA(h);
	struct neigh_attrs a;
	struct fdb_entry e;
	enum fdb_parse_status st;
	bool data = false;

	if ((st = nl_control(h, nl_errno, &data)) != FDB_MORE || !data || h->nlmsg_type != RTM_NEWNEIGH)
		return st;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *nd) ||
	    !parse_attrs(nd, h->nlmsg_len - NLMSG_LENGTH(0), &a))
		return *nl_errno = EBADMSG, FDB_ERROR;
	if (!is_host(nd, &a, w->bridge))
		return FDB_MORE;
	memcpy(e.mac, a.lladdr, 6);
	e.port_ifindex = nd->ndm_ifindex;
	/* VLAN IDs are 12 bits: anything above is not a VLAN. */
	e.vlan = a.vlan <= 4094 ? a.vlan : 0;
	w->fn(&e, w->arg);
	return FDB_MORE;
}

enum fdb_parse_status nl_walk(const void *buf, size_t len, nl_msg_fn fn, void *ctx, int *nl_errno)
{
	const char *p = buf;

	*nl_errno = 0;
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		enum fdb_parse_status st;
		size_t step;

		if (h->nlmsg_len < sizeof *h || h->nlmsg_len > len)
			return *nl_errno = EBADMSG, FDB_ERROR;
		if ((st = fn(h, ctx, nl_errno)) != FDB_MORE)
			return st;
		step = NLMSG_ALIGN(h->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return FDB_MORE;
}

enum fdb_parse_status fdb_parse(const void *buf, size_t len, int bridge,
    fdb_entry_fn fn, void *arg, int *nl_errno)
{
	struct fdb_walk w = { .bridge = bridge, .fn = fn, .arg = arg };

	return nl_walk(buf, len, parse_one, &w, nl_errno);
}
