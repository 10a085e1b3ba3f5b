/* Comware output parsing: prompts, errors among log lines, the brief
 * tables of Comware 7 and 5, MAC tables, interface name abbreviations.
 * The texts are rendered as the driver renders them: the echo line first,
 * the prompt last; their shapes are those of docs/switches/comware.md. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "drivers/comware_parse.h"
#include "drivers/ssh_cli.h"
#include "fencer/wiring.h"

static void test_prompts(void **state)
{
	struct swcli_prompt p;

	(void)state;
	assert_true(comware_prompt_parse("<HPE>", NULL, &p));
	assert_int_equal(p.mode, CW_USER);
	assert_string_equal(p.host, "HPE");
	assert_true(comware_prompt_parse("[HPE]", "HPE", &p));
	assert_int_equal(p.mode, CW_SYSTEM);
	assert_true(comware_prompt_parse("[HPE-GigabitEthernet1/0/1]", "HPE", &p));
	assert_int_equal(p.mode, CW_SUB);
	assert_string_equal(p.host, "HPE");
	/* a name with '-' is known after the first prompt */
	assert_true(comware_prompt_parse("[core-sw1]", "core-sw1", &p));
	assert_int_equal(p.mode, CW_SYSTEM);
	assert_true(comware_prompt_parse("[core-sw1-Ten-GigabitEthernet1/0/49]", "core-sw1", &p));
	assert_int_equal(p.mode, CW_SUB);
	assert_string_equal(p.host, "core-sw1");
	assert_true(comware_prompt_parse("<core-sw1>", NULL, &p));
	assert_string_equal(p.host, "core-sw1");
	/* another host, half a prompt, output that looks like one */
	assert_false(comware_prompt_parse("[other]", "HPE", &p));
	assert_false(comware_prompt_parse("[HPEX]", "HPE", &p));
	assert_false(comware_prompt_parse("<HPE", NULL, &p));
	assert_false(comware_prompt_parse("<HPE]", NULL, &p));
	assert_false(comware_prompt_parse("[HPE-]", "HPE", &p));
	assert_false(comware_prompt_parse("<a b>", NULL, &p));
	assert_false(comware_prompt_parse("<>", NULL, &p));
	assert_false(comware_prompt_parse("", NULL, &p));
}

static void test_tail(void **state)
{
	static const struct swcli_dialect d = { .prompt = comware_prompt_parse, .more = "---- More ----" };
	struct swcli_prompt p;

	(void)state;
	assert_int_equal(swcli_tail(&d, "out\n  ---- More ----", "HPE", &p), SWCLI_TAIL_MORE);
	assert_int_equal(swcli_tail(&d, "super\nPassword:", "HPE", &p), SWCLI_TAIL_PASSWORD);
	assert_int_equal(swcli_tail(&d, "x\n[HPE]", "HPE", &p), SWCLI_TAIL_PROMPT);
	assert_int_equal(swcli_tail(&d, "x\n[HPE", "HPE", &p), SWCLI_TAIL_NONE);
}

static void test_errors(void **state)
{
	struct ios_error e;

	(void)state;
	assert_true(comware_find_error("[HPE]interface GigabitEthernet1/0/9\n"
	    "                  ^\n% Wrong parameter found at '^' position.\n[HPE]", &e));
	assert_string_equal(e.msg, "% Wrong parameter found at '^' position.");
	assert_int_equal(e.caret, 18);
	assert_string_equal(e.word, "GigabitEthernet1/0/9");
	/* log lines start with % too: not errors */
	assert_false(comware_find_error("[HPE-GigabitEthernet1/0/1]shutdown\n"
	    "%Dec  1 17:00:00:123 2026 HPE IFNET/3/PHY_UPDOWN: Physical state on the interface "
	    "GigabitEthernet1/0/1 changed to down.\n[HPE-GigabitEthernet1/0/1]", &e));
	assert_false(comware_find_unexpected("[HPE-GigabitEthernet1/0/1]shutdown\n"
	    "%@12%Dec  1 17:00:00:123 2026 HPE IFNET/3/PHY_UPDOWN: down.\n"
	    "#Dec  1 17:00:00:124 2026 HPE IFNET/1/TRAP: trap\n[HPE-GigabitEthernet1/0/1]", &e));
	/* system-view's banner is no failure; any other line is */
	assert_false(comware_find_unexpected("<HPE>system-view\nSystem View: return to User View with Ctrl+Z.\n"
	    "[HPE]", &e));
	assert_true(comware_find_unexpected("[HPE-GigabitEthernet1/0/1]shutdown\nPermission denied.\n"
	    "[HPE-GigabitEthernet1/0/1]", &e));
	assert_string_equal(e.msg, "Permission denied.");
	/* an error after a log line still counts, its caret kept */
	assert_true(comware_find_error("<HPE>foo\n     ^\n%Dec  1 17:00:00:123 2026 HPE X/3/Y: z\n"
	    "% Unrecognized command found at '^' position.\n<HPE>", &e));
	assert_string_equal(e.msg, "% Unrecognized command found at '^' position.");
	assert_int_equal(e.caret, 5);
	assert_false(comware_find_error("", &e));
	assert_false(comware_find_unexpected("<HPE>", &e));
}

static void test_port_same(void **state)
{
	(void)state;
	assert_true(comware_port_same("GE1/0/1", "GigabitEthernet1/0/1"));
	assert_true(comware_port_same("GigabitEthernet1/0/1", "ge1/0/1"));
	assert_true(comware_port_same("XGE1/0/49", "Ten-GigabitEthernet1/0/49"));
	assert_true(comware_port_same("BAGG1", "Bridge-Aggregation1"));
	assert_true(comware_port_same("GigabitEthernet1/0/1", "GigabitEthernet1/0/1"));
	assert_false(comware_port_same("GE1/0/1", "GigabitEthernet1/0/10"));
	assert_false(comware_port_same("GE1/0/1", "Ten-GigabitEthernet1/0/1"));
	assert_false(comware_port_same("XGE1/0/1", "GigabitEthernet1/0/1"));
	assert_false(comware_port_same("Interface", "GigabitEthernet1/0/1"));
	assert_false(comware_port_same("", "GigabitEthernet1/0/1"));
}

static const char brief7[] =
	"[HPE]display interface GigabitEthernet1/0/1 brief\n"
	"Brief information on interfaces in bridge mode:\n"
	"Link: ADM - administratively down; Stby - standby\n"
	"Speed: (a) - auto\n"
	"Duplex: (a)/A - auto; H - half; F - full\n"
	"Type: A - access; T - trunk; H - hybrid\n"
	"Interface            Link Speed   Duplex Type PVID Description\n"
	"GE1/0/1              %s   auto    A      A    1\n"
	"[HPE]";

static enum port_state brief(const char *link, const char *port)
{
	char text[1024];

	snprintf(text, sizeof text, brief7, link);
	return comware_brief_state(text, port);
}

static void test_brief(void **state)
{
	(void)state;
	assert_int_equal(brief("ADM", "GigabitEthernet1/0/1"), PORT_DOWN);
	assert_int_equal(brief("UP", "GigabitEthernet1/0/1"), PORT_UP);
	assert_int_equal(brief("DOWN", "GigabitEthernet1/0/1"), PORT_UP);	/* no link, not shut */
	assert_int_equal(brief("Stby", "GigabitEthernet1/0/1"), PORT_UP);
	assert_int_equal(brief("???", "GigabitEthernet1/0/1"), PORT_UNKNOWN);
	assert_int_equal(brief("ADM", "GigabitEthernet1/0/2"), PORT_UNKNOWN);	/* another port's row */
	/* Comware 5's table */
	assert_int_equal(comware_brief_state("<H3C>display brief interface GigabitEthernet1/0/1\n"
	    "The brief information of interface(s) under bridge mode:\n"
	    "Interface            Link      Speed        Duplex   Link-type  PVID\n"
	    "GE1/0/1              ADM       auto         auto     access     1\n<H3C>", "GigabitEthernet1/0/1"),
	    PORT_DOWN);
	/* the header's "Interface Link" is no row; an echo line naming the port is not read */
	assert_int_equal(comware_brief_state("GE1/0/1 ADM\nInterface Link\n<H3C>", "GigabitEthernet1/0/1"),
	    PORT_UNKNOWN);
	assert_int_equal(comware_brief_state("", "GigabitEthernet1/0/1"), PORT_UNKNOWN);
}

static void test_mac_table(void **state)
{
	static const char t7[] = "[HPE]display mac-address interface GigabitEthernet1/0/2\n"
	    "MAC Address      VLAN ID    State            Port/NickName            Aging\n"
	    "02cf-0000-0102   1          Learned          GE1/0/2                  Y\n"
	    "02cf-0000-0101   1          Learned          GE1/0/1                  Y\n[HPE]";
	static const char t5[] = "<H3C>display mac-address interface GigabitEthernet1/0/2\n"
	    "MAC ADDR         VLAN ID  STATE          PORT INDEX               AGING TIME(s)\n"
	    "000f-e20f-0101   1        Learned        GigabitEthernet1/0/2     AGING\n"
	    "\n  ---  1 mac address(es) found  ---\n<H3C>";
	static const uint8_t m2[6] = { 0x02, 0xcf, 0, 0, 1, 2 }, m5[6] = { 0x00, 0x0f, 0xe2, 0x0f, 0x01, 0x01 };
	struct mac_list macs = { 0 };
	size_t others;

	(void)state;
	assert_true(comware_mac_table(t7));
	assert_true(comware_port_macs(t7, "GigabitEthernet1/0/2", &macs, &others));
	assert_int_equal(macs.n, 1);
	assert_true(mac_list_has(&macs, m2));
	assert_int_equal(others, 1);
	mac_list_free(&macs);
	assert_true(comware_port_macs(t5, "GigabitEthernet1/0/2", &macs, &others));
	assert_int_equal(macs.n, 1);
	assert_true(mac_list_has(&macs, m5));
	assert_int_equal(others, 0);
	mac_list_free(&macs);
	assert_false(comware_mac_table("<HPE>display mac-address\n"
	    "% Unrecognized command found at '^' position.\n<HPE>"));
	assert_false(comware_port_macs("<HPE>x\n02cf-0000-0102 1 Learned GE1/0/2 Y\n<HPE>", "GE1/0/2", &macs, &others));
	assert_int_equal(macs.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_port_same),
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_mac_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
