#include <string.h>

#include "fencer/learn_frame.h"

bool learn_frame_source(const uint8_t *frame, size_t len, const uint8_t (*own)[6], size_t nown,
    uint8_t mac[6], uint16_t *vlan)
{
	static const uint8_t zero[6];
	const uint8_t *src = frame + 6;
	uint16_t vid = 0;

	if (len < 14)
		return false;
	if ((frame[12] << 8 | frame[13]) == ETHERTYPE_8021Q_) {
		if (len < 18)
			return false;
		vid = (uint16_t)((frame[14] & 0x0f) << 8 | frame[15]);
		if (vid == 0xfff)
			return false;
	}
	/* Group bit set: multicast or broadcast, never a host's own address. */
	if ((src[0] & 1) || memcmp(src, zero, 6) == 0)
		return false;
	for (size_t i = 0; i < nown; i++)
		if (memcmp(src, own[i], 6) == 0)
			return false;
	memcpy(mac, src, 6);
	*vlan = vid;
	return true;
}
