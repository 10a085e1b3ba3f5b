/*
 * probe: measure the data-plane blackout the way a user feels it.
 *
 *   probe [-i MS] [-t SECONDS] ADDR
 *
 * Sends an ICMP echo request to ADDR every MS milliseconds (default 10) until
 * SIGINT/SIGTERM or SECONDS have passed, waits 300 ms for late replies, then
 * prints one summary line and, last, `max_gap_ms N`: the longest time between
 * the sending of two consecutive answered probes.  Without losses that is the
 * interval; a failover shows up as one long gap.  If the last probes were
 * never answered the gap runs to the end of the run and the summary says
 * `unrecovered`.  The first reply is announced at once (`probe: first answer
 * to probe N`): a test waits for it before it makes the failure, so that the
 * gap starts at the failure.  Needs root (raw socket).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROBES (1 << 20)

static volatile sig_atomic_t stop;
static int64_t *sent_at;		/* ms since start, per sequence number */
static unsigned char *answered;
static int any_answer;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint16_t checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void send_probe(int fd, const struct sockaddr_in *to, uint16_t id, uint32_t seq)
{
	unsigned char pkt[sizeof(struct icmphdr) + 8] = { 0 };
	struct icmphdr *h = (struct icmphdr *)pkt;
	uint32_t nseq = htonl(seq);

	h->type = ICMP_ECHO;
	h->un.echo.id = htons(id);
	h->un.echo.sequence = htons((uint16_t)seq);
	memcpy(pkt + sizeof *h, &nseq, sizeof nseq);
	h->checksum = checksum(pkt, sizeof pkt);
	if (sendto(fd, pkt, sizeof pkt, 0, (const struct sockaddr *)to, sizeof *to) < 0 &&
	    errno != ENETUNREACH && errno != EHOSTUNREACH && errno != ENOBUFS)
		perror("probe: sendto");
}

static void receive(int fd, uint16_t id, uint32_t nsent)
{
	unsigned char buf[1500];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		const struct iphdr *ip = (const struct iphdr *)buf;
		const struct icmphdr *h;
		size_t hl;
		uint32_t seq;

		if (n < 0)
			return;
		hl = (size_t)ip->ihl * 4;
		if ((size_t)n < hl + sizeof *h + 4)
			continue;
		h = (const struct icmphdr *)(buf + hl);
		if (h->type != ICMP_ECHOREPLY || ntohs(h->un.echo.id) != id)
			continue;
		memcpy(&seq, buf + hl + sizeof *h, sizeof seq);
		seq = ntohl(seq);
		if (seq >= nsent)
			continue;
		if (!any_answer)
			printf("probe: first answer to probe %u\n", seq);
		any_answer = 1;
		answered[seq] = 1;
	}
}

static void report(uint32_t nsent, int64_t end, int64_t start_wall, int interval)
{
	uint32_t nans = 0;
	int64_t gap = 0, from = 0, to = 0, last = -1;
	int unrecovered = 0;

	for (uint32_t s = 0; s < nsent; s++) {
		if (!answered[s])
			continue;
		nans++;
		if (last >= 0 && sent_at[s] - last > gap) {
			gap = sent_at[s] - last;
			from = last;
			to = sent_at[s];
		}
		last = sent_at[s];
	}
	if (nsent > 0 && (last < 0 || !answered[nsent - 1])) {
		int64_t begin = last < 0 ? 0 : last;
		if (end - begin > gap) {
			gap = end - begin;
			from = begin;
			to = end;
			unrecovered = 1;
		}
	}
	printf("probe: sent %u answered %u lost %u interval %d ms; longest gap %lld ms "
	       "from +%lld to +%lld ms (wall %lld..%lld)%s\n",
	       nsent, nans, nsent - nans, interval, (long long)gap, (long long)from,
	       (long long)to, (long long)(start_wall + from), (long long)(start_wall + to),
	       unrecovered ? " unrecovered" : "");
	printf("max_gap_ms %lld\n", (long long)gap);
}

int main(int argc, char **argv)
{
	int interval = 10, opt, fd;
	double seconds = 0;
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint16_t id = (uint16_t)getpid();
	uint32_t nsent = 0;
	int64_t start, start_wall, next;

	while ((opt = getopt(argc, argv, "i:t:")) != -1) {
		if (opt == 'i')
			interval = atoi(optarg);
		else if (opt == 't')
			seconds = atof(optarg);
		else
			goto usage;
	}
	if (optind != argc - 1 || interval <= 0 || inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1)
		goto usage;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0) {
		perror("probe: raw socket (root needed)");
		return 1;
	}
	sent_at = calloc(MAX_PROBES, sizeof *sent_at);
	answered = calloc(MAX_PROBES, 1);
	if (!sent_at || !answered)
		return 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = now_ms();
	start_wall = wall_ms();
	next = start;
	while (!stop && nsent < MAX_PROBES && (seconds <= 0 || now_ms() - start < seconds * 1000)) {
		int64_t t = now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (t >= next) {
			sent_at[nsent] = t - start;
			send_probe(fd, &to, id, nsent);
			nsent++;
			next += interval;
			continue;
		}
		if (poll(&p, 1, (int)(next - t)) > 0)
			receive(fd, id, nsent);
	}
	int64_t end = now_ms() - start;
	for (int64_t until = now_ms() + 300; now_ms() < until;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 20) > 0)
			receive(fd, id, nsent);
	}
	report(nsent, end, start_wall, interval);
	return 0;
usage:
	fprintf(stderr, "usage: probe [-i MS] [-t SECONDS] IPV4ADDR\n");
	return 2;
}
