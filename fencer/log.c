#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "fencer/log.h"
#include "fencer/redact.h"

static int verbosity;
static bool use_syslog;

void log_init(int verbose, bool to_syslog)
{
	verbosity = verbose;
	use_syslog = to_syslog;
	if (use_syslog)
		openlog("fencer", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int log_verbosity(void)
{
	return verbosity;
}

/* Every line may carry words from a switch or an agent: its secrets are
 * masked before it is shown or sent (formatted whole first, so that a
 * secret is never cut in two at the end of the buffer). */
static void vlog(int prio, bool to_stderr, const char *err, const char *fmt, va_list ap)
{
	char big[8192], msg[2048];

	vsnprintf(big, sizeof big, fmt, ap);
	redact_buf(big, sizeof big, false);
	snprintf(msg, sizeof msg, "%s", big);
	if (to_stderr) {
		if (err)
			fprintf(stderr, "fencer: %s: %s\n", msg, err);
		else
			fprintf(stderr, "fencer: %s\n", msg);
	}
	if (use_syslog) {
		if (err)
			syslog(prio, "%s: %s", msg, err);
		else
			syslog(prio, "%s", msg);
	}
}

void log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, true, err, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, true, NULL, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, verbosity > 0, NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 2)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, true, NULL, fmt, ap);
	va_end(ap);
}

void log_syslog(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(prio, false, NULL, fmt, ap);
	va_end(ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, true, NULL, fmt, ap);
	va_end(ap);
	exit(2);
}
