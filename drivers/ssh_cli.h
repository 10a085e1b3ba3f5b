/*
 * A prompt-driven CLI over the shared SSH layer (drivers/ssh_session.h),
 * for the CLI drivers whose grammar is a table rather than code of their
 * own: the dialect says what a prompt, the pager's marker and a password
 * question look like; this file sends a line and reads to the next prompt,
 * turning pages as they come, inside the operation's timeout and the run's
 * deadline. Its functions are swcli_* ("switch CLI"). cisco-ios keeps its
 * own reader (drivers/cisco_ios.c).
 */
#ifndef FENCER_SSH_CLI_H
#define FENCER_SSH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/ssh_session.h"

#define SWCLI_HOST_MAX 64

/* A prompt: the switch's name and the dialect's mode number (0 = none). */
struct swcli_prompt {
	char host[SWCLI_HOST_MAX];
	int mode;
};

struct swcli_dialect {
	/* Is line (one rendered line) a prompt? With host non-empty, only a
	 * prompt of that host counts. Pure: unit-tested and fuzzed. */
	bool (*prompt)(const char *line, const char *host, struct swcli_prompt *);
	const char *more;	/* the pager's marker: the last line starts with it (any case) */
};

enum swcli_wait { SWCLI_PROMPT, SWCLI_PASSWORD };

struct swcli {
	struct swssh link;
	const struct swcli_dialect *dialect;
	struct swcli_prompt prompt;	/* the last prompt seen */
	char prompt_text[SWCLI_HOST_MAX + 96];
	char *raw;			/* this exchange's bytes, as received */
	size_t rawlen;
	char *text;			/* ... rendered (ios_render): echo line first */
	size_t more_seen;		/* pager markers answered */
	int echo_prompt_len;		/* the prompt's length in the echo line */
};

/* Is the last line of rendered text a prompt, a pager marker or a
 * password question? Pure, for the tests. */
enum swcli_tail { SWCLI_TAIL_NONE, SWCLI_TAIL_PROMPT, SWCLI_TAIL_MORE, SWCLI_TAIL_PASSWORD };
enum swcli_tail swcli_tail(const struct swcli_dialect *, const char *text, const char *host,
    struct swcli_prompt *);

/* Connect, log in, open the shell and read to the first prompt. 0, or -1
 * with sw_fail set and everything closed. */
int swcli_open(struct sw *, struct swcli *, const struct swcli_dialect *);
/* Read until the CLI waits: SWCLI_PROMPT (prompt, prompt_text set) or
 * SWCLI_PASSWORD; -1 with sw_fail set. */
int swcli_wait(struct sw *, struct swcli *, const char *what);
/* Start an exchange: raw and text hold the prompt the line is typed after
 * when with_prompt, so the echo line reads as the switch shows it. */
void swcli_begin(struct swcli *, bool with_prompt);
/* Type cmd and read to the next prompt: 0 (s->text: echo line, output,
 * prompt), -1 with sw_fail set (a password question is a failure). */
int swcli_run(struct sw *, struct swcli *, const char *cmd);
/* Send a secret line (a password-file), never logged. */
int swcli_send_secret(struct sw *, struct swcli *, const char *path, const char *what);
/* Say goodbye when the shell is open, close, free. */
void swcli_close(struct swcli *, const char *goodbye);
/* fencer serve (docs/serve.md): a kept shell handed to a new run. cmd
 * ("" for an empty line, or a command that moves back to where a fresh
 * open leaves the CLI) must be answered by the kept host's prompt within
 * SWCLI_REUSE_MS: 0 (the prompt in s->prompt, the driver checks its
 * mode), -1 with sw_fail set when the switch dropped the session. */
#define SWCLI_REUSE_MS 1000
int swcli_reuse(struct sw *, struct swcli *, const char *cmd);

/* ---- failures in the switch's words (e: ios_find_error's, or a dialect's
 * finder filling the same struct) ---- */
struct ios_error;
/* "the switch rejected `cmd` for port P: MSG (at 'WORD')". -1. */
int swcli_rejected(struct sw *, enum sw_error, const char *cmd, const char *port, const struct ios_error *);
/* "no such port: switch S has no P (its answer to `cmd`: WORDS)". -1. */
int swcli_no_such_port(struct sw *, const char *port, const char *cmd, const char *words);
/* swcli_no_such_port with the error's message and word as the words. */
int swcli_port_rejected(struct sw *, const char *port, const char *cmd, const struct ios_error *);
/* Does the error's caret point into port, where cmd (typed after the
 * last prompt) holds it? */
bool swcli_caret_on_port(const struct swcli *, const char *cmd, const char *port, const struct ios_error *);
/* 0 when the last prompt is of mode, else a failure naming the prompt. */
int swcli_expect_mode(struct sw *, const struct swcli *, const char *cmd, int mode);
/* An open session, and a port name fencer.conf(5) allows (NULL: none to
 * check); family names the CLI in the message. */
int swcli_check_port(struct sw *, const struct swcli *, const char *port, const char *family);
/* check's flush probe, once show (the family's MAC table command) has run
 * (rc and e as its run returned; shown: the table was read in its
 * answer): info names flush, or the failure quotes what the switch said. */
int swcli_flush_answer(struct sw *, const struct swcli *, int rc, const struct ios_error *, bool shown,
    const char *show, const char *flush);

#endif
