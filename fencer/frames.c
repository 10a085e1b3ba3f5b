#include <arpa/inet.h>
#include <libnet.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/frames.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* ff02::1 and its Ethernet mapping 33:33:00:00:00:01 (RFC 2464). */
static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };
/* RARP and ARP frames are padded to the Ethernet minimum, as QEMU does. */
static const uint8_t arp_pad[FRAME_RARP_LEN - 14 - 28];

/* libnet assembles every block of a context into one frame: the ARP-shaped
 * frames and the NA have a context each, untagged and tagged (the link
 * block is an Ethernet header in one, an 802.1Q header in the other), and
 * each frame after the first updates its blocks in place (their ptags). */
struct frame_ctx {
	libnet_t *arp;			/* ARP or RARP, then Ethernet or 802.1Q */
	libnet_ptag_t arp_body, arp_eth;
	libnet_t *na;			/* NA option, NA, IPv6, Ethernet or 802.1Q */
	libnet_ptag_t na_opt, na_body, na_ip, na_eth;
};

struct frame_builder {
	struct frame_ctx c[2];		/* [0] untagged, [1] tagged */
	char err[LIBNET_ERRBUF_SIZE + 64];
};

struct frame_builder *frame_builder_new(char *err, size_t errlen)
{
	struct frame_builder *b = xcalloc(1, sizeof *b);
	char eb[LIBNET_ERRBUF_SIZE] = "";

	for (int t = 0; t < 2; t++) {
		if (!(b->c[t].arp = libnet_init(LIBNET_NONE, NULL, eb)) ||
		    !(b->c[t].na = libnet_init(LIBNET_NONE, NULL, eb))) {
			snprintf(err, errlen, "libnet: %s", eb[0] ? eb : "cannot make a context");
			frame_builder_free(b);
			return NULL;
		}
	}
	return b;
}

void frame_builder_free(struct frame_builder *b)
{
	if (!b)
		return;
	for (int t = 0; t < 2; t++) {
		if (b->c[t].arp)
			libnet_destroy(b->c[t].arp);
		if (b->c[t].na)
			libnet_destroy(b->c[t].na);
	}
	free(b);
}

const char *frame_builder_error(const struct frame_builder *b)
{
	return b->err;
}

/* The context's blocks, assembled (checksums included) into buf. Its
 * public culling call (libnet_adv_cull_packet) is for the advanced link
 * mode only, which needs an interface and a raw socket; the assembly it
 * makes is libnet_pblock_coalesce's, which libnet's header exports. */
static size_t assemble(struct frame_builder *b, libnet_t *l, uint8_t *buf, size_t want)
{
	uint8_t *frame = NULL;
	uint32_t len = 0;

	if (libnet_pblock_coalesce(l, &frame, &len) < 0 || len != want) {
		snprintf(b->err, sizeof b->err, "libnet: %s", len != want && frame ? "wrong frame length" :
		    libnet_geterror(l));
		free(frame);
		return 0;
	}
	memcpy(buf, frame, len);
	free(frame);
	return len;
}

/* The link-layer block: an Ethernet header, or (vlan 1-4094) an 802.1Q
 * one, priority 0, DEI 0. */
static libnet_ptag_t link_block(const uint8_t dst[6], const uint8_t src[6], uint16_t type, uint16_t vlan,
    libnet_t *l, libnet_ptag_t ptag)
{
	if (!vlan)
		return libnet_build_ethernet(dst, src, type, NULL, 0, l, ptag);
	return libnet_build_802_1q(dst, src, ETHERTYPE_VLAN_, 0, 0, vlan, type, NULL, 0, l, ptag);
}

static size_t arp_frame(struct frame_builder *b, uint8_t *buf, uint16_t type, uint16_t op,
    const uint8_t src[6], const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
    const uint8_t tpa[4], uint16_t vlan)
{
	struct frame_ctx *c = &b->c[vlan != 0];

	c->arp_body = libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, op, sha, spa, tha, tpa, arp_pad,
	    sizeof arp_pad, c->arp, c->arp_body);
	c->arp_eth = link_block(bcast, src, type, vlan, c->arp, c->arp_eth);
	if (c->arp_body < 0 || c->arp_eth < 0) {
		snprintf(b->err, sizeof b->err, "libnet: %s", libnet_geterror(c->arp));
		return 0;
	}
	return assemble(b, c->arp, buf, FRAME_RARP_LEN + (vlan ? FRAME_TAG_LEN : 0));
}

size_t frame_rarp(struct frame_builder *b, uint8_t *buf, const uint8_t host[6], uint16_t vlan)
{
	static const uint8_t zero_ip[4];

	return arp_frame(b, buf, ETHERTYPE_REVARP, ARPOP_REVREQUEST, host, host, zero_ip, host, zero_ip, vlan);
}

size_t frame_garp(struct frame_builder *b, uint8_t *buf, const uint8_t ifmac[6], const uint8_t ip[4],
    uint16_t vlan)
{
	return arp_frame(b, buf, ETHERTYPE_ARP, ARPOP_REQUEST, ifmac, ifmac, ip, bcast, ip, vlan);
}

size_t frame_na(struct frame_builder *b, uint8_t *buf, const uint8_t ifmac[6], const uint8_t ip6[16],
    uint16_t vlan)
{
	struct frame_ctx *c = &b->c[vlan != 0];
	struct libnet_in6_addr src, dst;

	memcpy(&src, ip6, 16);
	memcpy(&dst, all_nodes, 16);
	c->na_opt = libnet_build_icmpv6_ndp_opt(ND_OPT_TARGET_LINKADDR, (uint8_t *)ifmac, 6, c->na, c->na_opt);
	/* override, not router, not solicited (libnet takes the flags in host
	 * order, netinet/icmp6.h has them in network order); checksum 0: libnet
	 * computes it */
	c->na_body = libnet_build_icmpv6_ndp_nadv(ND_NEIGHBOR_ADVERT, 0, 0, ntohl(ND_NA_FLAG_OVERRIDE), src, NULL, 0,
	    c->na, c->na_body);
	/* hop limit 255, as RFC 4861 requires */
	c->na_ip = libnet_build_ipv6(0, 0, FRAME_NA_LEN - 14 - 40, IPPROTO_ICMPV6, 255, src, dst, NULL, 0,
	    c->na, c->na_ip);
	c->na_eth = link_block(all_nodes_mac, ifmac, ETHERTYPE_IPV6, vlan, c->na, c->na_eth);
	if (c->na_opt < 0 || c->na_body < 0 || c->na_ip < 0 || c->na_eth < 0) {
		snprintf(b->err, sizeof b->err, "libnet: %s", libnet_geterror(c->na));
		return 0;
	}
	return assemble(b, c->na, buf, FRAME_NA_LEN + (vlan ? FRAME_TAG_LEN : 0));
}

uint16_t frame_vlan(const uint8_t *f, size_t len)
{
	if (len < 18 || (f[12] << 8 | f[13]) != ETHERTYPE_VLAN_)
		return 0;
	return (uint16_t)((f[14] & 0x0f) << 8 | f[15]);
}

static void mac_text(const uint8_t *m, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void frame_describe(const uint8_t *f, size_t len, char *out, size_t outlen)
{
	char src[18], ip[INET6_ADDRSTRLEN];
	uint16_t type, vlan = frame_vlan(f, len);
	int n;

	if (len < 14) {
		snprintf(out, outlen, "short frame (%zu bytes)", len);
		return;
	}
	mac_text(f + 6, src);
	if (vlan) {
		/* The rest as it reads once a switch has taken the tag off. */
		n = snprintf(out, outlen, "vlan %u: ", vlan);
		if (n < 0 || (size_t)n >= outlen)
			return;
		out += n, outlen -= (size_t)n;
		len -= FRAME_TAG_LEN;
		f += FRAME_TAG_LEN;
	}
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == ETHERTYPE_RARP_ && len >= 42)
		snprintf(out, outlen, "rarp src %s op 3 (reverse request) for %s", src, src);
	else if (type == ETHERTYPE_ARP_ && len >= 42)
		snprintf(out, outlen, "garp src %s who-has %s", src, inet_ntop(AF_INET, f + 28, ip, sizeof ip));
	else if (type == ETHERTYPE_IPV6_ && len >= FRAME_NA_LEN)
		snprintf(out, outlen, "na src %s to ff02::1 target %s (override)", src,
		    inet_ntop(AF_INET6, f + 62, ip, sizeof ip));
	else
		snprintf(out, outlen, "frame type 0x%04x src %s (%zu bytes)", type, src, len);
}
