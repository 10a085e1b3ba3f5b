/* What a notification says, built from a run: pure functions, no I/O, so
 * they can be unit-tested and fuzzed. The run's events carry outside text
 * (the switch's own words, a hook's output): nothing of it can break out of
 * a mail header or line. */
#ifndef FENCER_NOTIFY_MESSAGE_H
#define FENCER_NOTIFY_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct run;

enum notice_kind { NOTICE_PROMOTED = 1, NOTICE_DEMOTED, NOTICE_FENCE_FAILED, NOTICE_CHECK_CRITICAL };

struct notice {
	enum notice_kind kind;		/* the FENCER-MIB notification */
	char command[32];
	char node[65];
	char peer[65];			/* "" when none */
	char outcome[256];
	int exit_code;
	long duration_ms;		/* until the notification */
	unsigned ports_fenced;		/* verified down */
	unsigned ports_failed;		/* not set or not verified */
	char summary[256];		/* one line, the mail's subject after "[fencer] " */
};

/* The mail's envelope facts that are not in the run. */
struct mail_head {
	const char *from;
	const char *const *to;
	size_t nto;
	time_t date;
	const char *message_id;		/* without <>; e.g. fencer.1700000000.123.ab12@fw2 */
};

/* Summarise a run (the caller holds run->mu or owns the run). */
void notice_from_run(struct notice *, const struct run *, const char *outcome, int exit_code);

/* The whole RFC 5322 message, CRLF line endings, UTF-8 text/plain body with
 * the run's timeline. Lines are never dot-stuffed here: that is the SMTP
 * client's job. Caller frees; NULL when out of memory. */
char *mail_message(const struct notice *, const struct run *, const struct mail_head *);

/* The RFC 5322 date of t, in UTC: "Tue, 07 Jan 2025 12:00:00 +0000". */
void mail_date(time_t t, char *buf, size_t len);

/* scheme://host[:port] of a URL: what may be shown of it. Webhook URLs
 * often carry a token in their path or a password before the host. */
void url_origin(const char *url, char *buf, size_t len);

/* Copy text, making it one safe line: control characters (CR, LF, TAB,
 * ...) become spaces, bytes that are not UTF-8 become '?', at most len-1
 * bytes and never a cut character. */
void text_one_line(const char *in, char *out, size_t len);

#endif
