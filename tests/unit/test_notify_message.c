/* The mail built from a run: headers, CRLF everywhere, no header or line
 * injection from the switch's words, RFC 2047 subject, url_origin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "fencer/journal.h"
#include "fencer/notify_message.h"

static struct run *sample_run(const char *switch_words)
{
	static struct config cfg = { .node = "fw2", .peer = "fw1" };
	struct run *r = calloc(1, sizeof *r);
	long t;

	run_init(r, &cfg, "promote", false);
	t = run_begin(r, "fence", "core", "Gi0/1");
	run_end(r, "fence", "core", "Gi0/1", t, OUT_OK, NULL);
	t = run_begin(r, "verify", "core", "Gi0/1");
	run_end(r, "verify", "core", "Gi0/1", t, OUT_OK, NULL);
	t = run_begin(r, "fence", "core", "Gi0/2");
	run_end(r, "fence", "core", "Gi0/2", t, OUT_FAILED, switch_words);
	return r;
}

static void free_run(struct run *r)
{
	run_close(r);
	free(r);
}

static char *message(struct run *r, const char *outcome, int code)
{
	static const char *const to[] = { "noc@example.com", "ops@example.com" };
	struct mail_head h = { .from = "fencer@fw2.example.com", .to = to, .nto = 2, .date = 1700000000,
	    .message_id = "fencer.1.2.3@fw2.example.com" };
	struct notice n;

	notice_from_run(&n, r, outcome, code);
	return mail_message(&n, r, &h);
}

static void test_headers(void **state)
{
	struct run *r = sample_run("% Invalid input detected");
	char *m = message(r, "fw2 not promoted: fw1: 1 of 2 ports not verified down", 1);

	(void)state;
	assert_non_null(m);
	assert_non_null(strstr(m, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
	assert_non_null(strstr(m, "From: fencer <fencer@fw2.example.com>\r\n"));
	assert_non_null(strstr(m, "To: <noc@example.com>,\r\n <ops@example.com>\r\n"));
	assert_non_null(strstr(m, "\r\nSubject: [fencer] fw2 not promoted: fw1: 1 of 2 ports not verified down in "));
	assert_non_null(strstr(m, "Message-ID: <fencer.1.2.3@fw2.example.com>\r\n"));
	assert_non_null(strstr(m, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\r\n"));
	/* The timeline carries the switch's own words. */
	assert_non_null(strstr(m, "% Invalid input detected\r\n"));
	assert_non_null(strstr(m, "ports:     1 verified, 1 failed\r\n"));
	free(m);
	free_run(r);
}

/* Every LF is part of a CRLF; no bare CR; header block ends once. */
static void test_crlf(void **state)
{
	struct run *r = sample_run("line one\r\nline two\nline three\r");
	char *m = message(r, "fw2 promoted", 0);

	(void)state;
	for (const char *p = m; *p; p++) {
		if (*p == '\n')
			assert_true(p > m && p[-1] == '\r');
		if (*p == '\r')
			assert_int_equal(p[1], '\n');
	}
	assert_non_null(strstr(m, "line one  line two line three "));
	free(m);
	free_run(r);
}

/* Switch text with CR/LF cannot add a header, and cannot start a line with
 * a dot (which would need stuffing, or end the DATA). */
static void test_no_injection(void **state)
{
	struct run *r = sample_run("x\r\nBcc: victim@example.com\r\n.\r\nQUIT");
	char *m;
	const char *body;

	(void)state;
	m = message(r, "fw2 promoted\r\nBcc: evil@example.com", 0);
	body = strstr(m, "\r\n\r\n");
	assert_non_null(body);
	assert_null(strstr(m, "\r\nBcc:"));
	assert_null(strstr(m, "\r\n.\r\n"));
	for (const char *p = strstr(m, "\r\n"); p; p = strstr(p + 2, "\r\n"))
		assert_int_not_equal(p[2], '.');
	/* The subject stays one line. */
	assert_non_null(strstr(m, "Subject: [fencer] fw2 promoted  Bcc: evil@example.com in "));
	free(m);
	free_run(r);
}

static void test_subject_utf8(void **state)
{
	struct run *r = sample_run(NULL);
	char *m = message(r, "fw2 promoted: caf\xc3\xa9 \xff", 0);

	(void)state;
	/* Non-ASCII goes RFC 2047; an invalid byte became '?'. */
	assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
	assert_null(strstr(m, "\xff"));
	free(m);
	free_run(r);
}

static void test_one_line(void **state)
{
	char out[8];

	(void)state;
	text_one_line("a\tb\nc", out, sizeof out);
	assert_string_equal(out, "a b c");
	/* A multi-byte character is never cut. */
	text_one_line("abcdef\xc3\xa9", out, sizeof out);
	assert_string_equal(out, "abcdef");
	text_one_line("\xe2\x82", out, sizeof out);
	assert_string_equal(out, "??");
}

static void test_url_origin(void **state)
{
	char out[128];

	(void)state;
	url_origin("https://hooks.example.com/services/T000/B000/XXXX", out, sizeof out);
	assert_string_equal(out, "https://hooks.example.com");
	url_origin("smtp://user:secret@mail.example.com:587", out, sizeof out);
	assert_string_equal(out, "smtp://mail.example.com:587");
	url_origin("http://127.0.0.1:8080?token=x", out, sizeof out);
	assert_string_equal(out, "http://127.0.0.1:8080");
}

/* A notification's step names its channel and target as such, and as
 * "switch" and "port" for the journal's readers of before; the end line's
 * words are its summary, not an error. */
static void test_journal_fields(void **state)
{
	struct run *r = sample_run("% Invalid input");
	json_t *doc, *steps, *e;
	char *text;
	long t;

	(void)state;
	t = run_begin_notify(r, "webhook", "https://hooks.example.com");
	run_end_notify(r, "webhook", "https://hooks.example.com", t, OUT_FAILED, "HTTP 500");
	run_note(r, "end", OUT_FAILED, "fw2 not promoted");
	text = run_to_json(r, "failed", 1);
	assert_non_null(doc = json_loads(text, 0, NULL));
	steps = json_object_get(doc, "steps");
	e = json_array_get(steps, json_array_size(steps) - 2);
	assert_string_equal(json_string_value(json_object_get(e, "step")), "notify");
	assert_string_equal(json_string_value(json_object_get(e, "channel")), "webhook");
	assert_string_equal(json_string_value(json_object_get(e, "target")), "https://hooks.example.com");
	assert_string_equal(json_string_value(json_object_get(e, "switch")), "webhook");
	assert_string_equal(json_string_value(json_object_get(e, "port")), "https://hooks.example.com");
	assert_string_equal(json_string_value(json_object_get(e, "error")), "HTTP 500");
	e = json_array_get(steps, 0);
	assert_null(json_object_get(e, "channel"));
	assert_string_equal(json_string_value(json_object_get(e, "switch")), "core");
	e = json_array_get(steps, json_array_size(steps) - 1);
	assert_string_equal(json_string_value(json_object_get(e, "summary")), "fw2 not promoted");
	assert_null(json_object_get(e, "error"));
	json_decref(doc);
	free(text);
	free_run(r);
}

static void test_notice_kinds(void **state)
{
	struct run *r = sample_run(NULL);
	struct notice n;

	(void)state;
	notice_from_run(&n, r, "fw2 promoted", 0);
	assert_int_equal(n.kind, NOTICE_PROMOTED);
	assert_int_equal(n.ports_fenced, 1);
	assert_int_equal(n.ports_failed, 1);
	notice_from_run(&n, r, "fw2 not promoted", 1);
	assert_int_equal(n.kind, NOTICE_FENCE_FAILED);
	r->command = "check";
	notice_from_run(&n, r, "switch core: refused", 2);
	assert_int_equal(n.kind, NOTICE_CHECK_CRITICAL);
	assert_string_equal(n.summary, "fw2 check CRITICAL: switch core: refused");
	free_run(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_injection),
		cmocka_unit_test(test_subject_utf8),
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_url_origin),
		cmocka_unit_test(test_notice_kinds),
		cmocka_unit_test(test_journal_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
