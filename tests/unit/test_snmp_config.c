/* The snmp and 3com drivers' configuration checks (their validate hook)
 * and the SNMP version they default to. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "drivers/snmp_session.h"

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

	tu_write("c.secret", "community-1\n", 0600);
	tu_write("a.secret", "auth-password\n", 0600);
	tu_write("p.secret", "priv-password\n", 0600);
	snprintf(text, sizeof text, "[fencer]\nstate-dir = %s/state\n[switch s]\n%s", tu_tmpdir(), body);
	*errs = (struct cfg_errors){ 0 };
	return tu_config(text, errs);
}

static void test_v2c_default(void **state)
{
	struct cfg_errors errs;
	struct config *c;
	char body[512];

	(void)state;
	snprintf(body, sizeof body, "driver = snmp\naddress = 192.0.2.1\ncommunity-file = %s/c.secret\n", tu_tmpdir());
	c = load(body, &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	assert_string_equal(snmp_config_version(c->switches[0]), "2c");
	/* The first configuration this process reads: the defaults of the
	 * common keys and of the driver's own are there. */
	assert_int_equal(c->switches[0]->timeout_ms, 3000);
	assert_int_equal(c->switches[0]->retries, 1);
	assert_true(c->switches[0]->check_write);
	assert_int_equal(c->switches[0]->driver->default_port, 161);
	config_free(c);
	cfg_errors_free(&errs);
}

static void test_v3_default_when_keys_given(void **state)
{
	struct cfg_errors errs;
	struct config *c;
	char body[512];

	(void)state;
	snprintf(body, sizeof body, "driver = 3com\naddress = 192.0.2.1\nuser = fencer\nauth-protocol = sha512\n"
	    "auth-password-file = %s/a.secret\npriv-protocol = aes256\npriv-password-file = %s/p.secret\n",
	    tu_tmpdir(), tu_tmpdir());
	c = load(body, &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	assert_string_equal(snmp_config_version(c->switches[0]), "3");
	config_free(c);
	cfg_errors_free(&errs);
}

static void test_missing_keys(void **state)
{
	struct cfg_errors errs;
	char body[512];

	(void)state;
	assert_null(load("driver = snmp\nsnmp-version = 2c\n", &errs));
	assert_true(tu_has_error(&errs, 3, "needs address"));
	assert_true(tu_has_error(&errs, 3, "snmp-version 2c needs community-file"));
	cfg_errors_free(&errs);

	assert_null(load("driver = snmp\naddress = 192.0.2.1\nsnmp-version = 3\n", &errs));
	assert_true(tu_has_error(&errs, 3, "snmp-version 3 needs user"));
	assert_true(tu_has_error(&errs, 3, "needs auth-password-file"));
	cfg_errors_free(&errs);

	snprintf(body, sizeof body, "driver = 3com\naddress = 192.0.2.1\nsnmp-version = 3\nuser = u\n"
	    "auth-password-file = %s/a.secret\npriv-protocol = des\n", tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 3, "priv-protocol needs priv-password-file"));
	cfg_errors_free(&errs);
}

static void test_mixed_versions_refused(void **state)
{
	struct cfg_errors errs;
	char body[512];

	(void)state;
	snprintf(body, sizeof body, "driver = snmp\naddress = 192.0.2.1\nsnmp-version = 1\n"
	    "community-file = %s/c.secret\nuser = u\n", tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 3, "are for snmp-version 3, not 1"));
	cfg_errors_free(&errs);

	snprintf(body, sizeof body, "driver = snmp\naddress = 192.0.2.1\nsnmp-version = 3\nuser = u\n"
	    "auth-password-file = %s/a.secret\ncommunity-file = %s/c.secret\n", tu_tmpdir(), tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 3, "community-file is for snmp-version 1 and 2c"));
	cfg_errors_free(&errs);

	snprintf(body, sizeof body, "driver = snmp\naddress = 192.0.2.1\ncommunity-file = %s/c.secret\n"
	    "retries = 11\npassword-file = %s/a.secret\n", tu_tmpdir(), tu_tmpdir());
	assert_null(load(body, &errs));
	assert_true(tu_has_error(&errs, 3, "retries must be 0 to 10"));
	assert_true(tu_has_error(&errs, 8, "password-file is not a key of driver snmp"));
	cfg_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_v2c_default, teardown),
		cmocka_unit_test_teardown(test_v3_default_when_keys_given, teardown),
		cmocka_unit_test_teardown(test_missing_keys, teardown),
		cmocka_unit_test_teardown(test_mixed_versions_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
