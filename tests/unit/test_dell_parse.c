/* Dell OS6 / OS10 output parsing: prompts and the administrative state of
 * a port from the running configuration and from `show interfaces
 * configuration`. Errors and MAC tables are IOS's (test_ios_parse.c); the
 * Dell shapes of them are checked here too. */
#include <string.h>

#include "testutil.h"
#include "drivers/dell_parse.h"
#include "drivers/ios_parse.h"
#include "drivers/ssh_cli.h"
#include "fencer/wiring.h"

static void test_prompts(void **state)
{
	struct swcli_prompt p;

	(void)state;
	assert_true(dell_prompt_parse("console>", NULL, &p));
	assert_int_equal(p.mode, DELL_USER);
	assert_string_equal(p.host, "console");
	assert_true(dell_prompt_parse("console#", "console", &p));
	assert_int_equal(p.mode, DELL_PRIV);
	assert_true(dell_prompt_parse("console(config)#", "console", &p));
	assert_int_equal(p.mode, DELL_CONFIG);
	assert_true(dell_prompt_parse("console(config-if-Gi1/0/1)#", "console", &p));
	assert_int_equal(p.mode, DELL_CONFIG_SUB);
	assert_true(dell_prompt_parse("OS10(conf-if-eth1/1/1)#", NULL, &p));
	assert_int_equal(p.mode, DELL_CONFIG_SUB);
	assert_string_equal(p.host, "OS10");
	assert_true(dell_prompt_parse("sw-1.lab(config-if-Te1/0/1)#", NULL, &p));
	assert_false(dell_prompt_parse("console(config)>", NULL, &p));
	assert_false(dell_prompt_parse("console(config-if Gi1/0/1)#", NULL, &p));
	assert_false(dell_prompt_parse("console(foo)#", NULL, &p));
	assert_false(dell_prompt_parse("other#", "console", &p));
	assert_false(dell_prompt_parse("Total MAC Addresses in use: 1", NULL, &p));
	assert_false(dell_prompt_parse("#", NULL, &p));
}

static void test_tail(void **state)
{
	static const struct swcli_dialect d = { .prompt = dell_prompt_parse, .more = "--More--" };
	struct swcli_prompt p;

	(void)state;
	assert_int_equal(swcli_tail(&d, "a\n--More-- or (q)uit", "console", &p), SWCLI_TAIL_MORE);
	assert_int_equal(swcli_tail(&d, "a\n--more--", "OS10", &p), SWCLI_TAIL_MORE);
	assert_int_equal(swcli_tail(&d, "console>enable\nPassword:", "console", &p), SWCLI_TAIL_PASSWORD);
	assert_int_equal(swcli_tail(&d, "x\nconsole#", "console", &p), SWCLI_TAIL_PROMPT);
	assert_int_equal(swcli_tail(&d, "x\nconsole", "console", &p), SWCLI_TAIL_NONE);
}

static void test_running(void **state)
{
	(void)state;
	/* OS6: flush left, `exit` ends the block */
	assert_int_equal(dell_state_from_running("console#show running-config interface Gi1/0/1\n"
	    "interface Gi1/0/1\nshutdown\nexit\n\nconsole#"), PORT_DOWN);
	assert_int_equal(dell_state_from_running("console#show running-config interface Gi1/0/1\n"
	    "interface Gi1/0/1\ndescription \"fw1\"\nexit\nconsole#"), PORT_UP);
	/* a shutdown after the block is another block's */
	assert_int_equal(dell_state_from_running("console#x\ninterface Gi1/0/1\nexit\nshutdown\nconsole#"), PORT_UP);
	/* OS10: indented, `!` ends it, `no shutdown` written out */
	assert_int_equal(dell_state_from_running("OS10#show running-configuration interface ethernet 1/1/1\n"
	    "!\ninterface ethernet1/1/1\n no shutdown\n switchport access vlan 1\n!\nOS10#"), PORT_UP);
	assert_int_equal(dell_state_from_running("OS10#x\ninterface ethernet1/1/1\n shutdown\n!\nOS10#"), PORT_DOWN);
	/* no block: unknown, never up */
	assert_int_equal(dell_state_from_running("console#x\n% Invalid input detected at '^' marker.\nconsole#"),
	    PORT_UNKNOWN);
	/* the echo line is not the block */
	assert_int_equal(dell_state_from_running("interface Gi1/0/1\nconsole#"), PORT_UNKNOWN);
	assert_int_equal(dell_state_from_running(""), PORT_UNKNOWN);
}

static const char conf[] = "console#show interfaces configuration Gi1/0/1\n"
	"Port      Description              Duplex  Speed     Neg     MTU   Admin\n"
	"                                                                   State\n"
	"--------- ------------------------ ------  -------   ----    ----- -----\n"
	"Gi1/0/1                            Auto    Unknown   Auto    1518  Down\n"
	"Gi1/0/2                            Auto    1000      Auto    1518  Up\n"
	"console#";

static void test_config(void **state)
{
	(void)state;
	assert_int_equal(dell_state_from_config(conf, "Gi1/0/1"), PORT_DOWN);
	assert_int_equal(dell_state_from_config(conf, "Gi1/0/2"), PORT_UP);
	assert_int_equal(dell_state_from_config(conf, "gigabitethernet1/0/2"), PORT_UP);
	assert_int_equal(dell_state_from_config(conf, "Gi1/0/3"), PORT_UNKNOWN);
	assert_int_equal(dell_state_from_config(conf, "Te1/0/1"), PORT_UNKNOWN);
	assert_int_equal(dell_state_from_config("console#x\nGi1/0/1 Auto Sideways\nconsole#", "Gi1/0/1"),
	    PORT_UNKNOWN);
	assert_int_equal(dell_state_from_config("", "Gi1/0/1"), PORT_UNKNOWN);
}

/* The IOS parsers on Dell's shapes of an error and a MAC table. */
static void test_ios_shapes(void **state)
{
	static const uint8_t m[6] = { 0x02, 0xcf, 0, 0, 1, 2 };
	struct mac_list macs = { 0 };
	struct ios_error e;
	size_t others;

	(void)state;
	assert_true(ios_find_error("console(config)#interface Gi1/0/9\n"
	    "                           ^\n% Invalid input detected at '^' marker.\n\nconsole(config)#", &e));
	assert_string_equal(e.word, "Gi1/0/9");
	assert_true(ios_port_macs("console#show mac address-table interface Gi1/0/2\nAging time is 300 Sec\n\n"
	    "Vlan     Mac Address           Type        Port\n"
	    "-------- --------------------- ----------- ---------------------\n"
	    "1        02cf.0000.0102        Dynamic     Gi1/0/2\n\nTotal MAC Addresses in use: 1\nconsole#",
	    "Gi1/0/2", &macs, &others));
	assert_int_equal(macs.n, 1);
	assert_true(mac_list_has(&macs, m));
	assert_int_equal(others, 0);
	mac_list_free(&macs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_ios_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
