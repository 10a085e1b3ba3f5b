/* One member port to announce through: a libnet link-layer handle, the
 * port's MAC, and the frames of one round, built once and sent as they are
 * in every round. */
#ifndef FENCER_ANNOUNCE_LINK_H
#define FENCER_ANNOUNCE_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fencer/frames.h"
#include "fencer/port_vlan.h"

struct libnet_context;

struct announce_link {
	char name[IF_NAMESIZE];
	struct libnet_context *l;
	int fd;				/* libnet's packet socket */
	int ifindex;
	uint8_t mac[6];
	struct port_vlans vlans;	/* what its wire carries (fencer/port_vlan.h) */
	uint8_t (*frames)[FRAME_MAX_LEN];
	uint8_t *lens;
	uint16_t *frame_vlans;		/* the VLAN each frame announces in, 0 untagged */
	size_t nframes, cap;
};

/* Read the port's MAC and, when send, open it for sending (libnet_init
 * LIBNET_LINK_ADV). 0, or -1 with err set ("em0: libnet's words"). */
int link_open(struct announce_link *, const char *ifname, bool send, char *err, size_t errlen);
/* A slot for the next frame of the round, counted in vlan (0: untagged);
 * NULL when len is past FRAME_MAX_LEN. */
uint8_t *link_add_frame(struct announce_link *, size_t len, uint16_t vlan);
/* Send frames [from, from + count) of the round in batches. Returns how
 * many went out; on a short count err says why. */
size_t link_send(struct announce_link *, size_t from, size_t count, char *err, size_t errlen);
void link_close(struct announce_link *);
/* Whether the kernel sees the port's carrier (IFF_RUNNING). A port the
 * promote has just brought up on the switch gets it back a moment later
 * (the kernel's link watch, a copper link's negotiation); until then the
 * kernel drops what is sent there (ENOBUFS). True when it cannot tell. */
bool link_running(const struct announce_link *);
/* An interface's MAC, without libnet (so --dry-run and learn need no raw
 * socket for it). 0 or -1 with errno. */
int link_read_mac(const char *ifname, uint8_t mac[6]);

#endif
