/*
 * loopwatch: watch a firewall pair for a layer-2 loop, as often as it can.
 *
 *   loopwatch [-i US] BR1 BR2 A1 A2 B1 B2
 *
 * Each argument is NETNS:DEV, a namespace of `ip netns` (or a path to a
 * namespace file) and a link in it: BR1 and BR2 the bridges of node 1 and
 * node 2, A1 and A2 their ports on switch A, B1 and B2 on switch B.  Every US
 * microseconds (default 100) it reads the administrative state (IFF_UP) of
 * all six with SIOCGIFFLAGS, on a socket opened once in each namespace: a
 * sample takes microseconds where one `ip -n` takes milliseconds, so a loop
 * that lasts a few milliseconds is seen.
 *
 * A loop is both bridges up with every port up: both nodes forward between
 * both switches.  A sample that shows one is read again at once (the
 * bridges first, as in every sample: a node's bridge goes up only after
 * its peer's ports are written); when the second read shows it too the
 * loop is real, and loopwatch takes both bridges down at once (a loop of
 * Linux bridges without STP is a broadcast storm that takes the machine
 * with it) and counts it.  A sample where any read fails is a failed
 * sample, never a clean one.
 *
 * Output (line-buffered): `ready` after the first sample; one line per
 * change of state, `WALL_S.MS STATE`, STATE six characters in argument
 * order, 1 up, 0 down, ? unread; `WALL_S.MS LOOP broken: ...` for each
 * loop; at SIGINT or SIGTERM a last line
 * `samples N failed F both-bridges-up S loops L`, exit 0.  Needs root.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BR1, BR2, A1, A2, B1, B2, NLINKS };

struct link {
	const char *arg;
	char dev[IF_NAMESIZE];
	int fd;			/* a socket in the link's namespace */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: loopwatch [-i US] BR1 BR2 A1 A2 B1 B2 (each NETNS:DEV)\n");
	exit(2);
}

/* A socket made in namespace NS answers ioctls about NS's links, whatever
 * namespace the process is in afterwards. */
static int socket_in(const char *ns, int home)
{
	char path[512];
	int nsfd, fd;

	snprintf(path, sizeof path, "%s%s", strchr(ns, '/') ? "" : "/run/netns/", ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		fprintf(stderr, "loopwatch: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "loopwatch: setns %s: %s\n", path, strerror(errno));
		close(nsfd);
		return -1;
	}
	close(nsfd);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fprintf(stderr, "loopwatch: socket in %s: %s\n", ns, strerror(errno));
	if (setns(home, CLONE_NEWNET) < 0) {
		fprintf(stderr, "loopwatch: setns back: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

static int link_open(struct link *l, const char *arg, int home)
{
	const char *colon = strrchr(arg, ':');
	char ns[256];

	if (!colon || colon == arg || !colon[1] || strlen(colon + 1) >= IF_NAMESIZE ||
	    (size_t)(colon - arg) >= sizeof ns)
		return -1;
	l->arg = arg;
	snprintf(l->dev, sizeof l->dev, "%s", colon + 1);
	snprintf(ns, sizeof ns, "%.*s", (int)(colon - arg), arg);
	l->fd = socket_in(ns, home);
	return l->fd < 0 ? -1 : 0;
}

/* 1 up, 0 down, -1 unread. */
static int link_up(const struct link *l)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, l->dev, strlen(l->dev));
	if (ioctl(l->fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	return (ifr.ifr_flags & IFF_UP) != 0;
}

static int link_down(const struct link *l)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, l->dev, strlen(l->dev));
	if (ioctl(l->fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags &= ~IFF_UP;
	return ioctl(l->fd, SIOCSIFFLAGS, &ifr);
}

/* Bridges first: see the comment at the top. Returns how many reads failed. */
static int sample(const struct link *links, int *st)
{
	int failed = 0;

	for (int i = 0; i < NLINKS; i++) {
		st[i] = link_up(&links[i]);
		failed += st[i] < 0;
	}
	return failed;
}

static int all_up(const int *st)
{
	for (int i = 0; i < NLINKS; i++)
		if (st[i] != 1)
			return 0;
	return 1;
}

static void state_text(const int *st, char *out)
{
	for (int i = 0; i < NLINKS; i++)
		out[i] = st[i] < 0 ? '?' : st[i] ? '1' : '0';
	out[NLINKS] = '\0';
}

static void stamp(char *buf, size_t len)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, len, "%lld.%03ld", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
}

static void break_loop(const struct link *links)
{
	char t[32];
	int r1 = link_down(&links[BR1]), r2 = link_down(&links[BR2]);

	stamp(t, sizeof t);
	printf("%s LOOP broken: %s and %s taken down%s\n", t, links[BR1].arg, links[BR2].arg,
	    r1 < 0 || r2 < 0 ? " (one of them failed)" : "");
}

int main(int argc, char **argv)
{
	struct link links[NLINKS];
	struct timespec gap = { 0, 100 * 1000 };
	unsigned long long samples = 0, failed = 0, both = 0, loops = 0;
	int st[NLINKS], last[NLINKS], home, opt;
	char text[NLINKS + 1], t[32];
	struct sigaction sa;

	while ((opt = getopt(argc, argv, "i:")) != -1) {
		if (opt != 'i' || atol(optarg) < 0 || atol(optarg) > 999999)
			usage();
		gap.tv_nsec = atol(optarg) * 1000;
	}
	if (argc - optind != NLINKS)
		usage();
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		perror("loopwatch: /proc/self/ns/net");
		return 1;
	}
	for (int i = 0; i < NLINKS; i++)
		if (link_open(&links[i], argv[optind + i], home) < 0) {
			fprintf(stderr, "loopwatch: cannot watch %s\n", argv[optind + i]);
			return 1;
		}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < NLINKS; i++)
		last[i] = -2;
	while (!stop) {
		int bad = sample(links, st);

		samples++;
		failed += bad > 0;
		both += st[BR1] == 1 && st[BR2] == 1;
		if (all_up(st) && sample(links, st) == 0 && all_up(st)) {
			loops++;
			break_loop(links);
		}
		if (memcmp(st, last, sizeof st) != 0) {
			state_text(st, text);
			stamp(t, sizeof t);
			printf("%s %s\n", t, text);
			if (samples == 1)
				printf("ready\n");
			memcpy(last, st, sizeof st);
		}
		if (gap.tv_nsec)
			nanosleep(&gap, NULL);
	}
	printf("samples %llu failed %llu both-bridges-up %llu loops %llu\n", samples, failed, both, loops);
	return 0;
}
