/* Sending: libnet opens the port and tells its MAC; libnet builds the
 * frames (frames.c). Its per-frame writer (libnet_adv_write_link) does an
 * SIOCGIFINDEX ioctl and a sendto for every frame, about 235,000 frames/s
 * on a veth pair here; the frames are instead handed to the kernel in
 * batches with sendmmsg on libnet's own packet socket, 1.4 million
 * frames/s on the same pair (make bench BENCHES=bench_announce measures
 * it). */
#include <errno.h>
#include <libnet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/announce_link.h"

#define BATCH 256

/* libnet's link socket is an unbound ETH_P_ALL socket: it would receive a
 * copy of every frame on the machine. A filter that accepts nothing keeps
 * its receive queue empty; it is only ever written to. */
static int drop_all_input(int fd)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

int link_read_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (rc == 0)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return rc;
}

int link_open(struct announce_link *k, const char *ifname, bool send, char *err, size_t errlen)
{
	char eb[LIBNET_ERRBUF_SIZE] = "";

	memset(k, 0, sizeof *k);
	k->fd = -1;
	snprintf(k->name, sizeof k->name, "%s", ifname);
	if (!(k->ifindex = (int)if_nametoindex(ifname)) || link_read_mac(ifname, k->mac) < 0) {
		snprintf(err, errlen, "%s: %s", ifname, strerror(errno));
		return -1;
	}
	if (!send)
		return 0;
	if (!(k->l = (struct libnet_context *)libnet_init(LIBNET_LINK_ADV, ifname, eb))) {
		snprintf(err, errlen, "%s: %s", ifname, eb[0] ? eb : "libnet_init failed");
		return -1;
	}
	k->fd = libnet_getfd((libnet_t *)k->l);
	if (drop_all_input(k->fd) < 0) {
		snprintf(err, errlen, "%s: socket filter: %s", ifname, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	link_close(k);
	return -1;
}

uint8_t *link_add_frame(struct announce_link *k, size_t len, uint16_t vlan)
{
	if (len > FRAME_MAX_LEN)
		return NULL;
	if (k->nframes == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		k->frames = xrealloc(k->frames, cap, sizeof *k->frames);
		k->lens = xrealloc(k->lens, cap, 1);
		k->frame_vlans = xrealloc(k->frame_vlans, cap, sizeof *k->frame_vlans);
		k->cap = cap;
	}
	k->lens[k->nframes] = (uint8_t)len;
	k->frame_vlans[k->nframes] = vlan;
	return k->frames[k->nframes++];
}

size_t link_send(struct announce_link *k, size_t from, size_t count, char *err, size_t errlen)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = k->ifindex, .sll_halen = 6 };
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	size_t sent = 0;

	while (sent < count) {
		size_t n = count - sent < BATCH ? count - sent : BATCH;
		int r;

		for (size_t i = 0; i < n; i++) {
			iov[i] = (struct iovec){ .iov_base = k->frames[from + sent + i],
			    .iov_len = k->lens[from + sent + i] };
			msg[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &to, .msg_namelen = sizeof to,
			    .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		r = sendmmsg(k->fd, msg, (unsigned)n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: sending: %s", k->name, r < 0 ? strerror(errno) : "nothing sent");
			break;
		}
		sent += (size_t)r;
	}
	return sent;
}

bool link_running(const struct announce_link *k)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", k->name);
	if (ioctl(k->fd, SIOCGIFFLAGS, &ifr) < 0)
		return true;
	return (ifr.ifr_flags & IFF_RUNNING) != 0;
}

void link_close(struct announce_link *k)
{
	if (k->l)
		libnet_destroy((libnet_t *)k->l);
	free(k->frames);
	free(k->lens);
	free(k->frame_vlans);
	memset(k, 0, sizeof *k);
	k->fd = -1;
}
