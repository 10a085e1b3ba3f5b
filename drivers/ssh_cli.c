/* A prompt-driven CLI over the shared SSH layer (see ssh_cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/ios_parse.h"
#include "drivers/ssh_cli.h"
#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/log.h"

#define RAW_MAX (256 * 1024)
#define TEXT_MAX (64 * 1024)

static const char *last_line(const char *text)
{
	const char *nl = strrchr(text, '\n');

	return nl ? nl + 1 : text;
}

enum swcli_tail swcli_tail(const struct swcli_dialect *d, const char *text, const char *host,
    struct swcli_prompt *p)
{
	const char *line = last_line(text), *s = line;
	size_t n = strlen(line);

	while (*s == ' ')
		s++;
	if (d->more && strncasecmp(s, d->more, strlen(d->more)) == 0)
		return SWCLI_TAIL_MORE;
	if (n >= 9 && strcmp(line + n - 9, "Password:") == 0)
		return SWCLI_TAIL_PASSWORD;
	if (d->prompt(line, host, p))
		return SWCLI_TAIL_PROMPT;
	return SWCLI_TAIL_NONE;
}

/* How many pager markers the exchange's bytes hold, in any case. */
static size_t count_more(const struct swcli *s)
{
	const char *m = s->dialect->more;
	size_t n = 0, ml;

	if (!m)
		return 0;
	ml = strlen(m);
	for (size_t i = 0; i + ml <= s->rawlen; i++)
		if (strncasecmp(s->raw + i, m, ml) == 0) {
			n++;
			i += ml - 1;
		}
	return n;
}

void swcli_begin(struct swcli *s, bool with_prompt)
{
	s->rawlen = 0;
	s->more_seen = 0;
	s->echo_prompt_len = with_prompt ? (int)strlen(s->prompt_text) : 0;
	if (with_prompt) {
		memcpy(s->raw, s->prompt_text, (size_t)s->echo_prompt_len);
		s->rawlen = (size_t)s->echo_prompt_len;
	}
	s->text[0] = '\0';
}

int swcli_wait(struct sw *sw, struct swcli *s, const char *what)
{
	struct deadline d;
	struct swcli_prompt p;

	swssh_deadline(sw, &d);
	for (;;) {
		int rc = swssh_read(sw, &s->link, &d, what, s->raw, &s->rawlen, RAW_MAX);
		enum swcli_tail t;
		size_t more;

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		ios_render(s->raw, s->rawlen, s->text, TEXT_MAX);
		t = swcli_tail(s->dialect, s->text, s->prompt.host, &p);
		if (t == SWCLI_TAIL_PASSWORD)
			return SWCLI_PASSWORD;
		if (t == SWCLI_TAIL_PROMPT) {
			s->prompt = p;
			snprintf(s->prompt_text, sizeof s->prompt_text, "%s", last_line(s->text));
			return SWCLI_PROMPT;
		}
		/* A marker not answered yet: its erase can arrive in pieces. */
		if (t == SWCLI_TAIL_MORE && (more = count_more(s)) > s->more_seen) {
			s->more_seen = more;
			if (swssh_send(sw, &s->link, " ", 1, what) < 0)
				return -1;
		}
	}
}

int swcli_run(struct sw *sw, struct swcli *s, const char *cmd)
{
	char line[256], what[300];
	int n = snprintf(line, sizeof line, "%s\n", cmd);

	if (n < 0 || (size_t)n >= sizeof line)
		return sw_fail(sw, SWE_CONFIG, "command too long: %.80s...", cmd);
	snprintf(what, sizeof what, "`%s`", cmd);
	log_debug("%s: %s", sw->cfg->name, cmd);
	swcli_begin(s, true);
	if (swssh_send(sw, &s->link, line, (size_t)n, what) < 0)
		return -1;
	switch (swcli_wait(sw, s, what)) {
	case SWCLI_PROMPT:
		return 0;
	case SWCLI_PASSWORD:
		return sw_fail(sw, SWE_PROTOCOL, "`%s` asked for a password", cmd);
	default:
		return -1;
	}
}

int swcli_send_secret(struct sw *sw, struct swcli *s, const char *path, const char *what)
{
	char secret[SWSSH_SECRET_MAX + 1], err[512];
	size_t n;
	int rc;

	if (secret_read(path, secret, sizeof secret - 1, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "%s", err);
	n = strlen(secret);
	secret[n++] = '\n';
	swcli_begin(s, false);
	rc = swssh_send(sw, &s->link, secret, n, what);
	explicit_bzero(secret, sizeof secret);
	return rc;
}

void swcli_close(struct swcli *s, const char *goodbye)
{
	swssh_close(&s->link, goodbye);
	free(s->raw);
	free(s->text);
	*s = (struct swcli){ 0 };
}

int swcli_reuse(struct sw *sw, struct swcli *s, const char *cmd)
{
	const struct deadline *run_dl = sw->dl;
	struct deadline d;
	char line[64];
	int rc, n = snprintf(line, sizeof line, "%s\n", cmd);

	if (n < 0 || (size_t)n >= sizeof line)
		return sw_fail(sw, SWE_CONFIG, "command too long: %.40s...", cmd);
	if (!s->link.ch || !ssh_channel_is_open(s->link.ch) || ssh_channel_is_eof(s->link.ch))
		return sw_fail(sw, SWE_PROTOCOL, "the kept session was closed by the switch");
	log_debug("%s: %s%s%s to the kept session", sw->cfg->name, cmd[0] ? "`" : "an empty line", cmd,
	    cmd[0] ? "`" : "");
	deadline_sub(&d, run_dl, SWCLI_REUSE_MS);
	sw->dl = &d;
	swcli_begin(s, true);
	rc = swssh_send(sw, &s->link, line, (size_t)n, "the kept session's line");
	if (rc == 0)
		rc = swcli_wait(sw, s, "the kept session's prompt");
	sw->dl = run_dl;
	if (rc == SWCLI_PASSWORD)
		return sw_fail(sw, SWE_PROTOCOL, "the kept session asks for a password");
	return rc == SWCLI_PROMPT ? 0 : -1;
}

int swcli_open(struct sw *sw, struct swcli *s, const struct swcli_dialect *d)
{
	s->dialect = d;
	s->raw = xmalloc(RAW_MAX);
	s->text = xmalloc(TEXT_MAX);
	s->text[0] = '\0';
	if (swssh_open(sw, &s->link) < 0)
		goto fail;
	swcli_begin(s, false);
	if (swcli_wait(sw, s, "the first prompt after login") != SWCLI_PROMPT) {
		if (sw->errkind == SWE_NONE)
			sw_fail(sw, SWE_PROTOCOL, "the switch asks for a password after login");
		goto fail;
	}
	return 0;
fail:
	swcli_close(s, NULL);
	return -1;
}

/* ---- failures in the switch's words ---------------------------------------- */

int swcli_rejected(struct sw *sw, enum sw_error kind, const char *cmd, const char *port, const struct ios_error *e)
{
	return sw_fail(sw, kind, "the switch rejected `%s`%s%s: %s%s%s%s", cmd, port ? " for port " : "",
	    port ? port : "", e->msg, e->word[0] ? " (at '" : "", e->word, e->word[0] ? "')" : "");
}

int swcli_no_such_port(struct sw *sw, const char *port, const char *cmd, const char *words)
{
	return sw_fail(sw, SWE_PORT, "no such port: switch %s has no %s (its answer to `%s`: %s)", sw->cfg->name,
	    port, cmd, words);
}

int swcli_port_rejected(struct sw *sw, const char *port, const char *cmd, const struct ios_error *e)
{
	char words[300];

	snprintf(words, sizeof words, "%s%s%s%s", e->msg, e->word[0] ? " (at '" : "", e->word,
	    e->word[0] ? "')" : "");
	return swcli_no_such_port(sw, port, cmd, words);
}

bool swcli_caret_on_port(const struct swcli *s, const char *cmd, const char *port, const struct ios_error *e)
{
	const char *at = port ? strstr(cmd, port) : NULL;
	long from, to;

	if (!at || e->caret < 0)
		return false;
	from = s->echo_prompt_len + (at - cmd);
	to = from + (long)strlen(port);
	return e->caret >= from && e->caret < to;
}

int swcli_expect_mode(struct sw *sw, const struct swcli *s, const char *cmd, int mode)
{
	if (s->prompt.mode == mode)
		return 0;
	return sw_fail(sw, SWE_PROTOCOL, "after `%s` the switch shows the prompt `%s`, not the expected mode", cmd,
	    s->prompt_text);
}

int swcli_flush_answer(struct sw *sw, const struct swcli *s, int rc, const struct ios_error *e, bool shown,
    const char *show, const char *flush)
{
	char first[200];

	if (rc == 0 && shown) {
		snprintf(sw->info, sizeof sw->info, "flushes with `%s` (`%s` answers)", flush, show);
		return 0;
	}
	if (rc == 1)
		snprintf(first, sizeof first, "%s", e->msg);
	else
		ios_first_output_line(s->text, first, sizeof first);
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch shows no MAC table to `%s` (%s): the flush with `%s` will fail",
	    show, first[0] ? first : "nothing", flush);
}

int swcli_check_port(struct sw *sw, const struct swcli *s, const char *port, const char *family)
{
	if (!s->link.ch)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	if (port && !port_name_valid(port))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not a valid %s interface name", port, family);
	return 0;
}
