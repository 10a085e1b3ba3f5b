/* A switch driver for engine tests, compiled into the unit tests only. Each
 * switch's behaviour is set by name; every call is logged, in order, to a
 * file (the activate command appends to the same file, so the order of
 * fencing, verification and activation can be read back). */
#ifndef FENCER_TESTDRIVER_H
#define FENCER_TESTDRIVER_H

#include <stdbool.h>

#include "fencer/driver.h"

struct td_behaviour {
	bool fail_open;
	bool ignore_shutdown;		/* port_set succeeds, the port stays up */
	bool reject_set;		/* port_set fails with the switch's words */
	bool fail_after_send;		/* port_set sends, then fails (the port goes down) */
	const char *flush_info;		/* what mac_flush says it did */
	int hang_ms;			/* port_set sleeps this long */
	bool fail_flush;
	int jitter_us;			/* port_set and port_get sleep up to this long */
};

extern const struct driver test_driver;

void td_reset(const char *log_path, int barrier);
void td_set(const char *sw, struct td_behaviour);
int td_peak(void);			/* most workers inside the driver at once */
bool td_still_hanging(void);		/* a hung call has not returned yet */
bool td_idle(void);			/* every worker has closed */
enum port_state td_port(const char *sw, const char *port);
void td_force(const char *sw, const char *port, enum port_state);
/* port_get logs "recorded SW PORT" when this file (fenced.json) names the
 * port at the time of the read-back. */
void td_watch_record(const char *path);

#endif
