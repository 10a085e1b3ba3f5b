/* The fence-agent option parser: stdin lines and command-line options. */
#include <string.h>

#include "testutil.h"
#include "fencer/agent_parse.h"

static void test_stdin_lines(void **state)
{
	struct agent_opts o;

	(void)state;
	agent_opts_init(&o);
	assert_string_equal(o.action, "off");		/* the agents' default */
	assert_int_equal(agent_parse_line(&o, "# comment\n"), 0);
	assert_int_equal(agent_parse_line(&o, "\n"), 0);
	assert_int_equal(agent_parse_line(&o, "action=status\n"), 0);
	assert_int_equal(agent_parse_line(&o, "port=fw1\r\n"), 0);
	assert_int_equal(agent_parse_line(&o, "nodename=fw1\n"), 0);
	assert_int_equal(agent_parse_line(&o, "pcmk_host_list=fw1 fw2\n"), 0);	/* unknown: ignored */
	assert_int_equal(agent_parse_line(&o, "action=off\n"), 0);			/* last wins */
	assert_string_equal(o.action, "off");
	assert_string_equal(o.port, "fw1");
	assert_string_equal(o.nodename, "fw1");
	assert_int_equal(agent_parse_line(&o, "plug=core:Gi0/1\n"), 0);		/* alias */
	assert_string_equal(o.port, "core:Gi0/1");
	assert_int_equal(agent_parse_line(&o, "option=on\n"), 0);			/* old name */
	assert_string_equal(o.action, "on");
	assert_int_equal(o.bad_lines, 0);
}

static void test_bad_lines(void **state)
{
	struct agent_opts o;

	(void)state;
	agent_opts_init(&o);
	assert_int_equal(agent_parse_line(&o, "no equals sign\n"), -1);
	assert_int_equal(agent_parse_line(&o, "=value\n"), -1);
	assert_int_equal(agent_parse_line(&o, "port=fw1\x1b[2J\n"), -1);	/* control characters */
	assert_int_equal(agent_parse_line(&o, "port=a\tb\n"), -1);
	assert_string_equal(o.port, "");
	assert_int_equal(o.bad_lines, 4);
	char big[400];

	memset(big, 'x', sizeof big);
	memcpy(big, "port=", 5);
	big[sizeof big - 1] = '\0';
	assert_int_equal(agent_parse_line(&o, big), -1);			/* too long */
}

static void test_command_line(void **state)
{
	struct agent_opts o;
	char *argv1[] = { "fence_fencer", "-o", "status", "-n", "fw1", "-c", "/etc/x.conf", NULL };
	char *argv2[] = { "fence_fencer", "--action=list", "--plug", "core:1", "--verbose", NULL };
	char *argv3[] = { "fence_fencer", "-o", NULL };
	char *argv4[] = { "fence_fencer", "stray", NULL };

	(void)state;
	agent_opts_init(&o);
	assert_int_equal(agent_parse_args(&o, 7, argv1), 0);
	assert_string_equal(o.action, "status");
	assert_string_equal(o.port, "fw1");
	assert_string_equal(o.config, "/etc/x.conf");
	agent_opts_init(&o);
	assert_int_equal(agent_parse_args(&o, 5, argv2), 0);
	assert_string_equal(o.action, "list");
	assert_string_equal(o.port, "core:1");
	assert_int_equal(o.verbose, 1);
	assert_int_equal(agent_parse_args(&o, 2, argv3), -1);
	assert_int_equal(agent_parse_args(&o, 2, argv4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdin_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_command_line),
	};

	return cmocka_run_group_tests_name("agent_parse", tests, NULL, NULL);
}
