/*
 * vlansw: a small VLAN-aware learning switch in userspace, for the lab's
 * trunks (this kernel has neither 802.1Q sub-interfaces nor VLAN filtering
 * on bridges).
 *
 *   vlansw [-a AGE_S] PORT=MODE ...
 *
 * Run in the switch's namespace (ip netns exec); each PORT is a link there,
 * usually a veth end.  MODE is
 *   aN    an access port of VLAN N: untagged frames in and out, tagged
 *         frames coming in are dropped;
 *   t     a trunk: every VLAN, tagged; untagged frames coming in are dropped;
 *   tN    a trunk whose native VLAN is N: that VLAN untagged, the rest tagged.
 *
 * One MAC table per VLAN (a host is known by VLAN and MAC), entries forgotten
 * AGE_S seconds (default 300) after their last frame; a frame to a known
 * host goes out of its port, the rest (broadcast, multicast, unknown) is
 * flooded to every other port of its VLAN, in the order the ports are
 * given (a hardware switch sends the copies at once).  Ports are AF_PACKET sockets; the
 * kernel takes the 802.1Q tag off a frame on receive on some paths and
 * reports it in PACKET_AUXDATA (tp_vlan_tci, TP_STATUS_VLAN_VALID), on
 * others the tag is still in the bytes: both are read, and the tag is put
 * back in the bytes on the way out of a trunk.
 *
 * Output (line-buffered): `ready` once every port is open; `learn VLAN MAC
 * PORT` each time a host is learned or moves; nothing else unless a send
 * fails.  SIGHUP empties the MAC table (`flushed`), as a switch's `clear
 * mac address-table dynamic` does.  SIGINT or SIGTERM: exit 0.  Needs root.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#define MAX_PORTS 16
#define MAX_HOSTS 4096
#define FRAME_MAX 2048

struct port {
	char name[IF_NAMESIZE];
	int fd, ifindex;
	bool trunk;
	uint16_t vlan;		/* access: its VLAN; trunk: the native VLAN, 0 none */
};

struct host {
	uint8_t mac[6];
	uint16_t vlan;		/* 0: a free slot */
	int port;
	double seen;
};

static struct port ports[MAX_PORTS];
static int nports;
static struct host hosts[MAX_HOSTS];
static double age_s = 300;
static volatile sig_atomic_t stop, flush;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		flush = 1;
	else
		stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: vlansw [-a AGE_S] PORT=aN|t|tN ...\n");
	exit(2);
}

static bool parse_vlan(const char *s, uint16_t *vlan)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || *end || n < 1 || n > 4094)
		return false;
	*vlan = (uint16_t)n;
	return true;
}

static void port_open(struct port *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	int one = 1;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof p->name)
		usage();
	memcpy(p->name, arg, (size_t)(eq - arg));
	p->trunk = eq[1] == 't';
	if (eq[1] != 'a' && eq[1] != 't')
		usage();
	if ((!p->trunk || eq[2]) && !parse_vlan(eq + 2, &p->vlan))
		usage();
	if (!(p->ifindex = (int)if_nametoindex(p->name))) {
		fprintf(stderr, "vlansw: %s: %s\n", p->name, strerror(errno));
		exit(1);
	}
	sll.sll_ifindex = mr.mr_ifindex = p->ifindex;
	if ((p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL))) < 0 ||
	    bind(p->fd, (struct sockaddr *)&sll, sizeof sll) < 0 ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0 ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
		fprintf(stderr, "vlansw: %s: %s\n", p->name, strerror(errno));
		exit(1);
	}
	/* Our own sends are not input (older kernels: sll_pkttype below). */
	setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
}

/* ---- the MAC table ----------------------------------------------------- */

static struct host *host_find(const uint8_t mac[6], uint16_t vlan, double now)
{
	for (int i = 0; i < MAX_HOSTS; i++)
		if (hosts[i].vlan == vlan && memcmp(hosts[i].mac, mac, 6) == 0 && now - hosts[i].seen <= age_s)
			return &hosts[i];
	return NULL;
}

static void learn(const uint8_t mac[6], uint16_t vlan, int port, double now)
{
	struct host *h = host_find(mac, vlan, now);

	if (mac[0] & 1)
		return;
	if (!h) {
		/* A free slot, or one aged out; a full table learns no more. */
		for (int i = 0; i < MAX_HOSTS && !h; i++)
			if (!hosts[i].vlan || now - hosts[i].seen > age_s)
				h = &hosts[i];
		if (!h)
			return;
		*h = (struct host){ .vlan = vlan, .port = -1 };
		memcpy(h->mac, mac, 6);
	}
	h->seen = now;
	if (h->port != port) {
		h->port = port;
		printf("learn %u %02x:%02x:%02x:%02x:%02x:%02x %s\n", vlan, mac[0], mac[1], mac[2], mac[3],
		    mac[4], mac[5], ports[port].name);
	}
}

/* ---- forwarding -------------------------------------------------------- */

/* The frame (untagged bytes, len) of vlan out of port p: untagged where p
 * sends the VLAN untagged, else with the tag put back after the source MAC. */
static void send_out(const struct port *p, const uint8_t *f, size_t len, uint16_t vlan)
{
	uint8_t out[FRAME_MAX + 4];
	ssize_t n;

	if (!p->trunk || p->vlan == vlan) {
		n = send(p->fd, f, len, 0);
	} else {
		memcpy(out, f, 12);
		out[12] = 0x81, out[13] = 0x00, out[14] = (uint8_t)(vlan >> 8), out[15] = (uint8_t)vlan;
		memcpy(out + 16, f + 12, len - 12);
		len += 4;
		n = send(p->fd, out, len, 0);
	}
	if (n < 0)
		printf("send %s: %s\n", p->name, strerror(errno));
}

static bool carries(const struct port *p, uint16_t vlan)
{
	return p->trunk || p->vlan == vlan;
}

static void forward(int in, const uint8_t *f, size_t len, uint16_t vlan)
{
	double now = now_s();
	const struct host *to;

	learn(f + 6, vlan, in, now);
	if (!(f[0] & 1) && (to = host_find(f, vlan, now))) {
		if (to->port != in)
			send_out(&ports[to->port], f, len, vlan);
		return;
	}
	for (int i = 0; i < nports; i++)
		if (i != in && carries(&ports[i], vlan))
			send_out(&ports[i], f, len, vlan);
}

/* Read one frame of port `in`; its VLAN from the auxdata (the kernel took
 * the tag off), from the bytes (it did not), or from the port (untagged). */
static void receive(int in)
{
	const struct port *p = &ports[in];
	uint8_t f[FRAME_MAX];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = f, .iov_len = sizeof f };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	ssize_t n = recvmsg(p->fd, &msg, MSG_DONTWAIT);
	size_t len;
	int vlan = -1;

	if (n < 14 || from.sll_pkttype == PACKET_OUTGOING || (msg.msg_flags & MSG_TRUNC))
		return;
	len = (size_t)n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof aux);
		if ((aux.tp_status & TP_STATUS_VLAN_VALID) || aux.tp_vlan_tci)
			vlan = aux.tp_vlan_tci & 0x0fff;
	}
	if (vlan < 0 && len >= 18 && f[12] == 0x81 && f[13] == 0x00) {
		vlan = (f[14] & 0x0f) << 8 | f[15];
		memmove(f + 12, f + 16, len - 16);
		len -= 4;
	}
	if (vlan <= 0) {		/* untagged, or a priority tag */
		if (!p->vlan)
			return;		/* a trunk without a native VLAN */
		vlan = p->vlan;
	} else if (!p->trunk || vlan == 4095) {
		return;			/* tagged into an access port */
	}
	forward(in, f, len, (uint16_t)vlan);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_PORTS];
	struct sigaction sa = { .sa_handler = on_signal };
	int opt;

	while ((opt = getopt(argc, argv, "a:")) != -1) {
		if (opt != 'a' || (age_s = atof(optarg)) <= 0)
			usage();
	}
	if (optind >= argc || argc - optind > MAX_PORTS)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (int i = optind; i < argc; i++) {
		port_open(&ports[nports], argv[i]);
		pfd[nports] = (struct pollfd){ .fd = ports[nports].fd, .events = POLLIN };
		nports++;
	}
	printf("ready\n");
	while (!stop) {
		if (flush) {
			flush = 0;
			memset(hosts, 0, sizeof hosts);
			printf("flushed\n");
		}
		if (poll(pfd, (nfds_t)nports, 1000) < 0) {
			if (errno == EINTR)
				continue;
			perror("vlansw: poll");
			return 1;
		}
		for (int i = 0; i < nports; i++)
			if (pfd[i].revents & POLLIN)
				receive(i);
	}
	return 0;
}
