/* What `fencer learn` takes from a captured frame: a pure function of the
 * bytes, so it can be unit-tested and fuzzed. */
#ifndef FENCER_LEARN_FRAME_H
#define FENCER_LEARN_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETHERTYPE_8021Q_ 0x8100

/* The source MAC of an Ethernet frame if it names a host to learn: the frame
 * is at least a header long (18 bytes with an 802.1Q tag), the source is
 * unicast and not all zeros, and it is none of this node's own MACs
 * (own[0..nown)). *vlan is the VLAN ID of its 802.1Q tag (libpcap puts
 * back the tag the kernel took off on receive), 0 when it has none or a
 * priority tag (VLAN ID 0): the port's untagged VLAN, which the caller
 * knows. A tag of the reserved VLAN ID 4095 teaches nothing. Only the
 * outer tag counts (an 802.1ad S-tag, 0x88a8, is not a host's VLAN). */
bool learn_frame_source(const uint8_t *frame, size_t len, const uint8_t (*own)[6], size_t nown,
    uint8_t mac[6], uint16_t *vlan);

#endif
