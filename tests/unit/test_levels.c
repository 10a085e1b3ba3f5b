/* Fencing levels (fencer/levels.h): the order they are tried in, which
 * level counts, and what the journal and the notifications say. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "fencer/levels.h"

/* Level 1 verified: nothing more is tried, and the words are those of
 * fencer before levels. */
static void test_level1_holds(void **state)
{
	struct levels lv;
	char s[256];

	(void)state;
	levels_init(&lv, 3);
	assert_int_equal(levels_next(&lv), 1);
	levels_done(&lv, 1, 2, 0);
	assert_int_equal(lv.fenced_by, 1);
	assert_int_equal(levels_next(&lv), 0);
	levels_init(&lv, 1);
	levels_done(&lv, 1, 2, 0);
	levels_describe(&lv, "fw1", s, sizeof s);
	assert_string_equal(s, "fw1 fenced (2 ports)");
	levels_init(&lv, 1);
	levels_done(&lv, 1, 2, 1);
	assert_int_equal(levels_next(&lv), 0);		/* one level: nothing after it */
	levels_describe(&lv, "fw1", s, sizeof s);
	assert_string_equal(s, "fw1: 1 of 2 ports not verified down");
}

/* A level counts only when every port of it was verified: one of two is
 * not enough, and the next level is tried. */
static void test_partial_level_does_not_count(void **state)
{
	struct levels lv;
	char s[256];

	(void)state;
	levels_init(&lv, 3);
	levels_done(&lv, 1, 2, 1);
	assert_int_equal(lv.fenced_by, 0);
	assert_int_equal(levels_next(&lv), 2);
	levels_done(&lv, 2, 1, 0);
	assert_int_equal(lv.fenced_by, 2);
	assert_int_equal(levels_next(&lv), 0);		/* level 3 is not needed */
	levels_describe(&lv, "fw1", s, sizeof s);
	assert_string_equal(s, "fw1 fenced at level 2 (1 port)");
}

/* Fencing nothing is not fencing: a level with no port never counts. */
static void test_empty_level_never_counts(void **state)
{
	struct levels lv;

	(void)state;
	levels_init(&lv, 2);
	levels_done(&lv, 1, 0, 0);
	assert_int_equal(lv.fenced_by, 0);
	assert_int_equal(levels_next(&lv), 2);
}

/* Every level fails: each is said as tried, in order. */
static void test_every_level_fails(void **state)
{
	struct levels lv;
	char s[512];

	(void)state;
	levels_init(&lv, 3);
	levels_done(&lv, 1, 2, 2);
	levels_done(&lv, 2, 1, 1);
	assert_int_equal(levels_next(&lv), 3);
	levels_done(&lv, 3, 1, 1);
	assert_int_equal(levels_next(&lv), 0);
	assert_int_equal(lv.fenced_by, 0);
	levels_describe(&lv, "fw1", s, sizeof s);
	assert_string_equal(s, "fw1 not fenced at any of 3 levels: level 1: 2 of 2 ports not verified down; "
	    "level 2: 1 of 1 port not verified down; level 3: 1 of 1 port not verified down");
}

/* No time left: that level and the ones after it are not tried. */
static void test_no_time_stops(void **state)
{
	struct levels lv;
	char s[512];

	(void)state;
	levels_init(&lv, 3);
	levels_done(&lv, 1, 1, 1);
	levels_no_time(&lv, 2);
	assert_int_equal(levels_next(&lv), 0);
	levels_describe(&lv, "fw1", s, sizeof s);
	assert_string_equal(s, "fw1 not fenced at any of 3 levels: level 1: 1 of 1 port not verified down; "
	    "level 2 not tried: no time left of the deadline");
}

/* A later level's success does not move the one that fenced the node, and
 * a level out of range changes nothing. */
static void test_bounds(void **state)
{
	struct levels lv;
	char s[16];

	(void)state;
	levels_init(&lv, 2);
	levels_done(&lv, 3, 1, 0);
	levels_done(&lv, 0, 1, 0);
	assert_int_equal(lv.fenced_by, 0);
	assert_int_equal(lv.at, 0);
	levels_init(&lv, LEVEL_MAX + 5);
	assert_int_equal(lv.n, LEVEL_MAX);
	levels_init(&lv, 3);
	levels_done(&lv, 1, 3, 3);
	levels_done(&lv, 2, 3, 3);
	levels_done(&lv, 3, 3, 3);
	levels_describe(&lv, "fw1", s, sizeof s);	/* cut, never past the buffer */
	assert_int_equal(strlen(s), sizeof s - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level1_holds),
		cmocka_unit_test(test_partial_level_does_not_count),
		cmocka_unit_test(test_empty_level_never_counts),
		cmocka_unit_test(test_every_level_fails),
		cmocka_unit_test(test_no_time_stops),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
