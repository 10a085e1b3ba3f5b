/* `fencer learn`: the shadow MAC table. A backup's bridge is down, so it
 * has no forwarding table of its own; this watches the member ports
 * passively (libpcap, incoming frames only, nothing sent) and keeps which
 * host MAC was seen in which VLAN behind which port, for the announce
 * after a promote. A frame's VLAN is its 802.1Q tag, or for an untagged
 * frame the VLAN its port gives untagged frames (fencer/port_vlan.h). */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/announce.h"
#include "fencer/announce_hosts.h"
#include "fencer/announce_link.h"
#include "fencer/config.h"
#include "fencer/deadline.h"
#include "fencer/learn_frame.h"
#include "fencer/log.h"
#include "fencer/mac_table.h"
#include "fencer/port_vlan.h"
#include "fencer/state.h"

#define MAX_OWN 64

struct learner {
	const struct config *cfg;
	pcap_t **pc;
	size_t npc;
	uint8_t own[MAX_OWN][6];	/* this node's MACs: never hosts */
	size_t nown;
	struct mac_table table;
	struct port_vlans *vlans;	/* of each port */
	const char *port;		/* the port of the capture being read */
	const struct port_vlans *port_vlans;	/* and its VLANs */
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void add_own(struct learner *ln, const char *ifname)
{
	if (ln->nown < MAX_OWN && link_read_mac(ifname, ln->own[ln->nown]) == 0)
		ln->nown++;
}

static void on_frame(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct learner *ln = (struct learner *)arg;
	long long frame_us = (long long)h->ts.tv_sec * 1000000LL + h->ts.tv_usec;
	uint8_t mac[6];
	uint16_t vlan;

	if (learn_frame_source(bytes, h->caplen, (const uint8_t (*)[6])ln->own, ln->nown, mac, &vlan) &&
	    mac_table_see_frame(&ln->table, mac, port_vlans_ingress(ln->port_vlans, vlan), ln->port,
	    wall_ms(), frame_us) < 0)
		log_warnx("learn: out of memory: %s not recorded", ln->port);
}

/* Incoming frames only: what the bridge or fencer sends out of a port
 * carries the sources of hosts on the other side. */
static pcap_t *capture_open(const char *ifname)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p = pcap_create(ifname, eb);

	if (!p) {
		log_warnx("learn: %s: %s", ifname, eb);
		return NULL;
	}
	pcap_set_snaplen(p, 64);
	pcap_set_promisc(p, 1);
	pcap_set_immediate_mode(p, 1);
	if (pcap_activate(p) < 0 || pcap_setdirection(p, PCAP_D_IN) < 0 || pcap_setnonblock(p, 1, eb) < 0)
		goto fail;
	/* Unicast sources only, filtered in the kernel: saves copying floods. */
	if (pcap_compile(p, &prog, "ether[6] & 1 = 0", 1, PCAP_NETMASK_UNKNOWN) < 0)
		goto fail;
	if (pcap_setfilter(p, &prog) < 0) {
		pcap_freecode(&prog);
		goto fail;
	}
	pcap_freecode(&prog);
	return p;
fail:
	log_warnx("learn: %s: %s", ifname, eb[0] ? eb : pcap_geterr(p));
	pcap_close(p);
	return NULL;
}

/* Keep what an earlier run learned: a restart must not forget the hosts. */
static void table_load(struct learner *ln)
{
	char path[4096], err[256];
	FILE *f;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	macs_path(ln->cfg, path, sizeof path);
	if (!(f = state_fopen(path)))
		return;
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n > 0 && mac_table_from_json(&ln->table, text, err, sizeof err) < 0)
		log_warnx("learn: %s: %s (starting empty)", path, err);
	free(text);
}

static int table_save(struct learner *ln)
{
	char path[4096], err[512];
	long long now = wall_ms();
	char *json;
	int rc;

	mac_table_age(&ln->table, now, ln->cfg->announce.learn_age_ms);
	if (!(json = mac_table_to_json(&ln->table, now)))
		return -1;
	macs_path(ln->cfg, path, sizeof path);
	if ((rc = atomic_write(path, json, strlen(json), err, sizeof err)) < 0)
		log_warnx("learn: %s", err);
	free(json);
	return rc;
}

static int learner_open(struct learner *ln, const struct config *cfg)
{
	const struct announce_config *a = &cfg->announce;
	char err[512];

	ln->cfg = cfg;
	ln->pc = xcalloc(a->interfaces.n, sizeof *ln->pc);
	ln->vlans = xcalloc(a->interfaces.n, sizeof *ln->vlans);
	for (size_t i = 0; i < a->interfaces.n; i++) {
		add_own(ln, a->interfaces.v[i]);
		if (port_vlans_read(a->interfaces.v[i], a->bridge, &ln->vlans[i], err, sizeof err) < 0)
			log_warnx("learn: %s (its untagged frames are learned as untagged)", err);
		if (!(ln->pc[ln->npc] = capture_open(a->interfaces.v[i])))
			return -1;
		ln->npc++;
	}
	if (a->bridge)
		add_own(ln, a->bridge);
	table_load(ln);
	return 0;
}

static void learner_close(struct learner *ln)
{
	for (size_t i = 0; i < ln->npc; i++)
		pcap_close(ln->pc[i]);
	free(ln->pc);
	free(ln->vlans);
	mac_table_free(&ln->table);
}

/* Wait for frames on every port until the next save or a stop signal;
 * the signals are only let in while waiting, so none is missed. */
static void learn_wait(struct learner *ln, struct pollfd *pfd, const sigset_t *waitmask, long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	if (ppoll(pfd, ln->npc, &ts, waitmask) <= 0)
		return;
	for (size_t i = 0; i < ln->npc; i++) {
		if (!(pfd[i].revents & POLLIN))
			continue;
		ln->port = ln->cfg->announce.interfaces.v[i];
		ln->port_vlans = &ln->vlans[i];
		if (pcap_dispatch(ln->pc[i], -1, on_frame, (u_char *)ln) < 0)
			log_warnx("learn: %s: %s", ln->port, pcap_geterr(ln->pc[i]));
	}
}

static int learn_loop(struct learner *ln, const sigset_t *waitmask)
{
	long interval = ln->cfg->announce.learn_interval_ms;
	struct pollfd *pfd = xcalloc(ln->npc, sizeof *pfd);
	struct deadline next;

	for (size_t i = 0; i < ln->npc; i++)
		pfd[i] = (struct pollfd){ .fd = pcap_get_selectable_fd(ln->pc[i]), .events = POLLIN };
	deadline_start(&next, interval);
	while (!stop_signal) {
		learn_wait(ln, pfd, waitmask, deadline_left_ms(&next));
		if (deadline_passed(&next)) {
			table_save(ln);
			deadline_start(&next, interval);
		}
	}
	free(pfd);
	return table_save(ln);
}

int learn_run(const struct config *cfg)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct learner ln = { 0 };
	sigset_t block, waitmask;
	int rc = 1;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (learner_open(&ln, cfg) < 0)
		goto out;
	log_info("learn: watching %zu ports, writing %s/macs.json every %ld ms", ln.npc,
	    cfg->state_dir, cfg->announce.learn_interval_ms);
	rc = learn_loop(&ln, &waitmask) < 0 ? 1 : 0;
	log_info("learn: stopped by signal %d, %zu hosts known", (int)stop_signal, ln.table.n);
out:
	learner_close(&ln);
	return rc;
}
