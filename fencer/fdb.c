#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/fdb.h"

int nl_dump(const void *req, size_t reqlen, nl_datagram_fn parse, void *ctx)
{
	/* A dump datagram holds at most a page or two; 32 KiB is what iproute2 uses. */
	size_t cap = 32768;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	enum fdb_parse_status st = FDB_MORE;
	int fd, nl_errno = 0, saved;
	char *buf;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
		return -1;
	buf = xmalloc(cap);
	if (sendto(fd, req, reqlen, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
		goto fail;
	while (st == FDB_MORE) {
		ssize_t n = recv(fd, buf, cap, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n ? errno : EIO;
			goto fail;
		}
		st = parse(buf, (size_t)n, ctx, &nl_errno);
	}
	if (st == FDB_ERROR) {
		errno = nl_errno ? nl_errno : EIO;
		goto fail;
	}
	close(fd);
	free(buf);
	return 0;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return -1;
}

struct fdb_dump {
	int bridge;
	fdb_entry_fn fn;
	void *arg;
};

static enum fdb_parse_status fdb_datagram(const void *buf, size_t len, void *ctx, int *nl_errno)
{
	const struct fdb_dump *d = ctx;

	return fdb_parse(buf, len, d->bridge, d->fn, d->arg, nl_errno);
}

int fdb_read(const char *name, fdb_entry_fn fn, void *arg, char *err, size_t errlen)
{
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETNEIGH,
		    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.nd = { .ndm_family = AF_BRIDGE },
	};
	struct fdb_dump d = { .fn = fn, .arg = arg };

	if (!(d.bridge = (int)if_nametoindex(name))) {
		snprintf(err, errlen, "bridge %s: %s", name, strerror(errno));
		return -1;
	}
	if (nl_dump(&req, sizeof req, fdb_datagram, &d) < 0) {
		snprintf(err, errlen, "bridge %s: reading the forwarding table: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}
