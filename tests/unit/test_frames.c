/* Announce frames, byte for byte against frames written out by hand from
 * the RFCs fencer/frames.h names, and QEMU's round schedule. */
#include <string.h>

#include "testutil.h"
#include "fencer/announce.h"
#include "fencer/frames.h"

static const uint8_t host[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t ifmac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };

static struct frame_builder *builder(void)
{
	char err[256];
	struct frame_builder *b = frame_builder_new(err, sizeof err);

	if (!b)
		fail_msg("%s", err);
	return b;
}

static void test_rarp(void **state)
{
	static const uint8_t want[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,		/* broadcast */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56,		/* src = host */
		0x80, 0x35,					/* RARP */
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x03,	/* Ethernet, IPv4, 6, 4, op 3 */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0, 0, 0, 0,	/* sha, spa 0.0.0.0 */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0, 0, 0, 0,	/* tha, tpa 0.0.0.0 */
		/* 18 bytes of padding: zero */
	};
	uint8_t got[FRAME_MAX_LEN];
	struct frame_builder *b = builder();

	(void)state;
	memset(got, 0xee, sizeof got);
	assert_int_equal(frame_rarp(b, got, host, 0), 60);
	assert_memory_equal(got, want, 60);
	/* the next one updates the same blocks: nothing of the first stays */
	memset(got, 0xee, sizeof got);
	assert_int_equal(frame_rarp(b, got, ifmac, 0), 60);
	assert_memory_equal(got + 6, ifmac, 6);
	assert_memory_equal(got + 22, ifmac, 6);
	assert_memory_equal(got + 32, ifmac, 6);
	assert_memory_equal(got + 42, want + 42, 18);
	frame_builder_free(b);
}

static void test_garp(void **state)
{
	static const uint8_t ip[4] = { 192, 0, 2, 1 };
	static const uint8_t want[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,
		0x08, 0x06,					/* ARP */
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,	/* request */
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 192, 0, 2, 1,	/* sha = port MAC, spa */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 192, 0, 2, 1,	/* tha broadcast, tpa = spa */
	};
	uint8_t got[FRAME_MAX_LEN];
	struct frame_builder *b = builder();

	(void)state;
	memset(got, 0xee, sizeof got);
	assert_int_equal(frame_garp(b, got, ifmac, ip, 0), 60);
	assert_memory_equal(got, want, 60);
	frame_builder_free(b);
}

static void test_na(void **state)
{
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };	/* 2001:db8::1 */
	static const uint8_t want[86] = {
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01,		/* ff02::1 mapped */
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,
		0x86, 0xdd,
		0x60, 0, 0, 0, 0x00, 0x20, 58, 255,		/* v6, payload 32, ICMPv6, hop limit 255 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,	/* src */
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,		/* dst */
		136, 0, 0x3c, 0xb5,				/* NA, code 0, checksum (RFC 4443, computed apart) */
		0x20, 0, 0, 0,					/* override */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,	/* target */
		2, 1, 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc,	/* target link-layer address */
	};
	uint8_t got[FRAME_MAX_LEN];
	struct frame_builder *b = builder();

	(void)state;
	assert_int_equal(frame_na(b, got, ifmac, ip6, 0), 86);
	assert_memory_equal(got, want, 86);
	frame_builder_free(b);
}

static void test_describe(void **state)
{
	uint8_t f[FRAME_MAX_LEN];
	char line[200];
	struct frame_builder *b = builder();

	(void)state;
	frame_rarp(b, f, host, 0);
	frame_describe(f, FRAME_RARP_LEN, line, sizeof line);
	assert_non_null(strstr(line, "rarp src 52:54:00:12:34:56"));
	frame_describe(f, 10, line, sizeof line);
	assert_non_null(strstr(line, "short"));
	frame_rarp(b, f, host, 20);
	frame_describe(f, FRAME_RARP_LEN + FRAME_TAG_LEN, line, sizeof line);
	assert_string_equal(line, "vlan 20: rarp src 52:54:00:12:34:56 op 3 (reverse request) for 52:54:00:12:34:56");
	frame_builder_free(b);
}

/* IEEE 802.1Q: the tag (TPID 0x8100, priority 0, DEI 0, VLAN ID) sits
 * between the source MAC and the frame's own type; the rest, padding and
 * checksums included, is the untagged frame's, byte for byte. A frame
 * built untagged after a tagged one (and back) keeps no block of the
 * other. */
static void test_tagged(void **state)
{
	static const uint8_t ip[4] = { 192, 0, 2, 1 };
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	uint8_t plain[FRAME_MAX_LEN], got[FRAME_MAX_LEN];
	struct frame_builder *b = builder();
	size_t n;

	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		size_t len = kind == 2 ? FRAME_NA_LEN : FRAME_RARP_LEN;

		memset(got, 0xee, sizeof got);
		n = kind == 0 ? frame_rarp(b, plain, host, 0) : kind == 1 ? frame_garp(b, plain, ifmac, ip, 0) :
		    frame_na(b, plain, ifmac, ip6, 0);
		assert_int_equal(n, len);
		n = kind == 0 ? frame_rarp(b, got, host, 0xabc) : kind == 1 ? frame_garp(b, got, ifmac, ip, 0xabc) :
		    frame_na(b, got, ifmac, ip6, 0xabc);
		assert_int_equal(n, len + 4);
		assert_memory_equal(got, plain, 12);
		assert_memory_equal(got + 12, ((uint8_t[]){ 0x81, 0x00, 0x0a, 0xbc }), 4);
		assert_memory_equal(got + 16, plain + 12, len - 12);
		assert_int_equal(frame_vlan(got, n), 0xabc);
		assert_int_equal(frame_vlan(plain, len), 0);
		/* and untagged again: the tagged context did not leak into it */
		n = kind == 0 ? frame_rarp(b, got, host, 0) : kind == 1 ? frame_garp(b, got, ifmac, ip, 0) :
		    frame_na(b, got, ifmac, ip6, 0);
		assert_int_equal(n, len);
		assert_memory_equal(got, plain, len);
	}
	frame_builder_free(b);
}

/* fencer.conf(5), [announce]: rounds 5, initial 50, step 100, max 550: 0, 50, 200, 450, 800 ms. */
static void test_schedule(void **state)
{
	struct announce_config a = { .rounds = 5, .initial_ms = 50, .step_ms = 100, .max_ms = 550 };
	static const long want[] = { 0, 50, 200, 450, 800 };

	(void)state;
	for (int r = 0; r < 5; r++)
		assert_int_equal(announce_offset_ms(&a, r), want[r]);
	a.max_ms = 120;			/* gaps capped: 50, 120, 120, 120 */
	assert_int_equal(announce_offset_ms(&a, 4), 50 + 120 * 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rarp),
		cmocka_unit_test(test_garp),
		cmocka_unit_test(test_na),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_tagged),
		cmocka_unit_test(test_schedule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
