#include <string.h>

#include "fencer/learn_frame.h"

bool learn_frame_source(const uint8_t *frame, size_t len, const uint8_t (*own)[6], size_t nown,
    uint8_t mac[6])
{
	static const uint8_t zero[6];
	const uint8_t *src = frame + 6;

	if (len < 14)
		return false;
	/* Group bit set: multicast or broadcast, never a host's own address. */
	if ((src[0] & 1) || memcmp(src, zero, 6) == 0)
		return false;
	for (size_t i = 0; i < nown; i++)
		if (memcmp(src, own[i], 6) == 0)
			return false;
	memcpy(mac, src, 6);
	return true;
}
