/* What `fencer learn` takes from a captured frame: a pure function of the
 * bytes, so it can be unit-tested and fuzzed. */
#ifndef FENCER_LEARN_FRAME_H
#define FENCER_LEARN_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The source MAC of an Ethernet frame if it names a host to learn: the frame
 * is at least a header long, the source is unicast and not all zeros, and it
 * is none of this node's own MACs (own[0..nown)). */
bool learn_frame_source(const uint8_t *frame, size_t len, const uint8_t (*own)[6], size_t nown,
    uint8_t mac[6]);

#endif
