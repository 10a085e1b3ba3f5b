/* Cisco IOS output parsing: rendering, prompts, --More--, % errors, port
 * state. The texts are what IOS (and the lab's iosemu) send. */
#include <string.h>

#include "testutil.h"
#include "drivers/ios_parse.h"

static char out[4096];

static const char *render(const char *raw)
{
	ios_render(raw, strlen(raw), out, sizeof out);
	return out;
}

static void test_render(void **state)
{
	(void)state;
	assert_string_equal(render("a\r\nb\r\n"), "a\nb\n");
	assert_string_equal(render("swa#"), "swa#");
	assert_string_equal(render("abc   \r\n"), "abc\n");		/* trailing blanks */
	assert_string_equal(render("xxxx\rab\r\n"), "abxx\n");		/* CR overwrites */
	assert_string_equal(render("\x1b[2Jhi\x1b[0m\x1bM!\r\n"), "hi!\n");	/* escapes dropped */
	assert_string_equal(render("a\tb\x07\x7f\r\n"), "a b\n");
	/* The erase IOS sends after a key at --More--: the marker disappears. */
	assert_string_equal(render("line1\r\n --More-- \b\b\b\b\b\b\b\b\b\b          "
	    "\b\b\b\b\b\b\b\b\b\bline2\r\nswa#"), "line1\nline2\nswa#");
	assert_string_equal(render("ab\b\b\bc"), "cb");			/* backspace stops at 0 */
}

static void test_render_small_buffer(void **state)
{
	char small[16];
	size_t n;

	(void)state;
	n = ios_render("first line\r\nsecond\r\nswa#", 25, small, sizeof small);
	/* the start is dropped a line at a time: the prompt survives */
	assert_string_equal(small, "second\nswa#");
	assert_int_equal(n, strlen(small));
	assert_int_equal(ios_render("x", 1, small, 0), 0);
	assert_int_equal(ios_render("x", 1, small, 1), 0);
	assert_string_equal(small, "");
	n = ios_render("a-very-long-line-without-end", 28, small, sizeof small);
	assert_true(n < sizeof small);
}

static void test_prompts(void **state)
{
	struct ios_prompt p;

	(void)state;
	assert_true(ios_prompt_parse("swa>", NULL, &p));
	assert_string_equal(p.host, "swa");
	assert_int_equal(p.mode, IOS_MODE_USER);
	assert_true(ios_prompt_parse("core-sw.1#", NULL, &p));
	assert_string_equal(p.host, "core-sw.1");
	assert_int_equal(p.mode, IOS_MODE_PRIV);
	assert_true(ios_prompt_parse("swa(config)#", NULL, &p));
	assert_int_equal(p.mode, IOS_MODE_CONFIG);
	assert_true(ios_prompt_parse("swa(config-if)#", NULL, &p));
	assert_int_equal(p.mode, IOS_MODE_CONFIG_SUB);
	assert_true(ios_prompt_parse("swa(config-if-range)#", "swa", &p));
	assert_int_equal(p.mode, IOS_MODE_CONFIG_SUB);

	assert_false(ios_prompt_parse("swa#show version", NULL, &p));	/* an echo */
	assert_false(ios_prompt_parse("swb#", "swa", &p));		/* another host */
	assert_false(ios_prompt_parse("sw#", "swa", &p));
	assert_false(ios_prompt_parse("swa(config)>", NULL, &p));
	assert_false(ios_prompt_parse("swa(foo)#", NULL, &p));
	assert_false(ios_prompt_parse("swa(config#", NULL, &p));
	assert_false(ios_prompt_parse("#", NULL, &p));
	assert_false(ios_prompt_parse(" swa#", NULL, &p));
	assert_false(ios_prompt_parse("a b#", NULL, &p));
	assert_false(ios_prompt_parse("Current configuration : 120 bytes", NULL, &p));
	assert_false(ios_prompt_parse("", NULL, &p));
}

static void test_tail(void **state)
{
	struct ios_prompt p;

	(void)state;
	assert_int_equal(ios_tail("\nswa>", NULL, &p), IOS_TAIL_PROMPT);
	assert_int_equal(ios_tail("swa#terminal length 0\nswa#", "swa", &p), IOS_TAIL_PROMPT);
	assert_int_equal(p.mode, IOS_MODE_PRIV);
	assert_int_equal(ios_tail("swa#show run\nBuilding configuration...", "swa", &p), IOS_TAIL_NONE);
	assert_int_equal(ios_tail("swa#show ver\nline\n --More--", "swa", &p), IOS_TAIL_MORE);
	assert_int_equal(ios_tail("swa>enable\nPassword:", "swa", &p), IOS_TAIL_PASSWORD);
	assert_int_equal(ios_tail("Password:", NULL, &p), IOS_TAIL_PASSWORD);
	assert_int_equal(ios_tail("swa#show run\n hostname swa", "swa", &p), IOS_TAIL_NONE);
	assert_int_equal(ios_tail("", NULL, &p), IOS_TAIL_NONE);
}

static void test_errors(void **state)
{
	struct ios_error e;

	(void)state;
	/* The caret points at the word the switch did not take. */
	assert_true(ios_find_error("swa(config)#interface gi0/9\n"
	    "                       ^\n"
	    "% Invalid input detected at '^' marker.\n"
	    "\n"
	    "swa(config)#", &e));
	assert_string_equal(e.msg, "% Invalid input detected at '^' marker.");
	assert_int_equal(e.caret, 23);
	assert_string_equal(e.word, "gi0/9");

	assert_true(ios_find_error("swa#clear mac address-table dynamic\n"
	    "                ^\n% Invalid input detected at '^' marker.\n\nswa#", &e));
	assert_string_equal(e.word, "address-table");

	assert_true(ios_find_error("swa#conf\n% Incomplete command.\n\nswa#", &e));
	assert_string_equal(e.msg, "% Incomplete command.");
	assert_int_equal(e.caret, -1);
	assert_string_equal(e.word, "");

	assert_true(ios_find_error("swa>e\n% Ambiguous command: \"e\"\nswa>", &e));
	assert_string_equal(e.msg, "% Ambiguous command: \"e\"");

	/* A caret past the end of the echo points at no word. */
	assert_true(ios_find_error("swa#x\n        ^\n% Invalid input detected at '^' marker.\nswa#", &e));
	assert_int_equal(e.caret, 8);
	assert_string_equal(e.word, "");

	/* Syslog lines on the terminal are not errors; nor is the last line. */
	assert_false(ios_find_error("swa(config-if)#shutdown\n"
	    "%LINK-5-CHANGED: Interface GigabitEthernet0/1, changed state to administratively down\n"
	    "swa(config-if)#", &e));
	assert_false(ios_find_error("swa#show version\nCisco IOS Software\nswa#", &e));
	assert_false(ios_find_error("swa#end", &e));
	assert_false(ios_find_error("", &e));
	assert_false(ios_find_error("swa#x\n%", &e));		/* unterminated: the prompt line */
}

/* A command whose success is silent succeeded only when nothing but
 * blank lines, syslog messages and configure terminal's banner came back:
 * anything else is the switch's words of a failure. */
static void test_unexpected(void **state)
{
	struct ios_error e;

	(void)state;
	assert_false(ios_find_unexpected("swa#clear mac address-table dynamic\nswa#", &e));
	assert_false(ios_find_unexpected("swa#configure terminal\n"
	    "Enter configuration commands, one per line.  End with CNTL/Z.\nswa(config)#", &e));
	assert_false(ios_find_unexpected("swa(config-if)#shutdown\n\n"
	    "*Mar  1 00:12:34.567: %LINK-5-CHANGED: Interface Gi0/1, changed state to administratively down\n"
	    "000045: Nov 27 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by vty0\n"
	    "swa(config-if)#", &e));
	assert_true(ios_find_unexpected("swa#clear mac address-table dynamic\n"
	    "No such command : clear mac address-table dynamic\nswa#", &e));
	assert_string_equal(e.msg, "No such command : clear mac address-table dynamic");
	assert_true(ios_find_unexpected("swa(config-if)#end\nUnknown command\nswa(config-if)#", &e));
	assert_string_equal(e.msg, "Unknown command");
	/* a % error still comes with its caret and word */
	assert_true(ios_find_unexpected("swa(config)#interface gi0/9\n"
	    "                       ^\n% Invalid input detected at '^' marker.\n\nswa(config)#", &e));
	assert_string_equal(e.word, "gi0/9");
	/* a timestamp does not hide a % error that is no syslog message */
	assert_true(ios_find_error("swa#x\n% Authorization failed.\nswa#", &e));
}

static void test_privilege_and_mac_table(void **state)
{
	(void)state;
	assert_int_equal(ios_privilege_level("swa#show privilege\nCurrent privilege level is 15\nswa#"), 15);
	assert_int_equal(ios_privilege_level("swa#show privilege\nCurrent privilege level is 7\nswa#"), 7);
	assert_int_equal(ios_privilege_level("swa#show privilege\nNo such command : show privilege\nswa#"), -1);
	assert_true(ios_mac_table("swa#show mac address-table dynamic\n          Mac Address Table\n"
	    "-------------------------------------------\n\nVlan    Mac Address       Type        Ports\nswa#"));
	/* the refusal echoes the command, whose "mac address-table" is no header */
	assert_false(ios_mac_table("swa#show mac address-table dynamic\n"
	    "No such command : show mac address-table dynamic\nswa#"));
}

static void test_near_ports(void **state)
{
	const char *brief = "swa#show ip interface brief\n"
	    "Interface              IP-Address      OK? Method Status                Protocol\n"
	    "GigabitEthernet0/1     unassigned      YES unset  up                    up\n"
	    "GigabitEthernet0/2     unassigned      YES unset  administratively down down\n"
	    "FastEthernet0/24       unassigned      YES unset  down                  down\n"
	    "Vlan1                  10.77.0.2       YES NVRAM  up                    up\n"
	    "swa#";
	char buf[200];

	(void)state;
	/* same type, abbreviated or not */
	assert_int_equal(ios_near_ports(brief, "GigabitEthernet0/9", buf, sizeof buf), 4);
	assert_string_equal(buf, "GigabitEthernet0/1, GigabitEthernet0/2");
	ios_near_ports(brief, "gi1/0/3", buf, sizeof buf);
	assert_string_equal(buf, "GigabitEthernet0/1, GigabitEthernet0/2");
	/* no such type: all of them */
	ios_near_ports(brief, "TenGigabitEthernet1/0/1", buf, sizeof buf);
	assert_string_equal(buf, "GigabitEthernet0/1, GigabitEthernet0/2, FastEthernet0/24, Vlan1");
	/* a short buffer holds whole names only */
	ios_near_ports(brief, "Gi0/9", buf, 30);
	assert_string_equal(buf, "GigabitEthernet0/1");
	assert_int_equal(ios_near_ports("swa#show ip interface brief\nNo such command\nswa#", "Gi0/1", buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "");
}

static void test_state_running(void **state)
{
	(void)state;
	assert_int_equal(ios_state_from_running(
	    "swa#show running-config interface GigabitEthernet0/1\n"
	    "Building configuration...\n\nCurrent configuration : 80 bytes\n!\n"
	    "interface GigabitEthernet0/1\n switchport mode access\n shutdown\nend\n\nswa#"), PORT_DOWN);
	assert_int_equal(ios_state_from_running(
	    "swa#sh run int gi0/1\nBuilding configuration...\n\n!\n"
	    "interface GigabitEthernet0/1\n description shutdown here\n switchport mode access\nend\n\nswa#"),
	    PORT_UP);
	/* " no shutdown" and a shutdown outside the block do not count */
	assert_int_equal(ios_state_from_running("x\ninterface Gi0/1\n no shutdown\n!\n shutdown\nswa#"), PORT_UP);
	assert_int_equal(ios_state_from_running("swa#sh run int gi0/1\nswa#"), PORT_UNKNOWN);
	assert_int_equal(ios_state_from_running(""), PORT_UNKNOWN);
}

static void test_state_interfaces(void **state)
{
	(void)state;
	assert_int_equal(ios_state_from_interfaces("swa#show interfaces gi0/1\n"
	    "GigabitEthernet0/1 is administratively down, line protocol is down (disabled)\n"
	    "  Hardware is Gigabit Ethernet\nswa#"), PORT_DOWN);
	assert_int_equal(ios_state_from_interfaces("swa#show interfaces gi0/1\n"
	    "GigabitEthernet0/1 is down, line protocol is down (notconnect)\nswa#"), PORT_UP);
	assert_int_equal(ios_state_from_interfaces("swa#show interfaces gi0/1\n"
	    "GigabitEthernet0/1 is up, line protocol is up (connected)\nswa#"), PORT_UP);
	assert_int_equal(ios_state_from_interfaces("swa#show interfaces gi0/1\n"
	    "  Description: X is administratively down, line protocol is\nswa#"), PORT_UNKNOWN);
	assert_int_equal(ios_state_from_interfaces("swa#show interfaces gi0/1\nswa#"), PORT_UNKNOWN);
}

static void test_first_line(void **state)
{
	char buf[64];

	(void)state;
	ios_first_output_line("swa#show version\n\n  Cisco IOS Software, C2960\nTechnical\nswa#", buf, sizeof buf);
	assert_string_equal(buf, "Cisco IOS Software, C2960");
	ios_first_output_line("swa#show version\nswa#", buf, sizeof buf);
	assert_string_equal(buf, "");
	ios_first_output_line("", buf, sizeof buf);
	assert_string_equal(buf, "");
}


static void test_port_same(void **state)
{
	(void)state;
	assert_true(ios_port_same("Gi0/2", "GigabitEthernet0/2"));
	assert_true(ios_port_same("gigabitethernet0/2", "Gi0/2"));
	assert_true(ios_port_same("Po1", "Port-channel1"));
	assert_false(ios_port_same("Gi0/2", "Gi0/20"));
	assert_false(ios_port_same("Fa0/2", "Gi0/2"));
	assert_false(ios_port_same("Gi", "Gi"));
	assert_false(ios_port_same("0/2", "0/2"));
}

/* `show mac address-table interface X`, as IOS 12.2+ and iosemu print it,
 * and the 2900XL-era table; a switch that ignored the filter. */
static void test_port_macs(void **state)
{
	static const char newer[] = "swa#show mac address-table interface GigabitEthernet0/2\n"
	    "          Mac Address Table\n-------------------------------------------\n\n"
	    "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n"
	    "   1    5254.0000.010a    DYNAMIC     Gi0/2\n   1    5254.0000.0909    DYNAMIC     Gi0/2\n"
	    "  10    5254.0000.0909    DYNAMIC     Gi0/2\n   1    5254.0000.0202    DYNAMIC     Gi0/3\n"
	    "Total Mac Addresses for this criterion: 4\nswa#";
	static const char older[] = "swa#show mac-address-table interface Fa0/1\n"
	    "Destination Address  Address Type  VLAN  Destination Port\n"
	    "-------------------  ------------  ----  --------------------\n"
	    "0052.5400.0001       Dynamic          1  FastEthernet0/1\nswa#";
	static const char refused[] = "swa#show mac address-table interface Gi0/2\nNo such command : x\nswa#";
	static const uint8_t fw1[6] = { 0x52, 0x54, 0, 0, 1, 0xa }, old[6] = { 0, 0x52, 0x54, 0, 0, 1 };
	struct mac_list m = { 0 };
	size_t others;

	(void)state;
	assert_true(ios_port_macs(newer, "GigabitEthernet0/2", &m, &others));
	assert_int_equal(m.n, 2);
	assert_memory_equal(m.v[0], fw1, 6);
	assert_int_equal(others, 1);
	mac_list_free(&m);
	assert_true(ios_port_macs(older, "Fa0/1", &m, &others));
	assert_int_equal(m.n, 1);
	assert_memory_equal(m.v[0], old, 6);
	mac_list_free(&m);
	assert_false(ios_port_macs(refused, "Gi0/2", &m, &others));
	assert_int_equal(m.n, 0);
}

/* `show lldp neighbors X detail`: two neighbours, none, and an answer
 * that is not a neighbour list. */
static void test_lldp_neighbors(void **state)
{
	static const char two[] = "swa#show lldp neighbors Gi0/2 detail\nCapability codes:\n"
	    "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device\n\n"
	    "------------------------------------------------\nLocal Intf: Gi0/2\nChassis id: 9606.d03d.1297\n"
	    "Port id: 9606.d03d.1297\nPort Description: a0\nSystem Name: fw1\n\nSystem Description: \n"
	    "Debian GNU/Linux 12\n\nTime remaining: 3 seconds\n"
	    "------------------------------------------------\nChassis id: sw9\nPort id: Gi1/0/1\n"
	    "Port Description: uplink\nSystem Name: sw9.example.net\n\nTotal entries displayed: 2\nswa#";
	static const char none[] = "swa#show lldp neighbors Gi0/3 detail\n\nTotal entries displayed: 0\nswa#";
	static const char odd[] = "swa#show lldp neighbors Gi0/3 detail\nSystem Name: x\nswa#";
	struct lldp_list l = { 0 };

	(void)state;
	assert_true(ios_lldp_neighbors(two, &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].chassis, "9606.d03d.1297");
	assert_string_equal(l.v[0].port_descr, "a0");
	assert_string_equal(l.v[0].sysname, "fw1");
	assert_string_equal(l.v[1].chassis, "sw9");
	assert_string_equal(l.v[1].port_id, "Gi1/0/1");
	assert_string_equal(l.v[1].sysname, "sw9.example.net");
	lldp_list_free(&l);
	assert_true(ios_lldp_neighbors(none, &l));
	assert_int_equal(l.n, 0);
	assert_false(ios_lldp_neighbors(odd, &l));
	lldp_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_small_buffer),
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unexpected),
		cmocka_unit_test(test_privilege_and_mac_table),
		cmocka_unit_test(test_near_ports),
		cmocka_unit_test(test_state_running),
		cmocka_unit_test(test_state_interfaces),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_port_same),
		cmocka_unit_test(test_port_macs),
		cmocka_unit_test(test_lldp_neighbors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
