/* fencer learn's pure parts: which captured frames teach a host MAC, and
 * the shadow table (ports, ageing, macs.json). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fencer/learn_frame.h"
#include "fencer/mac_table.h"

static const uint8_t own[2][6] = { { 2, 0, 0, 0, 0, 0xa0 }, { 2, 0, 0, 0, 0, 0xb0 } };

static void frame_from(uint8_t f[60], const uint8_t src[6])
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
}

static void test_frame_source(void **state)
{
	static const uint8_t host[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	static const uint8_t mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t f[60], mac[6];
	uint16_t vlan = 99;

	(void)state;
	frame_from(f, host);
	assert_true(learn_frame_source(f, 60, own, 2, mac, &vlan));
	assert_memory_equal(mac, host, 6);
	assert_int_equal(vlan, 0);
	assert_false(learn_frame_source(f, 13, own, 2, mac, &vlan));	/* truncated */
	frame_from(f, own[1]);
	assert_false(learn_frame_source(f, 60, own, 2, mac, &vlan));	/* this node */
	frame_from(f, mcast);
	assert_false(learn_frame_source(f, 60, own, 2, mac, &vlan));
	frame_from(f, bcast);
	assert_false(learn_frame_source(f, 60, own, 2, mac, &vlan));
	frame_from(f, zero);
	assert_false(learn_frame_source(f, 60, own, 2, mac, &vlan));
}

/* A frame with an 802.1Q tag: the host is in the tag's VLAN; a priority
 * tag (VLAN ID 0) is untagged; VLAN 4095 is reserved; a tag cut short is
 * no header. */
static void test_frame_vlan(void **state)
{
	static const uint8_t host[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	uint8_t f[60], mac[6];
	uint16_t vlan = 99;

	(void)state;
	frame_from(f, host);
	f[12] = 0x81, f[13] = 0x00, f[14] = 0xa0 | 0x0f, f[15] = 0xa5, f[16] = 0x08, f[17] = 0x06;
	assert_true(learn_frame_source(f, 60, own, 2, mac, &vlan));
	assert_int_equal(vlan, 0xfa5);		/* priority 5 and DEI left out */
	assert_memory_equal(mac, host, 6);
	f[14] = 0xa0, f[15] = 0x00;
	assert_true(learn_frame_source(f, 60, own, 2, mac, &vlan));
	assert_int_equal(vlan, 0);
	f[14] = 0x0f, f[15] = 0xff;
	assert_false(learn_frame_source(f, 60, own, 2, mac, &vlan));
	f[14] = 0x00, f[15] = 10;
	assert_false(learn_frame_source(f, 17, own, 2, mac, &vlan));
	assert_true(learn_frame_source(f, 18, own, 2, mac, &vlan));
	assert_int_equal(vlan, 10);
}

static void mac_n(uint8_t m[6], unsigned n)
{
	m[0] = 0x52, m[1] = 0x54, m[2] = 0, m[3] = (uint8_t)(n >> 16), m[4] = (uint8_t)(n >> 8), m[5] = (uint8_t)n;
}

static void test_table_ports_and_moves(void **state)
{
	struct mac_table t = { 0 };
	uint8_t m[6];

	(void)state;
	for (unsigned i = 0; i < 5000; i++) {	/* past several growths */
		mac_n(m, i);
		assert_int_equal(mac_table_see(&t, m, 0, i % 2 ? "em1" : "em0", 1000 + i), 0);
	}
	assert_int_equal(t.n, 5000);
	mac_n(m, 4321);
	assert_string_equal(mac_table_find(&t, m, 0)->port, "em1");
	mac_table_see(&t, m, 0, "em0", 9000);	/* the host moved */
	assert_int_equal(t.n, 5000);
	assert_string_equal(mac_table_find(&t, m, 0)->port, "em0");
	assert_int_equal(mac_table_find(&t, m, 0)->last_seen_ms, 9000);
	mac_n(m, 99999);
	assert_null(mac_table_find(&t, m, 0));
	mac_table_free(&t);
}

static void test_table_ageing(void **state)
{
	struct mac_table t = { 0 };
	uint8_t m[6];

	(void)state;
	for (unsigned i = 0; i < 100; i++) {
		mac_n(m, i);
		mac_table_see(&t, m, 0, "em0", i < 30 ? 1000 : 5000);
	}
	/* At 7000 with age 3000: the 30 seen at 1000 go, the 70 seen at 5000 stay. */
	assert_int_equal(mac_table_age(&t, 7000, 3000), 30);
	assert_int_equal(t.n, 70);
	mac_n(m, 10);
	assert_null(mac_table_find(&t, m, 0));
	mac_n(m, 50);
	assert_non_null(mac_table_find(&t, m, 0));		/* the index was rebuilt */
	mac_table_see(&t, m, 0, "em1", 7000);
	assert_int_equal(t.n, 70);
	assert_int_equal(mac_table_age(&t, 7000, 3000), 0);
	mac_table_free(&t);
}

static void test_json_round_trip(void **state)
{
	struct mac_table t = { 0 }, back = { 0 };
	uint8_t m[6];
	char err[256], *json;

	(void)state;
	mac_n(m, 1);
	mac_table_see(&t, m, 0, "em0", 1700000000123LL);
	mac_n(m, 2);
	mac_table_see(&t, m, 0, "em1", 1700000000456LL);
	json = mac_table_to_json(&t, 1700000001000LL);
	assert_non_null(strstr(json, "\"mac\": \"52:54:00:00:00:01\""));
	assert_int_equal(mac_table_from_json(&back, json, err, sizeof err), 0);
	assert_int_equal(back.n, 2);
	assert_string_equal(mac_table_find(&back, m, 0)->port, "em1");
	assert_int_equal(mac_table_find(&back, m, 0)->last_seen_ms, 1700000000456LL);
	free(json);
	mac_table_free(&t);
	mac_table_free(&back);
}

/* The same MAC in two VLANs is two hosts, each with its port; the VLAN
 * goes through macs.json, and a file without "vlan" (an older fencer's)
 * reads as untagged. */
static void test_table_vlans(void **state)
{
	struct mac_table t = { 0 }, back = { 0 };
	uint8_t m[6];
	char err[256], *json;

	(void)state;
	mac_n(m, 1);
	mac_table_see(&t, m, 10, "em0", 1000);
	mac_table_see(&t, m, 20, "em1", 1000);
	mac_table_see(&t, m, 0, "em1", 1000);
	assert_int_equal(t.n, 3);
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em0");
	assert_string_equal(mac_table_find(&t, m, 20)->port, "em1");
	assert_null(mac_table_find(&t, m, 30));
	json = mac_table_to_json(&t, 2000);
	assert_non_null(strstr(json, "\"vlan\": 20"));
	assert_int_equal(mac_table_from_json(&back, json, err, sizeof err), 0);
	assert_int_equal(back.n, 3);
	assert_int_equal(mac_table_find(&back, m, 10)->vlan, 10);
	assert_string_equal(mac_table_find(&back, m, 20)->port, "em1");
	assert_non_null(mac_table_find(&back, m, 0));
	free(json);
	assert_int_equal(mac_table_from_json(&back, "{\"macs\": [{\"mac\": \"52:54:00:00:00:01\", "
	    "\"port\": \"em0\", \"last_seen\": 1}]}", err, sizeof err), 0);
	assert_int_equal(mac_table_find(&back, m, 0)->vlan, 0);
	assert_int_equal(mac_table_from_json(&back, "{\"macs\": [{\"mac\": \"52:54:00:00:00:01\", "
	    "\"vlan\": 4095, \"port\": \"em0\", \"last_seen\": 1}]}", err, sizeof err), -1);
	assert_int_equal(mac_table_from_json(&back, "{\"macs\": [{\"mac\": \"52:54:00:00:00:01\", "
	    "\"vlan\": \"10\", \"port\": \"em0\", \"last_seen\": 1}]}", err, sizeof err), -1);
	mac_table_free(&t);
	mac_table_free(&back);
}

/* A host's broadcast comes back round the active node to the standby's
 * other port: that copy (later, within MAC_ECHO_US) is no move; a copy
 * read later but captured earlier is the original; a host quiet for longer
 * than that and seen elsewhere has moved. */
static void test_table_echo(void **state)
{
	struct mac_table t = { 0 };
	uint8_t m[6];

	(void)state;
	mac_n(m, 1);
	assert_int_equal(mac_table_see_frame(&t, m, 10, "em0", 1, 5000000), 0);
	mac_table_see_frame(&t, m, 10, "em1", 1, 5000040);		/* the echo */
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em0");
	mac_table_see_frame(&t, m, 10, "em0", 1, 5500000);		/* again */
	mac_table_see_frame(&t, m, 10, "em1", 1, 5500030);
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em0");
	/* another host: its echo read first, its original after */
	mac_n(m, 2);
	mac_table_see_frame(&t, m, 10, "em1", 1, 6000050);
	mac_table_see_frame(&t, m, 10, "em0", 1, 6000000);
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em0");
	mac_table_see_frame(&t, m, 10, "em1", 1, 6000050);
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em0");
	/* host 1 moves to em1: quiet on em0 for longer than the window */
	mac_n(m, 1);
	mac_table_see_frame(&t, m, 10, "em1", 1, 5500000 + MAC_ECHO_US);
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em1");
	/* the same MAC in another VLAN is another host */
	mac_table_see_frame(&t, m, 20, "em0", 1, 5500000 + MAC_ECHO_US + 10);
	assert_string_equal(mac_table_find(&t, m, 20)->port, "em0");
	assert_string_equal(mac_table_find(&t, m, 10)->port, "em1");
	mac_table_free(&t);
}

static void test_json_refused(void **state)
{
	struct mac_table t = { 0 };
	uint8_t m[6];
	char err[256];

	(void)state;
	mac_n(m, 7);
	mac_table_see(&t, m, 0, "em0", 1);
	assert_int_equal(mac_table_from_json(&t, "{", err, sizeof err), -1);
	assert_int_equal(mac_table_from_json(&t, "{\"macs\": 3}", err, sizeof err), -1);
	assert_int_equal(mac_table_from_json(&t, "{\"macs\": [{\"mac\": \"33:33:00:00:00:01\", "
	    "\"port\": \"em0\", \"last_seen\": 1}]}", err, sizeof err), -1);	/* multicast */
	assert_non_null(strstr(err, "entry 1"));
	assert_int_equal(mac_table_from_json(&t, "{\"macs\": [{\"mac\": \"52:54:00:00:00:01\", "
	    "\"port\": \"a-port-name-too-long\", \"last_seen\": 1}]}", err, sizeof err), -1);
	/* Never half read: the table is as it was. */
	assert_int_equal(t.n, 1);
	assert_non_null(mac_table_find(&t, m, 0));
	mac_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_source),
		cmocka_unit_test(test_frame_vlan),
		cmocka_unit_test(test_table_vlans),
		cmocka_unit_test(test_table_echo),
		cmocka_unit_test(test_table_ports_and_moves),
		cmocka_unit_test(test_table_ageing),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
