/* The fence-agent option parser: stdin lines and command-line options. */
#include <stdio.h>
#include <stdlib.h>
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

/* stdin as pacemaker-fenced sends it: a line too long for the 2048-byte
 * buffer was cut, and its tail read as a line of its own (a description
 * ending in action=off shut the port). A line is taken whole now, and one
 * longer than AGENT_LINE_MAX is refused whole. */
static void test_stdin_long_line_refused_whole(void **state)
{
	char *in = malloc(8192);
	struct agent_opts o;
	size_t n = 0;

	(void)state;
	assert_non_null(in);
	n += (size_t)sprintf(in, "action=status\nport=fw1\ndescription=");
	memset(in + n, 'A', 2035);	/* with "description=", the old buffer's 2047 */
	n += 2035;
	n += (size_t)sprintf(in + n, "action=off\nx=");
	memset(in + n, 'B', 5000);	/* past AGENT_LINE_MAX */
	n += 5000;
	n += (size_t)sprintf(in + n, "port=fw2\n");
	agent_opts_init(&o);
	assert_int_equal(agent_parse_input(&o, in, n), 1);
	assert_string_equal(o.action, "status");
	assert_string_equal(o.port, "fw1");
	free(in);
}

/* A NUL byte ended a line for the C string functions: refused whole. The
 * last line needs no newline; CRLF lines read. */
static void test_stdin_nul_and_ends(void **state)
{
	static const char in[] = "action=status\r\nport=fw1\0action=off\nconfig=/etc/x.conf";
	struct agent_opts o;

	(void)state;
	agent_opts_init(&o);
	assert_int_equal(agent_parse_input(&o, in, sizeof in - 1), 1);
	assert_string_equal(o.action, "status");
	assert_string_equal(o.port, "");
	assert_string_equal(o.config, "/etc/x.conf");
	agent_opts_init(&o);
	assert_int_equal(agent_parse_input(&o, "", 0), 0);
	assert_int_equal(agent_parse_input(&o, "\n\n# x\n", 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdin_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_command_line),
		cmocka_unit_test(test_stdin_long_line_refused_whole),
		cmocka_unit_test(test_stdin_nul_and_ends),
	};

	return cmocka_run_group_tests_name("agent_parse", tests, NULL, NULL);
}
