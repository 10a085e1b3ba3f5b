/* The HTTPS drivers' configuration (eos, nxos; drivers/https_session.c):
 * what they need, the pin's form, and the keys of other drivers refused. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "fencer/driver.h"

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

/* Load "[fencer]" plus one [switch s] (line 3) with the given body. */
static struct config *load(const char *body, struct cfg_errors *errs)
{
	char text[2048];

	tu_write("pw.secret", "password-1\n", 0600);
	tu_write("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
	snprintf(text, sizeof text, "[fencer]\nstate-dir = %s/state\n[switch s]\n%s", tu_tmpdir(), body);
	*errs = (struct cfg_errors){ 0 };
	return tu_config(text, errs);
}

#define PIN "sha256//Oyl4FlU7bMMdiOmYpE6ZH0a0h8Zr3wZKxHs+WZ0v9kU="

static void test_accepted(void **state)
{
	static const char *const drivers[] = { "eos", "nxos" };
	struct cfg_errors errs;
	struct config *c;
	char body[512];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		snprintf(body, sizeof body, "driver = %s\naddress = 192.0.2.1\nuser = fencer\npassword-file = %s/pw.secret\n"
		    "ca-file = %s/ca.pem\npinned-key = " PIN "\n", drivers[i], tu_tmpdir(), tu_tmpdir());
		c = load(body, &errs);
		tu_print_errors(&errs);
		assert_non_null(c);
		assert_string_equal(c->switches[0]->pinned_key, PIN);
		assert_non_null(strstr(c->switches[0]->ca_file, "/ca.pem"));
		assert_int_equal(c->switches[0]->port, 0);
		assert_int_equal(c->switches[0]->driver->default_port, 443);
		config_free(c);
		cfg_errors_free(&errs);
	}
}

static void test_missing_keys(void **state)
{
	struct cfg_errors errs;

	(void)state;
	assert_null(load("driver = eos\n", &errs));
	assert_true(tu_has_error(&errs, 3, "driver eos needs address"));
	assert_true(tu_has_error(&errs, 3, "driver eos needs user"));
	assert_true(tu_has_error(&errs, 3, "driver eos needs password-file"));
	cfg_errors_free(&errs);
}

static void test_bad_pins(void **state)
{
	static const char *const bad[] = {
		"sha256//short",
		"Oyl4FlU7bMMdiOmYpE6ZH0a0h8Zr3wZKxHs+WZ0v9kU=",		/* no prefix */
		"sha256//Oyl4FlU7bMMdiOmYpE6ZH0a0h8Zr3wZKxHs+WZ0v9kUx",	/* no = */
		"sha256//Oyl4FlU7bMMdiOmYpE6ZH0a0h8Zr3wZKxH*+WZ0v9kU=",	/* not base64 */
		"sha256//Oyl4FlU7bMMdiOmYpE6ZH0a0h8Zr3wZKxHs+WZ0v9kU=;sha256//x",
	};
	struct cfg_errors errs;
	char body[512];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(body, sizeof body, "driver = nxos\naddress = 192.0.2.1\nuser = fencer\n"
		    "password-file = %s/pw.secret\npinned-key = %s\n", tu_tmpdir(), bad[i]);
		assert_null(load(body, &errs));
		assert_true(tu_has_error(&errs, 3, "pinned-key must be sha256//"));
		cfg_errors_free(&errs);
	}
}

static void test_other_keys_refused(void **state)
{
	struct cfg_errors errs;
	char body[512];

	(void)state;
	snprintf(body, sizeof body, "driver = eos\naddress = 192.0.2.1\nuser = fencer\npassword-file = %s/pw.secret\n"
	    "known-hosts = %s/ca.pem\n", tu_tmpdir(), tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 8, "known-hosts is not a key of driver eos"));
	cfg_errors_free(&errs);
	snprintf(body, sizeof body, "driver = cisco-ios\naddress = 192.0.2.1\nuser = fencer\n"
	    "password-file = %s/pw.secret\nca-file = %s/ca.pem\n", tu_tmpdir(), tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 8, "ca-file is not a key of driver cisco-ios"));
	cfg_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_accepted, teardown),
		cmocka_unit_test_teardown(test_missing_keys, teardown),
		cmocka_unit_test_teardown(test_bad_pins, teardown),
		cmocka_unit_test_teardown(test_other_keys_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
