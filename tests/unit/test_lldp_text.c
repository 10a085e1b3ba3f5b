/* LLDP neighbours from "Key : value" blocks, in Comware's verbose shape
 * and Dell OS6's detail shape (docs/switches/). */
#include <string.h>

#include "testutil.h"
#include "drivers/lldp_text.h"
#include "fencer/wiring.h"

static const struct lldp_text_keys comware = {
	.start = "LLDP neighbor index", .chassis = "Chassis ID", .port_id = "Port ID",
	.port_descr = "Port description", .sysname = "System name", .header = "LLDP neighbor-information of port",
};
static const struct lldp_text_keys dell = {
	.start = "Remote Identifier", .chassis = "Chassis ID", .port_id = "Port ID",
	.port_descr = "Port Description", .sysname = "System Name", .header = "Local Interface",
};

static void test_comware(void **state)
{
	struct lldp_list l = { 0 };

	(void)state;
	assert_true(lldp_text_neighbors("[HPE]display lldp neighbor-information interface GigabitEthernet1/0/1 verbose\n"
	    "LLDP neighbor-information of port 1[GigabitEthernet1/0/1]:\n"
	    "LLDP agent nearest-bridge:\n"
	    " LLDP neighbor index : 1\n"
	    " Chassis type        : MAC address\n"
	    " Chassis ID          : 02CF-0000-0101\n"
	    " Port ID type        : Interface name\n"
	    " Port ID             : eth0\n"
	    " Port description    : uplink a0\n"
	    " System name         : fw1\n"
	    " LLDP neighbor index : 2\n"
	    " Chassis ID          : 0001-0203-0405\n"
	    " Port ID             : 0001-0203-0406\n"
	    " System name         : \n"
	    "[HPE]", &comware, &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].chassis, "02:cf:00:00:01:01");	/* H-H-H as the wiring check reads MACs */
	assert_string_equal(l.v[0].port_id, "eth0");
	assert_string_equal(l.v[0].port_descr, "uplink a0");
	assert_string_equal(l.v[0].sysname, "fw1");
	assert_string_equal(l.v[1].chassis, "00:01:02:03:04:05");
	assert_string_equal(l.v[1].port_id, "00:01:02:03:04:06");
	assert_string_equal(l.v[1].sysname, "");
	lldp_list_free(&l);
	/* no neighbour: no header, nothing */
	assert_false(lldp_text_neighbors("[HPE]display lldp neighbor-information interface GE1/0/1 verbose\n[HPE]",
	    &comware, &l));
	assert_int_equal(l.n, 0);
}

static void test_dell(void **state)
{
	struct lldp_list l = { 0 };

	(void)state;
	assert_true(lldp_text_neighbors("console#show lldp remote-device detail Gi1/0/1\n\n"
	    "Local Interface: Gi1/0/1\n\n"
	    "Remote Identifier: 1\n"
	    "Chassis ID Subtype: MAC Address\n"
	    "Chassis ID: 02:cf:00:00:01:01\n"
	    "Port ID Subtype: Interface Name\n"
	    "Port ID: eth0\n"
	    "System Name: fw1\n"
	    "System Description: Debian\n"
	    "Port Description: a0\n"
	    "console#", &dell, &l));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].chassis, "02:cf:00:00:01:01");
	assert_string_equal(l.v[0].port_id, "eth0");
	assert_string_equal(l.v[0].port_descr, "a0");
	assert_string_equal(l.v[0].sysname, "fw1");
	lldp_list_free(&l);
	/* a neighbour without the start line: a second Chassis ID starts one */
	assert_true(lldp_text_neighbors("x\nLocal Interface: Gi1/0/1\nChassis ID: a\nSystem Name: one\n"
	    "Chassis ID: b\nSystem Name: two\nconsole#", &dell, &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].sysname, "two");
	lldp_list_free(&l);
	/* an error is no list */
	assert_false(lldp_text_neighbors("console#x\n% Invalid input detected at '^' marker.\nconsole#", &dell, &l));
	assert_int_equal(l.n, 0);
	assert_false(lldp_text_neighbors("", &dell, &l));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comware),
		cmocka_unit_test(test_dell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
