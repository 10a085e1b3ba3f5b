/* Secrets fencer has read, masked in every text that came from a switch, an
 * agent or a command before it is stored, printed or sent: an agent that
 * prints its community in an error line must not put it into the journal,
 * syslog, stderr, --json or a notification. Thread-safe. */
#ifndef FENCER_REDACT_H
#define FENCER_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACTED "[secret]"

/* Remember a secret (a copy); an empty one is ignored. */
void redact_add(const char *secret);
/* A copy of text with every secret in it replaced by REDACTED; NULL when
 * text is NULL. */
char *redact_dup(const char *text);
/* The same in place, the result cut to fit size bytes. cut: the text was
 * cut short, so a tail that begins a secret is masked too. */
void redact_buf(char *buf, size_t size, bool cut);
/* Forget every secret. */
void redact_clear(void);

#endif
