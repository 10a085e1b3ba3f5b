#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/redact.h"

void sw_init(struct sw *sw, const struct sw_config *cfg)
{
	*sw = (struct sw){ .cfg = cfg, .drv = cfg->driver };
	if (sw->drv->priv_size)
		sw->priv = xcalloc(1, sw->drv->priv_size);
}

void sw_release(struct sw *sw)
{
	free(sw->priv);
	sw->priv = NULL;
}

/* The error holds the switch's own words, which may echo a secret: it is
 * masked here, formatted whole first so that no secret is cut in two. */
int sw_fail(struct sw *sw, enum sw_error kind, const char *fmt, ...)
{
	char big[4 * sizeof sw->err];
	va_list ap;

	sw->errkind = kind;
	va_start(ap, fmt);
	vsnprintf(big, sizeof big, fmt, ap);
	va_end(ap);
	redact_buf(big, sizeof big, false);
	snprintf(sw->err, sizeof sw->err, "%s", big);
	return -1;
}

const char *sw_error_name(enum sw_error e)
{
	static const char *const names[] = {
		[SWE_NONE] = "ok", [SWE_CONNECT] = "unreachable",
		[SWE_TIMEOUT] = "timeout", [SWE_HOSTKEY] = "host-key",
		[SWE_AUTH] = "auth", [SWE_ENABLE] = "enable",
		[SWE_COMMAND] = "rejected", [SWE_PORT] = "no-such-port",
		[SWE_VERIFY] = "not-verified", [SWE_PROTOCOL] = "protocol",
		[SWE_UNSUPPORTED] = "unsupported", [SWE_CONFIG] = "config",
	};

	return (unsigned)e < sizeof names / sizeof *names && names[e] ? names[e] : "error";
}

const char *port_state_name(enum port_state s)
{
	switch (s) {
	case PORT_UP: return "up";
	case PORT_DOWN: return "down";
	default: return "unknown";
	}
}
