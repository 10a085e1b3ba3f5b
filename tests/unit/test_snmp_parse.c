/* The pure part of the snmp and 3com drivers: port names against walked
 * IF-MIB tables, FDB walk decoding, selection and delete OIDs. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "drivers/snmp_parse.h"

static void put(struct snmp_iftable *t, long ifindex, const char *name, const char *descr)
{
	if (name)
		assert_int_equal(snmp_iftable_put(t, ifindex, SNMP_IF_NAME, name, strlen(name)), 0);
	if (descr)
		assert_int_equal(snmp_iftable_put(t, ifindex, SNMP_IF_DESCR, descr, strlen(descr)), 0);
}

/* A switch: Gi1/0/1 (descr "GigabitEthernet1/0/1"), Gi1/0/2 whose ifDescr
 * is also "uplink", and a VLAN interface whose ifName is "uplink". */
static void a_switch(struct snmp_iftable *t)
{
	*t = (struct snmp_iftable){ 0 };
	put(t, 1, "Gi1/0/1", "GigabitEthernet1/0/1");
	put(t, 2, "Gi1/0/2", "uplink");
	put(t, 100, "uplink", "Vlan-interface1");
	put(t, 7, NULL, "port 7");		/* no ifXTable row */
	put(t, 12, "12", "GigabitEthernet1/0/12");
}

static void test_port_is_index(void **state)
{
	long v = 0;

	(void)state;
	assert_true(snmp_port_is_index("12", &v));
	assert_int_equal(v, 12);
	assert_true(snmp_port_is_index("2147483647", &v));
	assert_false(snmp_port_is_index("2147483648", &v));
	assert_false(snmp_port_is_index("99999999999999999999999", &v));
	assert_false(snmp_port_is_index("0", &v));
	assert_false(snmp_port_is_index("012", &v));
	assert_false(snmp_port_is_index("", &v));
	assert_false(snmp_port_is_index("1/0/1", &v));
	assert_false(snmp_port_is_index("-3", &v));
}

static void test_resolve_found(void **state)
{
	struct snmp_iftable t;
	char err[512] = "";
	long ifindex = 0;

	(void)state;
	a_switch(&t);
	assert_int_equal(snmp_port_resolve(&t, "Gi1/0/1", &ifindex, err, sizeof err), SNMP_PORT_FOUND);
	assert_int_equal(ifindex, 1);
	assert_int_equal(snmp_port_resolve(&t, "GigabitEthernet1/0/1", &ifindex, err, sizeof err), SNMP_PORT_FOUND);
	assert_int_equal(ifindex, 1);
	assert_int_equal(snmp_port_resolve(&t, "port 7", &ifindex, err, sizeof err), SNMP_PORT_FOUND);
	assert_int_equal(ifindex, 7);
	assert_int_equal(snmp_port_resolve(&t, "100", &ifindex, err, sizeof err), SNMP_PORT_FOUND);
	assert_int_equal(ifindex, 100);
	/* "12" is ifIndex 12 and the ifName of ifIndex 12: one interface */
	assert_int_equal(snmp_port_resolve(&t, "12", &ifindex, err, sizeof err), SNMP_PORT_FOUND);
	assert_int_equal(ifindex, 12);
	/* exact: no prefix, no case folding */
	assert_int_equal(snmp_port_resolve(&t, "gi1/0/1", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	assert_int_equal(snmp_port_resolve(&t, "Gi1/0", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	snmp_iftable_free(&t);
}

static void test_resolve_unknown_lists(void **state)
{
	struct snmp_iftable t;
	char err[512] = "";
	long ifindex = -1;

	(void)state;
	a_switch(&t);
	assert_int_equal(snmp_port_resolve(&t, "Gi9/9", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	assert_int_equal(ifindex, -1);
	assert_non_null(strstr(err, "'Gi9/9'"));
	assert_non_null(strstr(err, "the switch has 5: Gi1/0/1 (ifIndex 1), Gi1/0/2 (ifIndex 2), "
	    "uplink (ifIndex 100), port 7 (ifIndex 7), 12 (ifIndex 12)"));
	/* a number that is no ifIndex */
	assert_int_equal(snmp_port_resolve(&t, "3", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	snmp_iftable_free(&t);
	assert_int_equal(snmp_port_resolve(&t, "x", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	assert_non_null(strstr(err, "the switch lists no interface"));
}

static void test_resolve_ambiguous(void **state)
{
	struct snmp_iftable t;
	char err[512] = "";
	long ifindex = -1;

	(void)state;
	a_switch(&t);
	assert_int_equal(snmp_port_resolve(&t, "uplink", &ifindex, err, sizeof err), SNMP_PORT_AMBIGUOUS);
	assert_int_equal(ifindex, -1);
	assert_non_null(strstr(err, "'uplink' is ambiguous: it names 2 interfaces: Gi1/0/2 (ifIndex 2), "
	    "uplink (ifIndex 100)"));
	/* a number that is one interface's ifIndex and another's ifName */
	put(&t, 5, "7", "port 5");
	assert_int_equal(snmp_port_resolve(&t, "7", &ifindex, err, sizeof err), SNMP_PORT_AMBIGUOUS);
	assert_non_null(strstr(err, "(ifIndex 7)"));
	assert_non_null(strstr(err, "(ifIndex 5)"));
	snmp_iftable_free(&t);
}

static void test_messages_bounded_and_printable(void **state)
{
	struct snmp_iftable t = { 0 };
	char err[64], name[32];
	long ifindex;

	(void)state;
	for (long i = 1; i <= 200; i++) {
		snprintf(name, sizeof name, "GigabitEthernet1/0/%ld", i);
		put(&t, i, name, NULL);
	}
	put(&t, 300, "bad\x1b[2Jname", NULL);
	assert_int_equal(snmp_port_resolve(&t, "nope", &ifindex, err, sizeof err), SNMP_PORT_UNKNOWN);
	assert_true(strlen(err) < sizeof err);
	{
		char big[8192] = "";

		assert_int_equal(snmp_port_resolve(&t, "nope", &ifindex, big, sizeof big), SNMP_PORT_UNKNOWN);
		assert_non_null(strstr(big, "bad?[2Jname (ifIndex 300)"));
		assert_null(strchr(big, '\x1b'));
	}
	/* a value with a NUL inside is cut there; the index must be valid */
	assert_int_equal(snmp_iftable_put(&t, 0, SNMP_IF_NAME, "x", 1), -1);
	assert_int_equal(snmp_iftable_put(&t, 2147483648L, SNMP_IF_NAME, "x", 1), -1);
	snmp_iftable_free(&t);
}

static void test_oid_helpers(void **state)
{
	const snmp_subid base[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 };
	const snmp_subid in[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 42 };
	const snmp_subid out[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 2, 1 };
	const snmp_subid *suffix;
	size_t slen;
	char buf[64];

	(void)state;
	assert_true(snmp_oid_below(in, 12, base, 11, &suffix, &slen));
	assert_int_equal(slen, 1);
	assert_int_equal(suffix[0], 42);
	assert_false(snmp_oid_below(out, 12, base, 11, &suffix, &slen));
	assert_false(snmp_oid_below(base, 11, base, 11, &suffix, &slen));	/* the base itself */
	assert_false(snmp_oid_below(base, 5, base, 11, &suffix, &slen));
	assert_string_equal(snmp_oid_format(in, 12, buf, sizeof buf), "1.3.6.1.2.1.31.1.1.1.1.42");
	assert_string_equal(snmp_oid_format(in, 12, buf, 8), "1.3.6.1");
}

static const snmp_subid m1[] = { 0x52, 0x54, 0, 0, 0, 1 };
static const snmp_subid m2[] = { 0x52, 0x54, 0, 0, 0, 2 };
static const snmp_subid m3[] = { 0x52, 0x54, 0, 0, 0, 3 };

/* dot1qTpFdbPort.<fdb>.<mac> */
static void qport(struct fdb *f, snmp_subid fdbid, const snmp_subid mac[6], long bport)
{
	snmp_subid s[7] = { fdbid };

	memcpy(s + 1, mac, 6 * sizeof *s);
	assert_int_equal(fdb_put_qport(f, s, 7, bport), 0);
}

static void qstatus(struct fdb *f, snmp_subid fdbid, const snmp_subid mac[6], long status)
{
	snmp_subid s[7] = { fdbid };

	memcpy(s + 1, mac, 6 * sizeof *s);
	assert_int_equal(fdb_put_qstatus(f, s, 7, status), 0);
}

static void bport(struct bport_map *m, snmp_subid port, long ifindex)
{
	assert_int_equal(bport_map_put(m, &port, 1, ifindex), 0);
}

static void test_fdb_qbridge(void **state)
{
	struct fdb f = { 0 };
	struct bport_map map = { 0 };
	size_t sel[8], unknown;
	long port5 = 5, ports[] = { 5, 6 };

	(void)state;
	qport(&f, 1, m1, 1);
	qport(&f, 1, m2, 2);
	qport(&f, 10, m1, 2);		/* the same MAC in VLAN 10 on another port */
	qport(&f, 1, m3, 2);
	qstatus(&f, 1, m1, FDB_LEARNED);
	qstatus(&f, 1, m2, FDB_LEARNED);
	qstatus(&f, 10, m1, FDB_LEARNED);
	qstatus(&f, 1, m3, FDB_MGMT);	/* static: never deleted */
	qstatus(&f, 99, m3, FDB_LEARNED);	/* no such row: ignored */
	assert_int_equal(f.n, 4);
	bport(&map, 1, 5);
	bport(&map, 2, 6);
	fdb_map_ports(&f, &map);
	assert_int_equal(f.v[0].ifindex, 5);
	assert_int_equal(f.v[2].ifindex, 6);

	assert_int_equal(fdb_select(&f, &port5, 1, sel, &unknown), 1);
	assert_int_equal(sel[0], 0);
	assert_int_equal(f.v[sel[0]].vlan, 1);
	assert_int_equal(fdb_select(&f, ports, 2, sel, &unknown), 3);
	assert_int_equal(fdb_select(&f, NULL, 0, sel, &unknown), 3);	/* all: m3 is static */
	assert_int_equal(sel[0], 0);
	assert_int_equal(sel[1], 1);
	assert_int_equal(sel[2], 2);
	assert_int_equal(unknown, 0);
	{
		long nobody = 77;

		assert_int_equal(fdb_select(&f, &nobody, 1, sel, &unknown), 0);
	}
	bport_map_free(&map);
	fdb_free(&f);
}

static void test_fdb_bridge_mib_and_status(void **state)
{
	struct fdb f = { 0 };
	struct bport_map map = { 0 };
	size_t sel[8], unknown;

	(void)state;
	/* BRIDGE-MIB only: dot1dTpFdbPort.<mac>, VLAN unknown = 1 */
	assert_int_equal(fdb_put_dport(&f, m1, 6, 3), 0);
	assert_int_equal(fdb_put_dport(&f, m2, 6, 3), 0);
	assert_int_equal(fdb_put_dport(&f, m3, 6, 4), 0);
	assert_int_equal(f.v[0].vlan, 1);
	assert_int_equal(fdb_put_dstatus(&f, m1, 6, FDB_LEARNED), 0);
	assert_int_equal(fdb_put_dstatus(&f, m2, 6, FDB_SELF), 0);
	/* m3 has no status row: left alone, and counted */
	bport(&map, 3, 30);
	bport(&map, 4, 40);
	fdb_map_ports(&f, &map);
	assert_int_equal(fdb_select(&f, NULL, 0, sel, &unknown), 1);
	assert_int_equal(sel[0], 0);
	assert_int_equal(unknown, 1);
	/* dot1dTpFdbStatus fills only what Q-BRIDGE did not say */
	f.v[1].status = FDB_LEARNED;
	assert_int_equal(fdb_put_dstatus(&f, m2, 6, FDB_MGMT), 0);
	assert_int_equal(f.v[1].status, FDB_LEARNED);
	/* out-of-range status values are "other", never "learned" */
	assert_int_equal(fdb_put_dstatus(&f, m3, 6, 3333), 0);
	assert_int_equal(f.v[2].status, FDB_OTHER);
	bport_map_free(&map);
	fdb_free(&f);
}

static void test_fdb_bad_indexes(void **state)
{
	struct fdb f = { 0 };
	struct bport_map map = { 0 };
	const snmp_subid bad_mac[] = { 1, 0x52, 0x54, 256, 0, 0, 1 };
	const snmp_subid vlan0[] = { 0, 0x52, 0x54, 0, 0, 0, 1 };
	const snmp_subid vlan_big[] = { 4095, 0x52, 0x54, 0, 0, 0, 1 };
	const snmp_subid port0 = 0, port_big = 70000;

	(void)state;
	assert_int_equal(fdb_put_qport(&f, bad_mac, 7, 1), -1);
	assert_int_equal(fdb_put_qport(&f, vlan0, 7, 1), -1);
	assert_int_equal(fdb_put_qport(&f, vlan_big, 7, 1), -1);
	assert_int_equal(fdb_put_qport(&f, m1, 6, 1), -1);		/* too short */
	assert_int_equal(fdb_put_dport(&f, bad_mac, 7, 1), -1);		/* too long */
	assert_int_equal(fdb_put_dport(&f, bad_mac + 1, 6, 1), -1);	/* octet 256 */
	assert_int_equal(fdb_put_qstatus(&f, m1, 6, 3), -1);
	assert_int_equal(fdb_put_dstatus(&f, m1, 5, 3), -1);
	assert_int_equal(f.n, 0);
	assert_int_equal(bport_map_put(&map, &port0, 1, 3), -1);
	assert_int_equal(bport_map_put(&map, &port_big, 1, 3), -1);
	assert_int_equal(bport_map_put(&map, m1, 2, 3), -1);
	assert_int_equal(bport_map_put(&map, m1 + 5, 1, 0), -1);	/* ifIndex 0 */
	assert_int_equal(map.n, 0);
	/* an entry on an unmapped bridge port matches no port, only "all" */
	qport(&f, 1, m1, 9);
	qstatus(&f, 1, m1, FDB_LEARNED);
	fdb_map_ports(&f, &map);
	{
		size_t sel[1], unknown;
		long zero = 0;

		assert_int_equal(fdb_select(&f, &zero, 1, sel, &unknown), 0);
		assert_int_equal(fdb_select(&f, NULL, 0, sel, &unknown), 1);
	}
	fdb_free(&f);
}

static void test_delete_oid(void **state)
{
	const snmp_subid table[] = { 1, 3, 6, 1, 4, 1, 43, 45, 1, 2, 23, 1, 3, 2, 1 };
	struct fdb_entry e = { .vlan = 10, .mac = { 0x00, 0x1b, 0x21, 0xab, 0xcd, 0xef } };
	snmp_subid out[SNMP_OID_MAX];
	char buf[128], mac[18];
	size_t len;

	(void)state;
	len = fdb_delete_oid(&e, table, 15, out, SNMP_OID_MAX);
	assert_int_equal(len, 23);
	assert_string_equal(snmp_oid_format(out, len, buf, sizeof buf),
	    "1.3.6.1.4.1.43.45.1.2.23.1.3.2.1.4.10.0.27.33.171.205.239");
	assert_int_equal(fdb_delete_oid(&e, table, 15, out, 22), 0);
	assert_string_equal(fdb_mac_format(e.mac, mac), "00:1b:21:ab:cd:ef");
}


/* The wiring check's read of one port: learned and static entries, not
 * the switch's own; a 3Com table gives the ifIndex itself. */
static void test_fdb_port_macs(void **state)
{
	struct fdb f = { 0 };
	struct bport_map map = { 0 };
	struct mac_list macs = { 0 };
	snmp_subid h3c[7] = { 1, 0x52, 0x54, 0, 0, 0, 9 };
	static const uint8_t b1[6] = { 0x52, 0x54, 0, 0, 0, 1 }, b9[6] = { 0x52, 0x54, 0, 0, 0, 9 };

	(void)state;
	qport(&f, 1, m1, 1);
	qport(&f, 10, m1, 1);		/* one MAC in two VLANs: once */
	qport(&f, 1, m2, 1);
	qport(&f, 1, m3, 2);
	qstatus(&f, 1, m2, FDB_SELF);	/* the switch's own: not a neighbour's */
	bport(&map, 1, 5);
	bport(&map, 2, 6);
	fdb_map_ports(&f, &map);
	assert_int_equal(fdb_port_macs(&f, 5, &macs), 2);
	assert_int_equal(macs.n, 1);
	assert_memory_equal(macs.v[0], b1, 6);
	assert_int_equal(fdb_port_macs(&f, 7, &macs), 0);
	mac_list_free(&macs);
	fdb_free(&f);
	bport_map_free(&map);
	assert_int_equal(fdb_put_h3c_port(&f, h3c, 7, 12), 0);
	assert_int_equal(fdb_put_h3c_port(&f, h3c, 6, 12), -1);
	assert_int_equal(fdb_put_h3c_port(&f, h3c, 7, 0), -1);
	assert_int_equal(fdb_port_macs(&f, 12, &macs), 1);
	assert_memory_equal(macs.v[0], b9, 6);
	mac_list_free(&macs);
	fdb_free(&f);
}

static void rem(struct lldp_tables *t, int col, snmp_subid port, snmp_subid idx, const char *text, long ival)
{
	snmp_subid s[3] = { 200, port, idx };

	assert_int_equal(lldp_rem_put(t, col, s, 3, (const uint8_t *)text, text ? strlen(text) : 0, ival), 0);
}

/* LLDP-MIB as lldpd's AgentX sub-agent serves it (the lab's swb): the
 * local port numbered by ifIndex, its description the ifName; chassis and
 * port IDs as MACs. And a switch that names its ports in lldpLocPortId. */
static void test_lldp_mib(void **state)
{
	struct lldp_tables t = { 0 };
	struct lldp_list out = { 0 };
	static const uint8_t mac[6] = { 0x96, 0x06, 0xd0, 0x3d, 0x12, 0x97 };
	snmp_subid two = 2, seven = 7, bad[3] = { 1, 0, 1 };

	(void)state;
	rem(&t, LLDP_REM_CHASSIS_SUBTYPE, 2, 1, NULL, 4);
	assert_int_equal(lldp_rem_put(&t, LLDP_REM_CHASSIS, (snmp_subid[]){ 200, 2, 1 }, 3, mac, 6, 0), 0);
	rem(&t, LLDP_REM_PORT_SUBTYPE, 2, 1, NULL, 3);
	assert_int_equal(lldp_rem_put(&t, LLDP_REM_PORT_ID, (snmp_subid[]){ 200, 2, 1 }, 3, mac, 6, 0), 0);
	rem(&t, LLDP_REM_PORT_DESCR, 2, 1, "a0", 0);
	rem(&t, LLDP_REM_SYSNAME, 2, 1, "fw1", 0);
	rem(&t, 10, 2, 1, "Debian GNU/Linux", 0);	/* other columns: ignored */
	rem(&t, LLDP_REM_PORT_SUBTYPE, 3, 1, NULL, 5);
	rem(&t, LLDP_REM_PORT_ID, 3, 1, "b0\x1b[2J", 0);
	rem(&t, LLDP_REM_SYSNAME, 3, 1, "fw2", 0);
	assert_int_equal(lldp_rem_put(&t, LLDP_REM_SYSNAME, bad, 3, NULL, 0, 0), -1);
	assert_int_equal(lldp_rem_put(&t, LLDP_REM_SYSNAME, bad, 2, NULL, 0, 0), -1);
	assert_int_equal(lldp_loc_put(&t, LLDP_LOC_PORT_SUBTYPE, &two, 1, NULL, 0, 3), 0);
	assert_int_equal(lldp_loc_put(&t, LLDP_LOC_PORT_DESCR, &two, 1, (const uint8_t *)"gi2", 3, 0), 0);
	assert_int_equal(lldp_loc_put(&t, LLDP_LOC_PORT_SUBTYPE, &seven, 1, NULL, 0, 5), 0);
	assert_int_equal(lldp_loc_put(&t, LLDP_LOC_PORT_ID, &seven, 1, (const uint8_t *)"Gi1/0/3", 7, 0), 0);
	/* by description, by name, else the ifIndex */
	assert_int_equal(lldp_local_port(&t, 40, "gi2", NULL), 2);
	assert_int_equal(lldp_local_port(&t, 41, "x", "Gi1/0/3"), 7);
	assert_int_equal(lldp_local_port(&t, 3, "port3", "port3"), 3);
	lldp_neighbors_on(&t, 2, &out);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].sysname, "fw1");
	assert_string_equal(out.v[0].chassis, "96:06:d0:3d:12:97");
	assert_string_equal(out.v[0].port_id, "96:06:d0:3d:12:97");
	assert_string_equal(out.v[0].port_descr, "a0");
	lldp_neighbors_on(&t, 3, &out);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.v[1].port_id, "62:30:1b:5b:32:4a");	/* not printable: hex */
	lldp_list_free(&out);
	lldp_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_is_index),
		cmocka_unit_test(test_resolve_found),
		cmocka_unit_test(test_resolve_unknown_lists),
		cmocka_unit_test(test_resolve_ambiguous),
		cmocka_unit_test(test_messages_bounded_and_printable),
		cmocka_unit_test(test_oid_helpers),
		cmocka_unit_test(test_fdb_qbridge),
		cmocka_unit_test(test_fdb_bridge_mib_and_status),
		cmocka_unit_test(test_fdb_bad_indexes),
		cmocka_unit_test(test_delete_oid),
		cmocka_unit_test(test_fdb_port_macs),
		cmocka_unit_test(test_lldp_mib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
