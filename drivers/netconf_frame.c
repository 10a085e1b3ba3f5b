/*
 * NETCONF framing (RFC 6242): the end-of-message marker of NETCONF 1.0
 * and the chunked framing of 1.1. Pure, so that the unit tests and the
 * fuzz target drive it with any bytes.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/netconf_frame.h"

int nc_frame(enum nc_framing f, size_t len, char head[16], const char **tail)
{
	if (f == NC_EOM) {
		head[0] = '\0';
		*tail = NC_EOM_MARK;
		return 0;
	}
	if (len == 0 || len > NC_CHUNK_MAX)
		return -1;
	snprintf(head, 16, "\n#%zu\n", len);
	*tail = "\n##\n";
	return 0;
}

static int unframe_eom(const char *in, size_t len, char *out, size_t cap, size_t *outlen, size_t *used,
    char *err, size_t errlen)
{
	const char *end = memmem(in, len, NC_EOM_MARK, 6);
	size_t n;

	if (!end) {
		/* A marker cannot start further back than its own length. */
		if (len > cap + 6) {
			snprintf(err, errlen, "a message longer than %zu bytes", cap - 1);
			return -1;
		}
		return 0;
	}
	n = (size_t)(end - in);
	if (n >= cap) {
		snprintf(err, errlen, "a message longer than %zu bytes", cap - 1);
		return -1;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	*outlen = n;
	*used = n + 6;
	return 1;
}

/* RFC 6242 4.2: chunk = LF HASH chunk-size LF chunk-data; end-of-chunks =
 * LF HASH HASH LF; chunk-size = [1-9][0-9]*, at most 4294967295. */
static int unframe_chunked(const char *in, size_t len, char *out, size_t cap, size_t *outlen, size_t *used,
    char *err, size_t errlen)
{
	size_t pos = 0, n = 0;

	/* Blanks between messages (a newline some servers send after the
	 * hello's ]]>]]>) are not a chunk: skipped, up to the next "\n#". */
	while (pos < len && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\r' || in[pos] == '\n')) {
		if (in[pos] == '\n' && (pos + 1 == len || in[pos + 1] == '#'))
			break;
		pos++;
	}
	for (;;) {
		unsigned long size = 0;
		size_t digits = 0;

		if (len - pos < 3)
			return 0;
		if (in[pos] != '\n' || in[pos + 1] != '#') {
			snprintf(err, errlen, "chunked framing: expected a chunk header at byte %zu, got 0x%02x 0x%02x",
			    pos, (unsigned char)in[pos], (unsigned char)in[pos + 1]);
			return -1;
		}
		if (in[pos + 2] == '#') {
			if (len - pos < 4)
				return 0;
			if (in[pos + 3] != '\n') {
				snprintf(err, errlen, "chunked framing: end-of-chunks not followed by a newline");
				return -1;
			}
			if (n == 0) {
				snprintf(err, errlen, "chunked framing: end-of-chunks before any chunk");
				return -1;
			}
			out[n] = '\0';
			*outlen = n;
			*used = pos + 4;
			return 1;
		}
		pos += 2;
		while (pos < len && in[pos] >= '0' && in[pos] <= '9') {
			if (digits == 0 && in[pos] == '0') {
				snprintf(err, errlen, "chunked framing: a chunk size starts with 0");
				return -1;
			}
			if (++digits > 10 || (size = size * 10 + (unsigned long)(in[pos] - '0')) > NC_CHUNK_MAX) {
				snprintf(err, errlen, "chunked framing: a chunk size over %lu", NC_CHUNK_MAX);
				return -1;
			}
			pos++;
		}
		if (pos == len)
			return 0;
		if (digits == 0 || in[pos] != '\n') {
			snprintf(err, errlen, "chunked framing: a bad chunk size (0x%02x after %zu digits)",
			    (unsigned char)in[pos], digits);
			return -1;
		}
		pos++;
		if (size >= cap - n) {
			snprintf(err, errlen, "a message longer than %zu bytes", cap - 1);
			return -1;
		}
		if (len - pos < size)
			return 0;
		memcpy(out + n, in + pos, size);
		n += size;
		pos += size;
	}
}

int nc_unframe(enum nc_framing f, const char *in, size_t len, char *out, size_t cap, size_t *outlen,
    size_t *used, char *err, size_t errlen)
{
	if (cap == 0)
		return -1;
	if (f == NC_EOM)
		return unframe_eom(in, len, out, cap, outlen, used, err, errlen);
	return unframe_chunked(in, len, out, cap, outlen, used, err, errlen);
}
