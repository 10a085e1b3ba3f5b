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
 * frames and the NA have a context each, and each frame after the first
 * updates its blocks in place (their ptags). */
struct frame_builder {
	libnet_t *arp;			/* ARP or RARP, then Ethernet */
	libnet_ptag_t arp_body, arp_eth;
	libnet_t *na;			/* NA option, NA, IPv6, Ethernet */
	libnet_ptag_t na_opt, na_body, na_ip, na_eth;
	char err[LIBNET_ERRBUF_SIZE + 64];
};

struct frame_builder *frame_builder_new(char *err, size_t errlen)
{
	struct frame_builder *b = xcalloc(1, sizeof *b);
	char eb[LIBNET_ERRBUF_SIZE] = "";

	if (!(b->arp = libnet_init(LIBNET_NONE, NULL, eb)) || !(b->na = libnet_init(LIBNET_NONE, NULL, eb))) {
		snprintf(err, errlen, "libnet: %s", eb[0] ? eb : "cannot make a context");
		frame_builder_free(b);
		return NULL;
	}
	return b;
}

void frame_builder_free(struct frame_builder *b)
{
	if (!b)
		return;
	if (b->arp)
		libnet_destroy(b->arp);
	if (b->na)
		libnet_destroy(b->na);
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

static size_t arp_frame(struct frame_builder *b, uint8_t *buf, uint16_t type, uint16_t op,
    const uint8_t src[6], const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
    const uint8_t tpa[4])
{
	b->arp_body = libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, op, sha, spa, tha, tpa, arp_pad,
	    sizeof arp_pad, b->arp, b->arp_body);
	b->arp_eth = libnet_build_ethernet(bcast, src, type, NULL, 0, b->arp, b->arp_eth);
	if (b->arp_body < 0 || b->arp_eth < 0) {
		snprintf(b->err, sizeof b->err, "libnet: %s", libnet_geterror(b->arp));
		return 0;
	}
	return assemble(b, b->arp, buf, FRAME_RARP_LEN);
}

size_t frame_rarp(struct frame_builder *b, uint8_t buf[FRAME_RARP_LEN], const uint8_t host[6])
{
	static const uint8_t zero_ip[4];

	return arp_frame(b, buf, ETHERTYPE_REVARP, ARPOP_REVREQUEST, host, host, zero_ip, host, zero_ip);
}

size_t frame_garp(struct frame_builder *b, uint8_t buf[FRAME_GARP_LEN], const uint8_t ifmac[6],
    const uint8_t ip[4])
{
	return arp_frame(b, buf, ETHERTYPE_ARP, ARPOP_REQUEST, ifmac, ifmac, ip, bcast, ip);
}

size_t frame_na(struct frame_builder *b, uint8_t buf[FRAME_NA_LEN], const uint8_t ifmac[6],
    const uint8_t ip6[16])
{
	struct libnet_in6_addr src, dst;

	memcpy(&src, ip6, 16);
	memcpy(&dst, all_nodes, 16);
	b->na_opt = libnet_build_icmpv6_ndp_opt(ND_OPT_TARGET_LINKADDR, (uint8_t *)ifmac, 6, b->na, b->na_opt);
	/* override, not router, not solicited (libnet takes the flags in host
	 * order, netinet/icmp6.h has them in network order); checksum 0: libnet
	 * computes it */
	b->na_body = libnet_build_icmpv6_ndp_nadv(ND_NEIGHBOR_ADVERT, 0, 0, ntohl(ND_NA_FLAG_OVERRIDE), src, NULL, 0,
	    b->na, b->na_body);
	/* hop limit 255, as RFC 4861 requires */
	b->na_ip = libnet_build_ipv6(0, 0, FRAME_NA_LEN - 14 - 40, IPPROTO_ICMPV6, 255, src, dst, NULL, 0,
	    b->na, b->na_ip);
	b->na_eth = libnet_build_ethernet(all_nodes_mac, ifmac, ETHERTYPE_IPV6, NULL, 0, b->na, b->na_eth);
	if (b->na_opt < 0 || b->na_body < 0 || b->na_ip < 0 || b->na_eth < 0) {
		snprintf(b->err, sizeof b->err, "libnet: %s", libnet_geterror(b->na));
		return 0;
	}
	return assemble(b, b->na, buf, FRAME_NA_LEN);
}

static void mac_text(const uint8_t *m, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void frame_describe(const uint8_t *f, size_t len, char *out, size_t outlen)
{
	char src[18], ip[INET6_ADDRSTRLEN];
	uint16_t type;

	if (len < 14) {
		snprintf(out, outlen, "short frame (%zu bytes)", len);
		return;
	}
	type = (uint16_t)(f[12] << 8 | f[13]);
	mac_text(f + 6, src);
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
