/* libFuzzer target: what `fencer learn` takes from a captured frame. The
 * input is this node's own MACs, then the frame: byte 0 % 5 says how many
 * own MACs (6 bytes each) follow, the rest is the frame as pcap hands it
 * over. The result (MAC and VLAN) is checked against the rule in
 * learn_frame.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/learn_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* learn_frame.h's rule, written out plainly to compare against. */
static bool expect_host(const uint8_t *frame, size_t len, const uint8_t (*own)[6], size_t nown,
    uint16_t *vlan)
{
	static const uint8_t zero[6];
	bool tagged = len >= 14 && frame[12] == 0x81 && frame[13] == 0x00;

	*vlan = 0;
	if (len < (tagged ? 18u : 14u) || (frame[6] & 1) || memcmp(frame + 6, zero, 6) == 0)
		return false;
	if (tagged)
		*vlan = (uint16_t)(((frame[14] & 0x0f) << 8) | frame[15]);
	if (*vlan == 4095)
		return false;
	for (size_t i = 0; i < nown; i++)
		if (memcmp(frame + 6, own[i], 6) == 0)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t (*own)[6] = NULL;
	uint8_t *frame, mac[6];
	uint16_t vlan = 0xeeee, want_vlan;
	size_t nown, len;
	bool got;

	if (size < 1)
		return 0;
	nown = data[0] % 5;
	if (size - 1 < nown * 6)
		return 0;
	/* Both in exact-size heap blocks, as libpcap's buffer ends at caplen
	 * for all ASan knows: a read past either is caught. */
	if (nown && !(own = malloc(nown * 6)))
		return 0;
	if (nown)
		memcpy(own, data + 1, nown * 6);
	len = size - 1 - nown * 6;
	if (!(frame = malloc(len ? len : 1)))
		goto out;
	memcpy(frame, data + 1 + nown * 6, len);
	memset(mac, 0xee, sizeof mac);
	got = learn_frame_source(frame, len, (const uint8_t (*)[6])own, nown, mac, &vlan);
	if (got != expect_host(frame, len, (const uint8_t (*)[6])own, nown, &want_vlan))
		abort();
	if (got && memcmp(mac, frame + 6, 6) != 0)
		abort();	/* the MAC learned is the frame's source */
	if (got && vlan != want_vlan)
		abort();	/* in the VLAN of its tag, 0 untagged */
	free(frame);
out:
	free(own);
	return 0;
}
