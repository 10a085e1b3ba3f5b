/* Logging: syslog (LOG_DAEMON, ident "fencer") and stderr, one small API.
 * log_warn adds strerror(errno); the x variants do not. */
#ifndef FENCER_LOG_H
#define FENCER_LOG_H

#include <stdbool.h>

#define PRINTF(f, a) __attribute__((format(printf, f, a)))

/* verbose: debug lines to stderr; to_syslog: also send to syslog. */
void log_init(int verbose, bool to_syslog);
int log_verbosity(void);
void log_warn(const char *fmt, ...) PRINTF(1, 2);
void log_warnx(const char *fmt, ...) PRINTF(1, 2);
void log_info(const char *fmt, ...) PRINTF(1, 2);
void log_debug(const char *fmt, ...) PRINTF(1, 2);
/* A line for syslog only (the timeline, which -v also shows on stderr). */
void log_syslog(int prio, const char *fmt, ...) PRINTF(2, 3);
_Noreturn void fatalx(const char *fmt, ...) PRINTF(1, 2);

#endif
