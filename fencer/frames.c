#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "fencer/frames.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* ff02::1 and its Ethernet mapping 33:33:00:00:00:01 (RFC 2464). */
static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

static uint8_t *ether(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	p = put(p, dst, 6);
	p = put(p, src, 6);
	return put16(p, type);
}

/* The ARP header shared by RARP and ARP: Ethernet hardware, IPv4. */
static uint8_t *arp_header(uint8_t *p, uint16_t op)
{
	p = put16(p, 1);		/* htype Ethernet */
	p = put16(p, 0x0800);		/* ptype IPv4 */
	*p++ = 6;			/* hlen */
	*p++ = 4;			/* plen */
	return put16(p, op);
}

size_t frame_rarp(uint8_t buf[FRAME_RARP_LEN], const uint8_t host[6])
{
	static const uint8_t zero_ip[4];
	uint8_t *p = buf;

	memset(buf, 0, FRAME_RARP_LEN);
	p = ether(p, bcast, host, ETHERTYPE_RARP_);
	p = arp_header(p, 3);		/* reverse request */
	p = put(p, host, 6);
	p = put(p, zero_ip, 4);
	p = put(p, host, 6);
	put(p, zero_ip, 4);
	return FRAME_RARP_LEN;
}

size_t frame_garp(uint8_t buf[FRAME_GARP_LEN], const uint8_t ifmac[6], const uint8_t ip[4])
{
	uint8_t *p = buf;

	memset(buf, 0, FRAME_GARP_LEN);
	p = ether(p, bcast, ifmac, ETHERTYPE_ARP_);
	p = arp_header(p, 1);		/* request */
	p = put(p, ifmac, 6);
	p = put(p, ip, 4);
	p = put(p, bcast, 6);
	put(p, ip, 4);
	return FRAME_GARP_LEN;
}

/* RFC 4443 section 2.3: one's complement sum over the IPv6 pseudo-header
 * (source, destination, upper-layer length, next header) and the message. */
static uint16_t icmp6_checksum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)len + 58;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	if (len & 1)
		sum += (uint32_t)msg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t frame_na(uint8_t buf[FRAME_NA_LEN], const uint8_t ifmac[6], const uint8_t ip6[16])
{
	uint8_t *p = buf, *icmp;

	memset(buf, 0, FRAME_NA_LEN);
	p = ether(p, all_nodes_mac, ifmac, ETHERTYPE_IPV6_);
	*p = 0x60;			/* version 6, traffic class 0, flow 0 */
	p += 4;
	p = put16(p, 32);		/* payload: NA 24 + option 8 */
	*p++ = 58;			/* next header ICMPv6 */
	*p++ = 255;			/* hop limit: RFC 4861 requires 255 */
	p = put(p, ip6, 16);
	p = put(p, all_nodes, 16);
	icmp = p;
	*p++ = 136;			/* neighbour advertisement */
	*p++ = 0;			/* code */
	p += 2;				/* checksum, below */
	*p = 0x20;			/* flags: override (not router, not solicited) */
	p += 4;
	p = put(p, ip6, 16);		/* target */
	*p++ = 2;			/* option: target link-layer address */
	*p++ = 1;			/* length in units of 8 bytes */
	put(p, ifmac, 6);
	put16(icmp + 2, icmp6_checksum(ip6, all_nodes, icmp, 32));
	return FRAME_NA_LEN;
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
