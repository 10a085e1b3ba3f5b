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

static int dump_request(int fd)
{
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req = {
		.h = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_GETNEIGH,
		    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.nd = { .ndm_family = AF_BRIDGE },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	return sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0 ? -1 : 0;
}

int fdb_read(const char *name, fdb_entry_fn fn, void *arg, char *err, size_t errlen)
{
	/* A dump datagram holds at most a page or two; 32 KiB is what iproute2 uses. */
	size_t cap = 32768;
	char *buf = NULL;
	int fd = -1, bridge, nl_errno = 0;
	enum fdb_parse_status st = FDB_MORE;

	if (!(bridge = (int)if_nametoindex(name))) {
		snprintf(err, errlen, "bridge %s: %s", name, strerror(errno));
		return -1;
	}
	buf = xmalloc(cap);
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0 || dump_request(fd) < 0)
		goto fail;
	while (st == FDB_MORE) {
		ssize_t n = recv(fd, buf, cap, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		st = fdb_parse(buf, (size_t)n, bridge, fn, arg, &nl_errno);
	}
	if (st == FDB_ERROR) {
		errno = nl_errno;
		goto fail;
	}
	close(fd);
	free(buf);
	return 0;
fail:
	snprintf(err, errlen, "bridge %s: reading the forwarding table: %s", name,
	    strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	free(buf);
	return -1;
}
