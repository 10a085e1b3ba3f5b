/* fencer serve's pure parts: the request parser of the control socket
 * (fencer/serve_proto.h), its writer, the reconnection backoff, what
 * counts as the same switch across a reload, and the hand-over of a kept
 * session (fencer/session_cache.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fencer/config.h"
#include "fencer/serve_proto.h"
#include "fencer/session_cache.h"

static int parse(const char *line, struct serve_request *r, char *err)
{
	return serve_request_parse(line, strlen(line), r, err, 256);
}

static void test_request_ok(void **state)
{
	struct serve_request r;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"fencer\":1,\"command\":\"promote\",\"args\":[\"--reason\",\"vrrp\"],"
	    "\"verbose\":2,\"json\":true,\"boot_id\":\"abc\",\"invoked_us\":42}", &r, err), 0);
	assert_string_equal(r.command, "promote");
	assert_int_equal(r.nargs, 2);
	assert_string_equal(r.args[1], "vrrp");
	assert_int_equal(r.verbose, 2);
	assert_true(r.json);
	assert_string_equal(r.invoked.boot_id, "abc");
	assert_int_equal(r.invoked.mono_us, 42);
	serve_request_free(&r);
	assert_int_equal(parse("{\"fencer\":1,\"command\":\"sessions\"}", &r, err), 0);
	assert_int_equal(r.nargs, 0);
	assert_false(r.json);
	serve_request_free(&r);
}

static void refused(const char *line, const char *why)
{
	struct serve_request r;
	char err[256] = "";

	assert_int_equal(parse(line, &r, err), -1);
	if (!strstr(err, why))
		fail_msg("'%s': '%s' is not about '%s'", line, err, why);
	serve_request_free(&r);
}

static void test_request_refused(void **state)
{
	(void)state;
	refused("", "not JSON");
	refused("not json", "not JSON");
	refused("[1,2]", "one JSON object");
	refused("{\"command\":\"promote\"}", "protocol's version");
	refused("{\"fencer\":2,\"command\":\"promote\"}", "protocol's version");
	refused("{\"fencer\":1,\"command\":\"boot\"}", "not one the service runs");
	refused("{\"fencer\":1,\"command\":\"trust\"}", "not one the service runs");
	refused("{\"fencer\":1,\"command\":7}", "not one the service runs");
	refused("{\"fencer\":1,\"command\":\"fence\",\"x\":1}", "unknown key");
	refused("{\"fencer\":1,\"command\":\"fence\",\"command\":\"flush\"}", "not JSON");	/* duplicate key */
	refused("{\"fencer\":1,\"command\":\"fence\",\"args\":\"fw1\"}", "not an array");
	refused("{\"fencer\":1,\"command\":\"fence\",\"args\":[1]}", "not a string");
	refused("{\"fencer\":1,\"command\":\"fence\",\"args\":[\"fw1\\u0000x\"]}", "not JSON");	/* jansson: no \\u0000 */
	refused("{\"fencer\":1,\"command\":\"fence\",\"verbose\":-1}", "verbose");
	refused("{\"fencer\":1,\"command\":\"fence\",\"json\":1}", "true or false");
	refused("{\"fencer\":1,\"command\":\"fence\",\"invoked_us\":-5}", "malformed");
	refused("{\"fencer\":1,\"command\":\"fence\"} trailing", "not JSON");
	refused("{\"fencer\":1,\"command\":\"fence\",\"config\":7}", "not a path");
}

static void test_request_limits(void **state)
{
	struct serve_request r;
	char err[256], *big, *line;
	size_t n = 0;

	(void)state;
	/* 65 arguments: one too many */
	line = malloc(2048);
	n = (size_t)sprintf(line, "{\"fencer\":1,\"command\":\"promote\",\"args\":[");
	for (int i = 0; i <= SERVE_ARGS_MAX; i++)
		n += (size_t)sprintf(line + n, "%s\"a\"", i ? "," : "");
	strcpy(line + n, "]}");
	assert_int_equal(parse(line, &r, err), -1);
	assert_non_null(strstr(err, "too many"));
	serve_request_free(&r);
	free(line);
	/* an argument of 1025 bytes */
	big = malloc(SERVE_ARG_MAX + 100);
	memset(big, 'x', SERVE_ARG_MAX + 1);
	big[SERVE_ARG_MAX + 1] = '\0';
	line = malloc(SERVE_ARG_MAX + 200);
	sprintf(line, "{\"fencer\":1,\"command\":\"promote\",\"args\":[\"%s\"]}", big);
	assert_int_equal(parse(line, &r, err), -1);
	serve_request_free(&r);
	free(line);
	free(big);
	/* a line over the limit is refused unparsed, a NUL inside too */
	big = calloc(1, SERVE_LINE_MAX + 2);
	memset(big, ' ', SERVE_LINE_MAX + 1);
	assert_int_equal(serve_request_parse(big, SERVE_LINE_MAX + 1, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	free(big);
	assert_int_equal(serve_request_parse("{\"fencer\":1}\0x", 15, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "NUL"));
}

/* What the command line writes, the service reads back the same. */
static void test_format_round_trip(void **state)
{
	const char *args[] = { "--reason", "keepalived: VI_1 \"MASTER\"", "é" };
	struct invocation inv = { .boot_id = "b00t", .mono_us = 123456789012LL };
	struct serve_request r;
	char err[256], *line;

	(void)state;
	line = serve_request_format("promote", args, 3, 1, false, &inv, "/etc/fencer/fencer.conf");
	assert_non_null(line);
	assert_null(strchr(line, '\n'));
	assert_int_equal(parse(line, &r, err), 0);
	assert_string_equal(r.command, "promote");
	assert_int_equal(r.nargs, 3);
	assert_string_equal(r.args[1], args[1]);
	assert_string_equal(r.args[2], "é");
	assert_int_equal(r.invoked.mono_us, inv.mono_us);
	assert_string_equal(r.invoked.boot_id, "b00t");
	assert_string_equal(r.config, "/etc/fencer/fencer.conf");
	serve_request_free(&r);
	free(line);
	args[2] = "\xff\xfe";		/* not UTF-8: not sent, the command runs standalone */
	assert_null(serve_request_format("promote", args, 3, 0, false, &inv, NULL));
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(sess_backoff_ms(0, 60000), 0);
	assert_int_equal(sess_backoff_ms(1, 60000), 1000);
	assert_int_equal(sess_backoff_ms(2, 60000), 2000);
	assert_int_equal(sess_backoff_ms(3, 60000), 4000);
	assert_int_equal(sess_backoff_ms(6, 60000), 32000);
	assert_int_equal(sess_backoff_ms(7, 60000), 60000);
	assert_int_equal(sess_backoff_ms(4000000000u, 60000), 60000);	/* no overflow */
	assert_int_equal(sess_backoff_ms(3, 1000), 1000);
}

static void test_same_switch(void **state)
{
	struct sw_config a = { .name = "core", .address = "10.0.0.1", .user = "fencer", .timeout_ms = 3000 };
	struct sw_config b = a;
	char other[] = "10.0.0.2";

	(void)state;
	assert_true(sw_config_same(&a, &b));
	b.address = other;
	assert_false(sw_config_same(&a, &b));
	b = a;
	b.known_hosts = other;
	assert_false(sw_config_same(&a, &b));
	b = a;
	b.timeout_ms = 2000;
	assert_false(sw_config_same(&a, &b));
	b = a;
	b.ca_file = other;
	assert_false(sw_config_same(&a, &b));
	b = a;
	b.pinned_key = other;
	assert_false(sw_config_same(&a, &b));
}

/* ---- the kept sessions, with a driver that only counts ---------------------- */

static int reuses, closes;
static bool reuse_fails;

static int kept_reuse(struct sw *sw)
{
	reuses++;
	return reuse_fails ? sw_fail(sw, SWE_PROTOCOL, "gone") : 0;
}

static void kept_close(struct sw *sw)
{
	(void)sw;
	closes++;
}

static const struct driver kept_driver = { .name = "kept", .priv_size = sizeof(int), .reuse = kept_reuse,
	.close = kept_close };

static void test_kept_sessions(void **state)
{
	struct sw_config swc = { .name = "core", .driver = &kept_driver, .timeout_ms = 1000 };
	struct sw_config *list[] = { &swc };
	struct config cfg = { .switches = list, .nswitches = 1 };
	struct sess_cache c;
	struct deadline dl;
	struct sw sw;
	long login = -1;

	(void)state;
	sess_cache_init(&c, &cfg);
	session_cache = &c;
	deadline_start(&dl, 1000);
	sw_init(&sw, &swc);
	assert_false(sess_take(&sw, &dl, &login));	/* none kept yet: log in */
	assert_int_equal(login, 0);
	sess_give(&sw, true, 1234);			/* that cold session is kept */
	sw_release(&sw);
	assert_int_equal(closes, 0);
	assert_int_equal(c.v[0].state, SESS_IDLE);

	sw_init(&sw, &swc);
	assert_true(sess_take(&sw, &dl, &login));	/* warm, checked by reuse */
	assert_int_equal(reuses, 1);
	assert_int_equal(login, 1234);			/* the race watches as long as a login */
	assert_int_equal(c.v[0].state, SESS_BUSY);
	sess_give(&sw, false, 0);			/* something failed on it: closed */
	sw_release(&sw);
	assert_int_equal(closes, 1);
	assert_int_equal(c.v[0].state, SESS_EMPTY);

	sw_init(&sw, &swc);
	assert_false(sess_take(&sw, &dl, &login));
	sess_give(&sw, true, 50);
	sw_release(&sw);
	reuse_fails = true;
	sw_init(&sw, &swc);
	assert_false(sess_take(&sw, &dl, &login));	/* dropped by the switch: closed, log in */
	assert_int_equal(closes, 2);
	assert_int_equal(c.v[0].state, SESS_EMPTY);
	assert_non_null(sw.priv);			/* a fresh state to open with */
	assert_int_equal(*(int *)sw.priv, 0);
	sw_release(&sw);
	session_cache = NULL;
	sess_cache_free(&c);
	assert_int_equal(closes, 2);			/* nothing was kept */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_ok),
		cmocka_unit_test(test_request_refused),
		cmocka_unit_test(test_request_limits),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_same_switch),
		cmocka_unit_test(test_kept_sessions),
	};

	return cmocka_run_group_tests_name("serve", tests, NULL, NULL);
}
