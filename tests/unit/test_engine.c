/* The engine with the test driver: order of steps, the abort policy, a hung
 * switch cut at the deadline, switches worked in parallel, the journal and
 * fenced.json. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "testdriver.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/state.h"

static char logpath[512];

static struct config *setup_config(const char *policy, const char *deadline)
{
	struct cfg_errors errs = { 0 };
	char text[2048];
	struct config *c;

	snprintf(logpath, sizeof logpath, "%s/calls.log", tu_tmpdir());
	unlink(logpath);
	snprintf(text, sizeof text,
	    "[fencer]\nnode = fw2\ndeadline = %s\non-fence-failure = %s\n"
	    "activate = echo 'activate - -' >> %s\nstate-dir = %s/state\n"
	    "[switch a]\ndriver = exec\nagent = /bin/true\n"
	    "[switch b]\ndriver = exec\nagent = /bin/true\n"
	    "[switch c]\ndriver = exec\nagent = /bin/true\nflush = all\n"
	    "[node fw1]\nport = a p1\nport = a p2\nport = b p1\nport = c p1\n"
	    "[node fw2]\nport = a p3\n",
	    deadline, policy, logpath, tu_tmpdir());
	c = tu_config(text, &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	for (size_t i = 0; i < c->nswitches; i++)
		c->switches[i]->driver = &test_driver;
	return c;
}

static int run_command(struct config *c, const char *command)
{
	struct run run;
	int rc;

	run_init(&run, c, command, false);
	run_open_journal(&run);
	if (strcmp(command, "promote") == 0)
		rc = engine_promote(&run);
	else if (strcmp(command, "fence") == 0)
		rc = engine_fence(&run, "fw1");
	else
		rc = engine_unfence(&run, "fw1", false);
	run_close(&run);
	return rc;
}

/* Line number (1-based) of the first and last log line starting with `what`. */
static void find_lines(const char *what, int *first, int *last)
{
	char line[256];
	FILE *fp = fopen(logpath, "r");
	int n = 0;

	*first = *last = 0;
	if (!fp)
		return;
	while (fgets(line, sizeof line, fp)) {
		n++;
		if (strncmp(line, what, strlen(what)) == 0) {
			if (!*first)
				*first = n;
			*last = n;
		}
	}
	fclose(fp);
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static void test_promote_order(void **state)
{
	struct config *c = setup_config("abort", "5s");
	int vf, vl, af, al, ff, fl, sf, sl, nf, nl;

	(void)state;
	td_reset(logpath, 0);
	td_force("a", "p3", PORT_DOWN);		/* fenced by fw1 when it was promoted */
	assert_int_equal(run_command(c, "promote"), EXIT_OK);
	find_lines("noshut a p3", &nf, &nl);
	assert_true(nf > 0);
	find_lines("shut", &sf, &sl);
	find_lines("verify", &vf, &vl);
	find_lines("activate", &af, &al);
	find_lines("flush", &ff, &fl);
	assert_true(sf > 0 && vf > 0 && af > 0 && ff > 0);
	/* never activate before every port is verified (the reads after it are
	 * the watch for a racing peer) */
	for (const char *const *v = (const char *const[]){ "verify a p1", "verify a p2", "verify b p1",
	    "verify c p1", "verify a p3", NULL }; *v; v++) {
		find_lines(*v, &vf, &vl);
		assert_true(vf > 0 && vf < af);
	}
	assert_true(af < ff);		/* flush after activation */
	assert_int_equal(td_port("a", "p1"), PORT_DOWN);
	assert_int_equal(td_port("b", "p1"), PORT_DOWN);
	assert_int_equal(td_port("a", "p3"), PORT_UP);	/* our own port is back */
	find_lines("shut a ", &sf, &sl);
	assert_true(sl < nf);		/* after the peer's ports on that switch were shut */
	assert_true(nf < af);		/* and before activation */
	find_lines("flush a p3", &ff, &fl);
	assert_int_equal(ff, 0);	/* flush = port flushes the fenced ports only */
	find_lines("flush", &ff, &fl);
	config_free(c);
}

static void test_abort_policy(void **state)
{
	struct config *c = setup_config("abort", "5s");
	int af, al, ff, fl;

	(void)state;
	td_reset(logpath, 0);
	td_set("b", (struct td_behaviour){ .ignore_shutdown = true });
	assert_int_equal(run_command(c, "promote"), EXIT_FAILED);
	find_lines("activate", &af, &al);
	find_lines("flush", &ff, &fl);
	assert_int_equal(af, 0);
	assert_int_equal(ff, 0);
	assert_int_equal(td_port("a", "p1"), PORT_DOWN);	/* the others were still fenced */
	config_free(c);
}

static void test_continue_policy(void **state)
{
	struct config *c = setup_config("continue", "5s");
	int af, al;

	(void)state;
	td_reset(logpath, 0);
	td_set("b", (struct td_behaviour){ .reject_set = true });
	assert_int_equal(run_command(c, "promote"), EXIT_FAILED);
	find_lines("activate", &af, &al);
	assert_true(af > 0);
	config_free(c);
}

static void test_parallel_workers(void **state)
{
	struct config *c = setup_config("abort", "5s");

	(void)state;
	td_reset(logpath, 3);
	assert_int_equal(run_command(c, "promote"), EXIT_OK);
	assert_int_equal(td_peak(), 3);
	config_free(c);
}

static json_t *journal_lines(struct config *c, size_t *n)
{
	char path[600], line[4096];
	json_t *all = json_array();
	FILE *fp;

	snprintf(path, sizeof path, "%s/journal.jsonl", c->state_dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp)) {
		json_t *o = json_loads(line, 0, NULL);

		assert_non_null(o);
		json_array_append_new(all, o);
	}
	fclose(fp);
	*n = json_array_size(all);
	return all;
}

static void test_journal_and_state(void **state)
{
	struct config *c = setup_config("abort", "5s");
	struct fenced f;
	char err[256];
	size_t n, i, fence_ok = 0, with_error = 0;
	json_t *lines, *o;

	(void)state;
	td_reset(logpath, 0);
	td_set("c", (struct td_behaviour){ .reject_set = true });
	assert_int_equal(run_command(c, "fence"), EXIT_FAILED);
	lines = journal_lines(c, &n);
	assert_true(n > 8);
	json_array_foreach(lines, i, o) {
		const char *time = json_string_value(json_object_get(o, "time"));

		assert_non_null(time);
		assert_int_equal(strlen(time), 24);	/* 2026-11-26T19:31:08.123Z */
		assert_string_equal(json_string_value(json_object_get(o, "node")), "fw2");
		assert_string_equal(json_string_value(json_object_get(o, "command")), "fence");
		assert_non_null(json_object_get(o, "step"));
		assert_non_null(json_object_get(o, "outcome"));
		if (strcmp(json_string_value(json_object_get(o, "step")), "verify") == 0 &&
		    strcmp(json_string_value(json_object_get(o, "outcome")), "ok") == 0) {
			fence_ok++;
			assert_true(json_integer_value(json_object_get(o, "duration_ms")) >= 0);
			assert_non_null(json_object_get(o, "port"));
		}
		if (json_object_get(o, "error") &&
		    strstr(json_string_value(json_object_get(o, "error")), "% Invalid input"))
			with_error++;
	}
	assert_int_equal(fence_ok, 3);
	assert_true(with_error >= 1);		/* the switch's own words */
	json_decref(lines);
	assert_int_equal(fenced_load(c->state_dir, &f, err, sizeof err), 0);
	assert_int_equal(f.n, 3);		/* the rejected port is not recorded */
	assert_null(fenced_find(&f, "c", "p1"));
	assert_non_null(fenced_find(&f, "b", "p1"));
	fenced_free(&f);

	td_set("c", (struct td_behaviour){ 0 });
	assert_int_equal(run_command(c, "unfence"), EXIT_OK);
	assert_int_equal(td_port("a", "p1"), PORT_UP);
	assert_int_equal(fenced_load(c->state_dir, &f, err, sizeof err), 0);
	assert_int_equal(f.n, 0);
	fenced_free(&f);
	config_free(c);
}

/* A port whose shutdown was sent is in fenced.json before its read-back
 * ("sent, not verified"), stays there when the read-back or the answer
 * fails, and unfence knows it. */
static void test_sent_not_verified(void **state)
{
	struct config *c = setup_config("abort", "5s");
	char err[256], path[600];
	struct fenced f;
	int rf, rl;

	(void)state;
	td_reset(logpath, 0);
	snprintf(path, sizeof path, "%s/fenced.json", c->state_dir);
	td_watch_record(path);
	td_set("a", (struct td_behaviour){ .fail_after_send = true });	/* p1 p2 go down, answer bad */
	td_set("b", (struct td_behaviour){ .ignore_shutdown = true });	/* p1 stays up */
	assert_int_equal(run_command(c, "fence"), EXIT_FAILED);
	find_lines("recorded c p1", &rf, &rl);
	assert_true(rf > 0);			/* recorded before its verification */
	assert_int_equal(fenced_load(c->state_dir, &f, err, sizeof err), 0);
	assert_int_equal(f.n, 4);
	assert_string_equal(fenced_find(&f, "a", "p1")->state, FENCED_SENT);
	assert_string_equal(fenced_find(&f, "a", "p2")->state, FENCED_SENT);
	assert_string_equal(fenced_find(&f, "b", "p1")->state, FENCED_SENT);
	assert_string_equal(fenced_find(&f, "c", "p1")->state, FENCED_VERIFIED);
	fenced_free(&f);
	assert_int_equal(td_port("a", "p1"), PORT_DOWN);

	td_reset(logpath, 0);
	td_force("a", "p1", PORT_DOWN);
	td_force("a", "p2", PORT_DOWN);
	td_force("c", "p1", PORT_DOWN);
	assert_int_equal(run_command(c, "unfence"), EXIT_OK);
	assert_int_equal(td_port("a", "p1"), PORT_UP);
	assert_int_equal(td_port("a", "p2"), PORT_UP);
	assert_int_equal(fenced_load(c->state_dir, &f, err, sizeof err), 0);
	assert_int_equal(f.n, 0);
	fenced_free(&f);
	config_free(c);
}

/* The journal's words: the summary of the run under "summary", what a step
 * did under "detail", a failure's words under "error". */
static void test_journal_words(void **state)
{
	struct config *c = setup_config("abort", "5s");
	json_t *lines, *o;
	size_t n, i;
	bool summary = false, detail = false;

	(void)state;
	td_reset(logpath, 0);
	td_set("a", (struct td_behaviour){ .flush_info = "deleted 12 entries" });
	assert_int_equal(run_command(c, "promote"), EXIT_OK);
	lines = journal_lines(c, &n);
	json_array_foreach(lines, i, o) {
		const char *step = json_string_value(json_object_get(o, "step"));

		assert_null(json_object_get(o, "error"));	/* nothing failed */
		if (strcmp(step, "end") == 0)
			summary = strstr(json_string_value(json_object_get(o, "summary")), "fw2 promoted") != NULL;
		if (strcmp(step, "flush") == 0 && json_object_get(o, "detail"))
			detail = strcmp(json_string_value(json_object_get(o, "detail")), "deleted 12 entries") == 0;
	}
	assert_true(summary);
	assert_true(detail);
	json_decref(lines);
	config_free(c);
}

/* A node with no port (possible only where no switch is configured) is
 * never "fenced (0 ports)". */
static void test_fence_nothing_fails(void **state)
{
	struct cfg_errors errs = { 0 };
	char text[512];
	struct config *c;
	struct run run;

	(void)state;
	snprintf(text, sizeof text, "[fencer]\nnode = fw2\nstate-dir = %s/state\n[node fw1]\n[node fw2]\n",
	    tu_tmpdir());
	c = tu_config(text, &errs);
	assert_non_null(c);
	run_init(&run, c, "fence", false);
	assert_int_equal(engine_fence(&run, "fw1"), EXIT_FAILED);
	run_close(&run);
	config_free(c);
}

/* ---- two engines at once, as in a split brain ---------------------------- */

struct racer {
	struct config *cfg;
	pthread_barrier_t *go;
	int rc;
	char summary[512];
};

static struct config *racer_config(int me)
{
	struct cfg_errors errs = { 0 };
	char text[2048];
	struct config *c;

	snprintf(text, sizeof text,
	    "[fencer]\nnode = fw%d\npeer = fw%d\ndeadline = 5s\nrace-window = 100ms\n"
	    "activate = touch %s/fw%d.active\ndeactivate = rm -f %s/fw%d.active\nstate-dir = %s/state%d\n"
	    "[switch a]\ndriver = exec\nagent = /bin/true\nflush = none\n"
	    "[switch b]\ndriver = exec\nagent = /bin/true\nflush = none\n"
	    "[node fw1]\nport = a p1\nport = b p1\n"
	    "[node fw2]\nport = a p2\nport = b p2\n",
	    me, 3 - me, tu_tmpdir(), me, tu_tmpdir(), me, tu_tmpdir(), me);
	c = tu_config(text, &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	for (size_t i = 0; i < c->nswitches; i++)
		c->switches[i]->driver = &test_driver;
	return c;
}

static void *racer_run(void *arg)
{
	struct racer *r = arg;
	struct run run;

	run_init(&run, r->cfg, "promote", false);
	run_open_journal(&run);
	pthread_barrier_wait(r->go);
	r->rc = engine_promote(&run);
	for (size_t i = run.nev; i-- > 0;)
		if (strcmp(run.ev[i].step, "end") == 0 && run.ev[i].error) {
			snprintf(r->summary, sizeof r->summary, "%s", run.ev[i].error);
			break;
		}
	run_close(&run);
	return NULL;
}

static bool active(int node)
{
	char path[600];

	snprintf(path, sizeof path, "%s/fw%d.active", tu_tmpdir(), node);
	return access(path, F_OK) == 0;
}

/* Both nodes promote at the same instant against the same switches, their
 * operations interleaved at random: fw1 (the name that sorts first) holds
 * every switch and exits 0; fw2 stands down, inactive, exit 1, saying so. */
static void test_two_promotes_race(void **state)
{
	struct config *c1 = racer_config(1), *c2 = racer_config(2);

	(void)state;
	for (int trial = 0; trial < 6; trial++) {
		pthread_barrier_t go;
		struct racer r1 = { .cfg = c1, .go = &go }, r2 = { .cfg = c2, .go = &go };
		pthread_t t1, t2;

		td_reset(logpath, 0);
		td_set("a", (struct td_behaviour){ .jitter_us = 3000 });
		td_set("b", (struct td_behaviour){ .jitter_us = 3000 });
		if (trial % 2) {		/* all ports up, as after "every port given back" */
			td_force("a", "p1", PORT_UP);
			td_force("b", "p2", PORT_UP);
		}
		pthread_barrier_init(&go, NULL, 2);
		pthread_create(&t1, NULL, racer_run, &r1);
		pthread_create(&t2, NULL, racer_run, &r2);
		pthread_join(t1, NULL);
		pthread_join(t2, NULL);
		pthread_barrier_destroy(&go);
		assert_int_equal(r1.rc, EXIT_OK);
		assert_int_equal(r2.rc, EXIT_FAILED);
		assert_non_null(strstr(r2.summary, "lost the fence race to fw1"));
		assert_true(active(1));
		assert_false(active(2));
		assert_int_equal(td_port("a", "p1"), PORT_UP);
		assert_int_equal(td_port("b", "p1"), PORT_UP);
		assert_int_equal(td_port("a", "p2"), PORT_DOWN);
		assert_int_equal(td_port("b", "p2"), PORT_DOWN);
	}
	config_free(c1);
	config_free(c2);
}

/* Last: the hung worker goes on sleeping after the engine returned. */
static void test_hung_switch_cut(void **state)
{
	struct config *c = setup_config("abort", "600ms");
	int af, al, waited = 0;

	(void)state;
	td_reset(logpath, 0);
	td_set("b", (struct td_behaviour){ .hang_ms = 4000 });
	assert_int_equal(run_command(c, "promote"), EXIT_FAILED);
	assert_true(td_still_hanging());	/* the engine did not wait for it */
	find_lines("activate", &af, &al);
	assert_int_equal(af, 0);
	assert_int_equal(td_port("a", "p1"), PORT_DOWN);
	while (!td_idle() && waited++ < 200)
		usleep(50000);
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_promote_order, teardown),
		cmocka_unit_test_teardown(test_abort_policy, teardown),
		cmocka_unit_test_teardown(test_continue_policy, teardown),
		cmocka_unit_test_teardown(test_parallel_workers, teardown),
		cmocka_unit_test_teardown(test_journal_and_state, teardown),
		cmocka_unit_test_teardown(test_sent_not_verified, teardown),
		cmocka_unit_test_teardown(test_journal_words, teardown),
		cmocka_unit_test_teardown(test_fence_nothing_fails, teardown),
		cmocka_unit_test_teardown(test_two_promotes_race, teardown),
		cmocka_unit_test_teardown(test_hung_switch_cut, teardown),
	};

	log_init(0, false);
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
