#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/journal.h"
#include "fencer/notify_message.h"

/* A growing string. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		b->p = xrealloc(b->p, cap, 1);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) PRINTF(2, 3);

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Length of the UTF-8 sequence at s, or 0 if it is not one (overlongs,
 * surrogates and cut sequences included). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned min;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void text_one_line(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t o = 0;

	if (!len)
		return;
	while (*s) {
		size_t n = utf8_len(s);

		if (n == 0) {
			n = 1;
			if (o + 1 >= len)
				break;
			out[o++] = '?';
		} else if (n == 1) {
			if (o + 1 >= len)
				break;
			out[o++] = (*s < 0x20 || *s == 0x7f) ? ' ' : (char)*s;
		} else {
			if (o + n >= len)
				break;
			memcpy(out + o, s, n);
			o += n;
		}
		s += n;
	}
	out[o] = '\0';
}

void url_origin(const char *url, char *buf, size_t len)
{
	const char *sep = strstr(url, "://"), *host, *end, *at;

	if (!sep) {
		snprintf(buf, len, "(url)");
		return;
	}
	host = sep + 3;
	end = host + strcspn(host, "/?#");
	/* user:password@ before the host: never shown. */
	at = memchr(host, '@', (size_t)(end - host));
	if (at)
		host = at + 1;
	snprintf(buf, len, "%.*s://%.*s", (int)(sep - url), url, (int)(end - host), host);
}

void mail_date(time_t t, char *buf, size_t len)
{
	/* Not strftime: %a and %b follow the locale, RFC 5322 wants English. */
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	    "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- the notice ------------------------------------------------------------ */

static bool is_step(const struct event *e, const char *step)
{
	return strcmp(e->step, step) == 0;
}

static bool same_port(const struct event *a, const struct event *b)
{
	return a->sw && b->sw && strcmp(a->sw, b->sw) == 0 && strcmp(a->port, b->port) == 0;
}

static bool port_step(const struct event *e)
{
	return e->port && e->outcome != OUT_START && e->outcome != OUT_SKIPPED &&
	    (is_step(e, "verify") || is_step(e, "fence") || is_step(e, "unfence"));
}

/* Each port once, by its last word: a port written again in a fence race
 * has several. A port that failed to set is not read back: one failure. */
static void count_ports(struct notice *n, const struct run *r)
{
	for (size_t i = 0; i < r->nev; i++) {
		const struct event *e = &r->ev[i];
		bool later = false;

		if (!port_step(e))
			continue;
		for (size_t k = i + 1; k < r->nev && !later; k++)
			later = port_step(&r->ev[k]) && same_port(e, &r->ev[k]);
		if (later)
			continue;
		if (e->outcome != OUT_OK)
			n->ports_failed++;
		else if (is_step(e, "verify"))
			n->ports_fenced++;
	}
}

static enum notice_kind kind_of(const char *command, int exit_code)
{
	if (strcmp(command, "check") == 0)
		return NOTICE_CHECK_CRITICAL;
	if (strcmp(command, "demote") == 0)
		return NOTICE_DEMOTED;
	if (strcmp(command, "promote") == 0 && exit_code != 1)
		return NOTICE_PROMOTED;
	return NOTICE_FENCE_FAILED;
}

/* The engine's outcome is already a sentence ("fw2 promoted: fw1 fenced
 * (2 ports)"); the summary adds how long it took, as the journal's end
 * line does. */
void notice_from_run(struct notice *n, const struct run *r, const char *outcome, int exit_code)
{
	char line[600];

	memset(n, 0, sizeof *n);
	text_one_line(r->command, n->command, sizeof n->command);
	text_one_line(r->node, n->node, sizeof n->node);
	text_one_line(r->cfg && r->cfg->peer ? r->cfg->peer : "", n->peer, sizeof n->peer);
	text_one_line(outcome, n->outcome, sizeof n->outcome);
	n->exit_code = exit_code;
	n->duration_ms = r->nev ? r->ev[r->nev - 1].at_ms : 0;
	n->kind = kind_of(n->command, exit_code);
	count_ports(n, r);
	if (n->kind == NOTICE_CHECK_CRITICAL)
		snprintf(line, sizeof line, "%s check CRITICAL: %s", n->node, n->outcome);
	else if (strcmp(n->command, "fence") == 0 || strcmp(n->command, "unfence") == 0)
		snprintf(line, sizeof line, "%s %s: %s in %ld ms", n->node, n->command, n->outcome, n->duration_ms);
	else
		snprintf(line, sizeof line, "%s in %ld ms", n->outcome, n->duration_ms);
	text_one_line(line, n->summary, sizeof n->summary);
}

/* ---- the mail ---------------------------------------------------------------- */

/* RFC 2047: a subject with non-ASCII text goes as base64 encoded-words of
 * at most 75 characters, folded onto continuation lines. */
static void header_encoded(struct sbuf *b, const char *name, const char *text)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)text;
	bool ascii = true;

	for (const unsigned char *p = s; *p; p++)
		ascii = ascii && *p < 0x80;
	sb_printf(b, "%s: ", name);
	if (ascii) {
		sb_printf(b, "%s\r\n", text);
		return;
	}
	while (*s) {
		size_t chunk = 0;

		/* 45 bytes make 60 base64 characters: 72 with =?UTF-8?B?...?= */
		while (s[chunk] && chunk + utf8_len(s + chunk) <= 45)
			chunk += utf8_len(s + chunk) ? utf8_len(s + chunk) : 1;
		if (!chunk)
			chunk = 1;
		sb_printf(b, "%s=?UTF-8?B?", s == (const unsigned char *)text ? "" : "\r\n ");
		for (size_t i = 0; i < chunk; i += 3) {
			unsigned v = (unsigned)s[i] << 16 | (i + 1 < chunk ? (unsigned)s[i + 1] << 8 : 0) |
			    (i + 2 < chunk ? s[i + 2] : 0);
			char q[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63],
			    i + 1 < chunk ? b64[v >> 6 & 63] : '=', i + 2 < chunk ? b64[v & 63] : '=' };

			sb_add(b, q, 4);
		}
		sb_add(b, "?=", 2);
		s += chunk;
	}
	sb_add(b, "\r\n", 2);
}

static void mail_headers(struct sbuf *b, const struct notice *n, const struct mail_head *h)
{
	char date[64], subject[300];

	mail_date(h->date, date, sizeof date);
	sb_printf(b, "Date: %s\r\n", date);
	sb_printf(b, "From: fencer <%s>\r\n", h->from);
	sb_add(b, "To: ", 4);
	for (size_t i = 0; i < h->nto; i++)
		sb_printf(b, "%s<%s>", i ? ",\r\n " : "", h->to[i]);
	sb_add(b, "\r\n", 2);
	snprintf(subject, sizeof subject, "[fencer] %s", n->summary);
	header_encoded(b, "Subject", subject);
	sb_printf(b, "Message-ID: <%s>\r\n", h->message_id);
	sb_add(b, "MIME-Version: 1.0\r\n", 19);
	sb_add(b, "Content-Type: text/plain; charset=utf-8\r\n", 41);
	sb_add(b, "Content-Transfer-Encoding: 8bit\r\n", 33);
	sb_printf(b, "X-Fencer-Event: %s\r\n", n->command);
	sb_add(b, "\r\n", 2);
}

/* One event of the timeline; outside words go on their own line below it,
 * indented, so no line of the body can start with a '.' or run past the
 * 998 characters SMTP allows. */
static void timeline_line(struct sbuf *b, const struct event *e)
{
	char step[64], sw[128], port[128], words[900];

	text_one_line(e->step, step, sizeof step);
	text_one_line(e->sw, sw, sizeof sw);
	text_one_line(e->port, port, sizeof port);
	sb_printf(b, "%+8ld ms  %-10s %-12s %-22s %-8s", e->at_ms, step, sw, port, outcome_name(e->outcome));
	if (e->duration_ms >= 0)
		sb_printf(b, " %6ld ms", e->duration_ms);
	sb_add(b, "\r\n", 2);
	if (e->error) {
		text_one_line(e->error, words, sizeof words);
		sb_printf(b, "             %s\r\n", words);
	}
}

static void mail_body(struct sbuf *b, const struct notice *n, const struct run *r)
{
	char args[600];

	sb_printf(b, "%s\r\n\r\n", n->summary);
	sb_printf(b, "node:      %s\r\n", n->node);
	if (n->peer[0])
		sb_printf(b, "peer:      %s\r\n", n->peer);
	sb_printf(b, "command:   %s\r\n", n->command);
	if (r->args) {
		text_one_line(r->args, args, sizeof args);
		sb_printf(b, "arguments: %s\r\n", args);
	}
	sb_printf(b, "started:   %s\r\n", r->start_time);
	sb_printf(b, "outcome:   %s (exit %d)\r\n", n->outcome, n->exit_code);
	if (n->ports_fenced || n->ports_failed)
		sb_printf(b, "ports:     %u verified, %u failed\r\n", n->ports_fenced, n->ports_failed);
	sb_printf(b, "\r\ntimeline (ms since start, step, switch, port, outcome, duration):\r\n");
	for (size_t i = 0; i < r->nev; i++) {
		const struct event *e = &r->ev[i];

		/* A step's end line says it all; starts only clutter. */
		if (e->outcome == OUT_START && strcmp(e->step, "begin") != 0)
			continue;
		timeline_line(b, e);
	}
	sb_printf(b, "\r\n-- \r\nfencer %s on %s\r\n", FENCER_VERSION, n->node);
}

char *mail_message(const struct notice *n, const struct run *r, const struct mail_head *h)
{
	struct sbuf b = { 0 };

	mail_headers(&b, n, h);
	mail_body(&b, n, r);
	return b.p;
}
