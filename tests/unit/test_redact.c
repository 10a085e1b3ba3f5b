/* Redaction (fencer/redact.h): every secret fencer read is masked in a
 * text, overlapping ones and one cut at the end of a buffer included. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "fencer/redact.h"

static int teardown(void **state)
{
	(void)state;
	redact_clear();
	return 0;
}

static void masks(const char *text, const char *want)
{
	char *got = redact_dup(text);

	assert_string_equal(got, want);
	free(got);
}

static void test_nothing_to_mask(void **state)
{
	(void)state;
	masks("snmpset: Timeout", "snmpset: Timeout");
	redact_add("");				/* an empty secret masks nothing */
	masks("a b", "a b");
	assert_null(redact_dup(NULL));
}

static void test_every_occurrence(void **state)
{
	(void)state;
	redact_add("private-3f9a");
	redact_add("hunter2");
	redact_add("hunter2");			/* kept once */
	masks("bad community private-3f9a for 10.0.0.1", "bad community [secret] for 10.0.0.1");
	masks("private-3f9aprivate-3f9a", "[secret]");
	masks("hunter2: hunter2 and private-3f9a.", "[secret]: [secret] and [secret].");
	masks("hunter", "hunter");		/* a prefix alone is no secret */
}

/* Two secrets sharing bytes: no piece of either is left. */
static void test_overlapping(void **state)
{
	(void)state;
	redact_add("abcd");
	redact_add("cdef");
	masks("xabcdefx", "x[secret]x");
	masks("xcdefabcdx", "x[secret]x");
}

/* A buffer too small for the masked text is cut, never overrun; a text
 * cut short (the last bytes of an agent's output that did not fit) loses
 * a tail that begins a secret. */
static void test_buffers(void **state)
{
	char buf[16];

	(void)state;
	redact_add("s3cr3t-community");
	strcpy(buf, "x s3cr3t-commun");		/* the output was cut here */
	redact_buf(buf, sizeof buf, false);
	assert_string_equal(buf, "x s3cr3t-commun");
	redact_buf(buf, sizeof buf, true);
	assert_string_equal(buf, "x [secret]");
	strcpy(buf, "s3cr3t-communit");
	redact_buf(buf, 4, false);
	assert_int_equal(strlen(buf), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_nothing_to_mask, teardown),
		cmocka_unit_test_teardown(test_every_occurrence, teardown),
		cmocka_unit_test_teardown(test_overlapping, teardown),
		cmocka_unit_test_teardown(test_buffers, teardown),
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
