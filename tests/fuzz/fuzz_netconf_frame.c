/* libFuzzer target: the NETCONF framing reader on whatever a switch sends,
 * in both framings, message after message as the driver takes them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/netconf_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[4096];
	char err[200];

	for (int f = NC_EOM; f <= NC_CHUNKED; f++) {
		size_t pos = 0;

		for (;;) {
			size_t outlen = 0, used = 0;
			int rc = nc_unframe((enum nc_framing)f, (const char *)data + pos, size - pos, out, sizeof out,
			    &outlen, &used, err, sizeof err);

			if (rc != 1)
				break;
			/* a message is NUL-terminated, inside out, and took bytes */
			if (outlen >= sizeof out || out[outlen] != '\0' || used == 0 || used > size - pos)
				abort();
			pos += used;
		}
	}
	return 0;
}
