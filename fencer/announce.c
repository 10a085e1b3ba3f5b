/* Announce rounds (docs/architecture.md, the side steps; fencer.conf(5), [announce]): for every member port, one round
 * is gratuitous ARP for each own IPv4 address, unsolicited NA for each own
 * IPv6 address (sender MAC = the port's MAC, untagged), and one broadcast
 * RARP per host MAC unless the host lives behind that port, in the host's
 * VLAN: tagged, untagged where the port sends that VLAN untagged, not at
 * all where the port does not carry it (fencer/port_vlan.h) or vlans =
 * leaves it out. The frames are built once; every round sends the same
 * bytes. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/announce.h"
#include "fencer/announce_hosts.h"
#include "fencer/announce_link.h"
#include "fencer/config.h"
#include "fencer/deadline.h"
#include "fencer/frames.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/port_vlan.h"
#include "fencer/state.h"

const bool announce_available = true;

struct announce {
	const struct announce_config *cfg;
	struct announce_link *links;
	size_t nlinks;
	size_t nhosts;			/* in the VLANs announced */
	size_t per_round;		/* frames in one round, all ports */
	bool tagged;			/* some frame carries a VLAN tag */
	int setup_failed;		/* ports or host sources that could not be used */
};

long announce_offset_ms(const struct announce_config *a, int round)
{
	long at = 0;

	for (int r = 1; r <= round; r++) {
		long gap = a->initial_ms + (long)(r - 1) * a->step_ms;

		at += gap < a->max_ms ? gap : a->max_ms;
	}
	return at;
}

/* ---- building a round -------------------------------------------------- */

static int add_address_frames(struct frame_builder *b, struct announce_link *k, const struct strlist *addrs)
{
	uint8_t ip[16];

	for (size_t i = 0; i < addrs->n; i++) {
		if (inet_pton(AF_INET, addrs->v[i], ip) == 1) {
			if (!frame_garp(b, link_add_frame(k, FRAME_GARP_LEN, 0), k->mac, ip, 0))
				return -1;
		} else if (inet_pton(AF_INET6, addrs->v[i], ip) == 1) {
			if (!frame_na(b, link_add_frame(k, FRAME_NA_LEN, 0), k->mac, ip, 0))
				return -1;
		}
	}
	return 0;
}

static bool own_mac(const struct announce *an, const uint8_t mac[6])
{
	for (size_t i = 0; i < an->nlinks; i++)
		if (memcmp(an->links[i].mac, mac, 6) == 0)
			return true;
	return false;
}

static int add_host_frames(struct frame_builder *b, struct announce *an, struct announce_link *k,
    const struct mac_table *hosts)
{
	for (size_t i = 0; i < hosts->n; i++) {
		const struct mac_entry *h = &hosts->v[i];
		int tag;

		/* Out of the host's own port the frame would teach the switch
		 * there the wrong way round. */
		if (strcmp(h->port, k->name) == 0 || own_mac(an, h->mac) || !announce_vlan_wanted(an->cfg, h->vlan))
			continue;
		if ((tag = port_vlans_tag(&k->vlans, h->vlan)) < 0)
			continue;
		if (!frame_rarp(b, link_add_frame(k, FRAME_RARP_LEN + (tag ? FRAME_TAG_LEN : 0), h->vlan),
		    h->mac, (uint16_t)tag))
			return -1;
		an->tagged |= tag != 0;
	}
	return 0;
}

static void announce_free(struct announce *an)
{
	for (size_t i = 0; i < an->nlinks; i++)
		link_close(&an->links[i]);
	free(an->links);
	memset(an, 0, sizeof *an);
}

/* Open every port and build its frames. A port that cannot be opened is
 * recorded and left out; -1 when no port is left or memory runs out. */
/* Every port's frames, built once with libnet (fencer/frames.h); each
 * round sends them again. */
static int build_frames(struct announce *an, struct run *run, const struct strlist *addrs,
    const struct mac_table *hosts)
{
	char err[512];
	struct frame_builder *b = frame_builder_new(err, sizeof err);
	int rc = 0;

	if (!b) {
		run_note(run, "announce", OUT_FAILED, err);
		return -1;
	}
	for (size_t i = 0; i < an->nlinks && rc == 0; i++) {
		if (add_address_frames(b, &an->links[i], addrs) < 0 || add_host_frames(b, an, &an->links[i], hosts) < 0) {
			snprintf(err, sizeof err, "cannot build the frames: %s", frame_builder_error(b));
			run_note(run, "announce", OUT_FAILED, err);
			rc = -1;
		}
		an->per_round += an->links[i].nframes;
	}
	frame_builder_free(b);
	return rc;
}

/* How many hosts are announced; those vlans = leaves out are said. */
static size_t count_hosts(const struct announce_config *a, struct run *run, const struct mac_table *hosts)
{
	size_t n = 0;
	char msg[128];

	for (size_t i = 0; i < hosts->n; i++)
		n += announce_vlan_wanted(a, hosts->v[i].vlan);
	if (n < hosts->n) {
		snprintf(msg, sizeof msg, "%zu of %zu hosts are in VLANs vlans = leaves out: not announced",
		    hosts->n - n, hosts->n);
		run_note(run, "announce", OUT_SKIPPED, msg);
	}
	return n;
}

/* What each port carries; a port whose VLANs cannot be read is taken as a
 * trunk of every VLAN, and said. */
static void read_port_vlans(struct announce *an, struct run *run, const char *bridge)
{
	char err[512];

	for (size_t i = 0; i < an->nlinks; i++) {
		if (port_vlans_read(an->links[i].name, bridge, &an->links[i].vlans, err, sizeof err) < 0) {
			run_note(run, "announce", OUT_FAILED, err);
			an->setup_failed++;
		}
	}
}

static int announce_prepare(const struct config *cfg, struct run *run, bool send, struct announce *an)
{
	const struct announce_config *a = &cfg->announce;
	struct mac_table hosts = { 0 };
	char err[512];
	int rc;

	memset(an, 0, sizeof *an);
	an->cfg = a;
	an->links = xcalloc(a->interfaces.n, sizeof *an->links);
	for (size_t i = 0; i < a->interfaces.n; i++) {
		if (link_open(&an->links[an->nlinks], a->interfaces.v[i], send, err, sizeof err) < 0) {
			run_note(run, "announce", OUT_FAILED, err);
			an->setup_failed++;
		} else {
			an->nlinks++;
		}
	}
	read_port_vlans(an, run, a->bridge);
	an->setup_failed += hosts_collect(cfg, run, &hosts);
	an->nhosts = count_hosts(a, run, &hosts);
	rc = build_frames(an, run, &a->addresses, &hosts);
	mac_table_free(&hosts);
	return rc == 0 && an->nlinks ? 0 : -1;
}

/* ---- sending a round --------------------------------------------------- */

static void sleep_until_ns(long long t)
{
	struct timespec ts = { .tv_sec = t / 1000000000LL, .tv_nsec = t % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Frames go out at `rate` per second over the whole round, in batches of
 * about a millisecond's worth; unpaced, in the sender's largest batches. */
static size_t send_link(struct announce_link *k, long rate, long long t0, size_t *before,
    char *err, size_t errlen)
{
	size_t batch = rate ? (size_t)(rate / 1000 > 0 ? rate / 1000 : 1) : k->nframes;
	size_t sent = 0;

	while (sent < k->nframes) {
		size_t n = k->nframes - sent < batch ? k->nframes - sent : batch, got;

		if (rate)
			sleep_until_ns(t0 + (long long)(*before + sent) * 1000000000LL / rate);
		got = link_send(k, sent, n, err, errlen);
		sent += got;
		if (got < n)
			break;
	}
	*before += k->nframes;
	return sent;
}

/* "; by VLAN: untagged 2, 10: 4, 20: 4": the frames of a round that went
 * out (sent[i] of port i), per VLAN they announce in. Nothing when no frame
 * is tagged, so an untagged announce reads as it always did. */
static void by_vlan(const struct announce *an, const size_t *sent, char *out, size_t outlen)
{
	size_t *count, used;

	out[0] = '\0';
	if (!an->tagged)
		return;
	count = xcalloc(VLAN_IDS, sizeof *count);
	for (size_t i = 0; i < an->nlinks; i++)
		for (size_t f = 0; f < sent[i]; f++)
			count[an->links[i].frame_vlans[f]]++;
	used = (size_t)snprintf(out, outlen, "; by VLAN:");
	for (size_t v = 0; v < VLAN_IDS && used < outlen; v++) {
		if (!count[v])
			continue;
		used += (size_t)(v ? snprintf(out + used, outlen - used, " %zu: %zu,", v, count[v]) :
		    snprintf(out + used, outlen - used, " untagged %zu,", count[v]));
	}
	if (used < outlen && out[used - 1] == ',')
		out[used - 1] = '\0';
	free(count);
}

/* One round out of every port: the frames sent, and the first error in
 * err; vlans says how many went out per VLAN (by_vlan). With deferred
 * (a later round follows), a port without carrier is left for that round,
 * its frames counted there and named in err: the kernel would drop them. */
static size_t send_round(struct announce *an, char *err, size_t errlen, char *vlans, size_t vlanslen,
    size_t *deferred)
{
	size_t sent = 0, before = 0, *sent_of = xcalloc(an->nlinks ? an->nlinks : 1, sizeof *sent_of);
	long long t0 = mono_ns();

	err[0] = '\0';
	for (size_t i = 0; i < an->nlinks; i++) {
		char lerr[256] = "";

		if (deferred && !link_running(&an->links[i])) {
			*deferred += an->links[i].nframes;
			if (!err[0])
				snprintf(err, errlen, "%s: no carrier yet (a port just brought up), its frames go in "
				    "the next round", an->links[i].name);
			continue;
		}
		sent_of[i] = send_link(&an->links[i], an->cfg->rate, t0, &before, lerr, sizeof lerr);
		sent += sent_of[i];
		if (lerr[0] && !err[0])
			snprintf(err, errlen, "%s", lerr);
	}
	by_vlan(an, sent_of, vlans, vlanslen);
	free(sent_of);
	return sent;
}

static int announce_round(struct announce *an, struct run *run, int round)
{
	char err[512], msg[1024], vlans[700];
	long started = mono_ms();
	size_t deferred = 0;
	size_t sent = send_round(an, err, sizeof err, vlans, sizeof vlans,
	    round + 1 < an->cfg->rounds ? &deferred : NULL);
	bool ok = sent + deferred == an->per_round;

	if (sent == an->per_round)
		snprintf(msg, sizeof msg, "round %d/%d: %zu frames sent (%zu hosts, %zu ports)%s",
		    round + 1, an->cfg->rounds, sent, an->nhosts, an->nlinks, vlans);
	else
		snprintf(msg, sizeof msg, "round %d/%d: %zu of %zu frames sent%s; %s",
		    round + 1, an->cfg->rounds, sent, an->per_round, vlans, err);
	run_end(run, "announce", NULL, NULL, started, ok ? OUT_OK : OUT_FAILED, msg);
	return ok ? 0 : -1;
}

/* Rounds [from, rounds) on QEMU's schedule counted from t0 (ms): a round
 * that starts late does not push the later ones back. */
static int announce_rounds(struct announce *an, struct run *run, int from, long t0)
{
	int failed = 0;

	for (int r = from; r < an->cfg->rounds; r++) {
		sleep_until_ns((long long)(t0 + announce_offset_ms(an->cfg, r)) * 1000000LL);
		failed += announce_round(an, run, r) < 0;
	}
	return failed ? -1 : 0;
}

/* ---- the commands ------------------------------------------------------ */

static void print_plan(const struct announce *an, struct run *run)
{
	char line[256];

	for (int r = 0; r < an->cfg->rounds; r++)
		run_plan(run, "round %d at %ld ms", r + 1, announce_offset_ms(an->cfg, r));
	for (size_t i = 0; i < an->nlinks; i++) {
		const struct announce_link *k = &an->links[i];

		run_plan(run, "%s (%s): %zu frames a round", k->name, port_vlans_kind(&k->vlans), k->nframes);
		for (size_t f = 0; f < k->nframes; f++) {
			frame_describe(k->frames[f], k->lens[f], line, sizeof line);
			run_plan(run, "  %s", line);
		}
	}
	run_plan(run, "%zu frames a round, %d rounds, rate %ld/s%s", an->per_round, an->cfg->rounds,
	    an->cfg->rate, an->cfg->rate ? "" : " (unpaced)");
}

int announce_run(const struct config *cfg, struct run *run)
{
	struct announce an;
	int rc;

	if (announce_prepare(cfg, run, !run->dry_run, &an) < 0) {
		announce_free(&an);
		return -1;
	}
	if (run->dry_run) {
		print_plan(&an, run);
		announce_free(&an);
		return 0;
	}
	rc = announce_rounds(&an, run, 0, mono_ms());
	if (an.setup_failed)
		rc = -1;
	announce_free(&an);
	return rc;
}

static void pid_path(const struct config *cfg, char *buf, size_t len)
{
	snprintf(buf, len, "%s/announce.pid", cfg->state_dir);
}

/* The background process must hold nothing of its caller's: not the run
 * lock (a demote must not wait for it), not the HA daemon's pipes. It keeps
 * the journal and its ports. */
static void detach(struct run *run, const struct announce *an)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	setsid();
	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		bool keep = fd <= 2 || fd == dirfd(d) || fd == run->journal_fd;

		for (size_t i = 0; i < an->nlinks && !keep; i++)
			keep = fd == an->links[i].fd;
		if (!keep && e->d_name[0] != '.')
			close(fd);
	}
	if (d)
		closedir(d);
	/* A thread of the parent (a switch worker cut off at the deadline)
	 * may have held the run's lock at fork time; this process has one
	 * thread, and a fresh lock. */
	pthread_mutex_init(&run->mu, NULL);
}

static void write_pid(const struct config *cfg)
{
	char path[4096], text[32];
	int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
	char err[256];

	pid_path(cfg, path, sizeof path);
	atomic_write(path, text, (size_t)len, err, sizeof err);
}

/* Whether announce.pid still names this process: a demote removes it (and
 * stops the process), a later promote replaces it. Read before every
 * refresh round, so that a refresh whose stop went astray still ends. */
static bool pid_file_mine(const struct config *cfg)
{
	char path[4096];
	FILE *f;
	long pid = 0;

	pid_path(cfg, path, sizeof path);
	if (!(f = state_fopen(path)))
		return false;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid == (long)getpid();
}

/* [announce] refresh (fencer.conf(5)): the same round again every
 * interval while this node is master. The journal hears of the first
 * round and of every change between all sent and not (a line a round
 * would fill it, and this process's memory, over the weeks of a master). */
static void refresh_rounds(const struct config *cfg, struct run *run, struct announce *an, long long next_ns)
{
	long long every = (long long)an->cfg->refresh_ms * 1000000LL;
	int last = -1;		/* the last outcome journaled: 0 all sent, 1 not */
	char err[512], msg[1024], vlans[700];
	size_t sent;
	long started;
	int failed;

	for (;;) {
		sleep_until_ns(next_ns);
		if (!pid_file_mine(cfg))
			return;
		started = mono_ms();
		sent = send_round(an, err, sizeof err, vlans, sizeof vlans, NULL);
		failed = sent != an->per_round;

		if (failed != last) {
			if (!failed)
				snprintf(msg, sizeof msg, "refresh: %zu frames sent (%zu hosts, %zu ports)%s, again "
				    "every %ld ms while master", sent, an->nhosts, an->nlinks, vlans, an->cfg->refresh_ms);
			else
				snprintf(msg, sizeof msg, "refresh: %zu of %zu frames sent%s; %s", sent, an->per_round,
				    vlans, err);
			run_end(run, "announce", NULL, NULL, started, failed ? OUT_FAILED : OUT_OK, msg);
			last = failed;
		}
		/* A round that came late (a suspended machine) does not bring
		 * the missed ones in a burst. */
		next_ns += every;
		if (next_ns < mono_ns())
			next_ns = mono_ns() + every;
	}
}

/* The grandchild: the later rounds, the refresh rounds while master, then
 * gone. Never returns. */
static _Noreturn void background_rounds(const struct config *cfg, struct run *run,
    struct announce *an, long t0)
{
	char path[4096];
	int rc;

	detach(run, an);
	write_pid(cfg);
	rc = announce_rounds(an, run, 1, t0);
	if (an->cfg->refresh_ms > 0)
		refresh_rounds(cfg, run, an, (long long)(t0 + announce_offset_ms(an->cfg, an->cfg->rounds - 1) +
		    an->cfg->refresh_ms) * 1000000LL);
	pid_path(cfg, path, sizeof path);
	if (pid_file_mine(cfg))
		unlink(path);
	_exit(rc < 0 ? 1 : 0);
}

/* Fork twice so the rounds run in an orphan: the caller never has to reap
 * it, and the HA daemon's hook returns now. */
static int spawn_background(const struct config *cfg, struct run *run, struct announce *an, long t0)
{
	pid_t child;
	int status;

	fflush(NULL);
	/* A promote's flush workers may be journaling right now: fork with the
	 * run's lock held, so that the child does not inherit it locked by a
	 * thread it does not have. */
	pthread_mutex_lock(&run->mu);
	child = fork();
	pthread_mutex_unlock(&run->mu);
	if (child < 0)
		return -1;
	if (child == 0) {
		pid_t grandchild = fork();

		if (grandchild == 0)
			background_rounds(cfg, run, an, t0);
		_exit(grandchild < 0 ? 1 : 0);
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* What the background process will send: "rounds 2-5 go on in the
 * background, then one round every 30000 ms while master". */
static void background_plan(const struct announce_config *a, char *buf, size_t len)
{
	int n;

	if (a->rounds > 2)
		n = snprintf(buf, len, "rounds 2-%d go on in the background", a->rounds);
	else if (a->rounds == 2)
		n = snprintf(buf, len, "round 2 goes on in the background");
	else
		n = snprintf(buf, len, "in the background");
	if (a->refresh_ms > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%sone round every %ld ms while master",
		    a->rounds > 1 ? ", then " : ": ", a->refresh_ms);
}

int announce_start(const struct config *cfg, struct run *run)
{
	struct announce an;
	char msg[256];
	long t0;
	int rc;

	announce_stop(cfg);
	if (announce_prepare(cfg, run, true, &an) < 0) {
		announce_free(&an);
		return -1;
	}
	t0 = mono_ms();
	rc = announce_round(&an, run, 0);
	if (an.cfg->rounds > 1 || an.cfg->refresh_ms > 0) {
		if (spawn_background(cfg, run, &an, t0) < 0) {
			snprintf(msg, sizeof msg, "the background rounds not started: fork: %s", strerror(errno));
			run_note(run, "announce", OUT_FAILED, msg);
			rc = -1;
		} else {
			background_plan(an.cfg, msg, sizeof msg);
			run_note(run, "announce", OUT_START, msg);
		}
	}
	if (an.setup_failed)
		rc = -1;
	announce_free(&an);
	return rc;
}

void announce_stop(const struct config *cfg)
{
	char path[4096], comm[64] = "", proc[64];
	FILE *f;
	long pid = 0;

	pid_path(cfg, path, sizeof path);
	if (!(f = state_fopen(path)))
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	/* Only a fencer: the pid may have been reused since. */
	snprintf(proc, sizeof proc, "/proc/%ld/comm", pid);
	if (pid > 1 && (f = fopen(proc, "re"))) {
		if (fgets(comm, sizeof comm, f) && strncmp(comm, "fencer", 6) == 0 && kill((pid_t)pid, SIGTERM) == 0)
			log_info("announce: stopped the background rounds (pid %ld)", pid);
		fclose(f);
	}
	unlink(path);
}
