/* Announce frames (gratuitous ARP as RFC 5227 describes it, unsolicited
 * NA of RFC 4861, RARP of RFC 903 as QEMU sends it), untagged or with an
 * IEEE 802.1Q tag (priority 0), built with libnet's builders once per
 * announce into plain buffers: the sender hands those to the kernel in
 * batches (announce_link.c), and the unit tests compare them with frames
 * written out by hand. */
#ifndef FENCER_FRAMES_H
#define FENCER_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN_ 6
#define FRAME_RARP_LEN 60	/* QEMU's size: 14 + 28, padded to the Ethernet minimum */
#define FRAME_GARP_LEN 60
#define FRAME_NA_LEN 86		/* 14 + 40 (IPv6) + 24 (NA) + 8 (target link-layer option) */
#define FRAME_TAG_LEN 4		/* an 802.1Q tag adds its 4 bytes: a switch that takes it
				 * off leaves the untagged frame, padding and all */
#define FRAME_MAX_LEN (FRAME_NA_LEN + FRAME_TAG_LEN)

#define ETHERTYPE_RARP_ 0x8035
#define ETHERTYPE_ARP_ 0x0806
#define ETHERTYPE_IPV6_ 0x86dd
#define ETHERTYPE_VLAN_ 0x8100

/* A libnet context that only constructs frames (LIBNET_NONE: no socket,
 * no interface, no privilege), reused for every frame of an announce. NULL
 * with err set when libnet cannot make one. */
struct frame_builder;
struct frame_builder *frame_builder_new(char *err, size_t errlen);
void frame_builder_free(struct frame_builder *);

/* Each writes into buf (room for FRAME_MAX_LEN) the frame, tagged with
 * VLAN ID vlan (1-4094) or untagged (vlan 0), and returns its length: the
 * _LEN above, FRAME_TAG_LEN more when tagged. 0 when libnet failed (the
 * builder's error in frame_builder_error). */
const char *frame_builder_error(const struct frame_builder *);

/* Broadcast RARP "reverse request" (op 3) whose Ethernet source, sender and
 * target hardware addresses are the host MAC: what QEMU sends after a
 * migration so that switches learn the host behind this port (in its
 * VLAN: VMware sends it in the VM's). */
size_t frame_rarp(struct frame_builder *, uint8_t *buf, const uint8_t host[6], uint16_t vlan);
/* Gratuitous ARP, request form: sender MAC = the interface MAC, sender IP =
 * target IP = the address, target MAC broadcast (as keepalived sends it). */
size_t frame_garp(struct frame_builder *, uint8_t *buf, const uint8_t ifmac[6], const uint8_t ip[4],
    uint16_t vlan);
/* Unsolicited neighbour advertisement: from the address to ff02::1, override
 * flag, target = the address, target link-layer option = the interface MAC. */
size_t frame_na(struct frame_builder *, uint8_t *buf, const uint8_t ifmac[6], const uint8_t ip6[16],
    uint16_t vlan);

/* The VLAN ID of a frame's 802.1Q tag, 0 when it has none. */
uint16_t frame_vlan(const uint8_t *frame, size_t len);

/* A frame in one line for `fencer announce --dry-run` ("vlan N: ..." when
 * tagged). */
void frame_describe(const uint8_t *frame, size_t len, char *out, size_t outlen);

#endif
