/* The switch driver contract. A driver is one file in drivers/ exporting one
 * static const struct driver (designated initializers; NULL = not supported),
 * listed once in drivers/registry.c. */
#ifndef FENCER_DRIVER_H
#define FENCER_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/deadline.h"
#include "fencer/log.h"

struct sw_config;
struct cfg_key;
struct cfg_errors;
struct mac_list;
struct lldp_list;

enum port_state { PORT_UNKNOWN, PORT_UP, PORT_DOWN };

/* What `fencer trust` found, or did. */
enum trust_state {
	TRUST_KNOWN,		/* known-hosts holds this key */
	TRUST_UNKNOWN,		/* no key for the switch: not recorded */
	TRUST_CHANGED,		/* known-hosts holds another key: not recorded */
	TRUST_RECORDED,		/* recorded, the switch had none */
	TRUST_REPLACED,		/* recorded in place of the other key */
};

/* Why an operation failed: each kind has its own message and journal tag. */
enum sw_error {
	SWE_NONE,
	SWE_CONNECT,		/* could not reach the switch */
	SWE_TIMEOUT,		/* the deadline ran out */
	SWE_HOSTKEY,		/* unknown or changed SSH host key */
	SWE_AUTH,		/* login refused (password, key, community, v3 keys) */
	SWE_ENABLE,		/* privileged mode refused */
	SWE_COMMAND,		/* the switch rejected a command (its words in err) */
	SWE_PORT,		/* no such port on the switch, or ambiguous */
	SWE_VERIFY,		/* read back, the port is not in the state asked for */
	SWE_PROTOCOL,		/* unexpected answer, closed connection */
	SWE_UNSUPPORTED,	/* the driver cannot do this */
	SWE_CONFIG,		/* bad or unreadable configuration, secret file */
};

/* One open session with one switch, owned by one worker thread. */
struct sw {
	const struct sw_config *cfg;
	const struct driver *drv;
	const struct deadline *dl;	/* the run's deadline, set before open */
	void *priv;			/* the driver's own state (priv_size) */
	enum sw_error errkind;
	char err[1024];			/* last error, in the switch's own words */
	char info[256];			/* probe: one line about the switch;
					 * mac_flush: what it did ("deleted 12 entries") */
	bool sent;			/* port_set: the command that changes the port
					 * left for the switch (it may have acted even
					 * if the call then failed) */
};

struct driver {
	const char *name;
	int default_port;		/* TCP or UDP port when the config has none */
	/* The keys of its [switch] sections beyond the common ones (address,
	 * port, timeout, flush, check-write, check-wiring): a key in no list
	 * of this driver is refused (fencer/config.h). */
	const struct cfg_key *keys;
	/* The size of its own state: sw->priv points to that many zeroed
	 * bytes from sw_init to sw_release, whatever open and close do. */
	size_t priv_size;
	/* Config checks beyond the common ones (keys this driver needs). */
	void (*validate)(const struct sw_config *, struct cfg_errors *);
	int (*open)(struct sw *, const struct deadline *);
	int (*port_set)(struct sw *, const char *port, enum port_state);
	int (*port_get)(struct sw *, const char *port, enum port_state *);
	int (*mac_flush)(struct sw *, const char *port /* NULL = all */);
	int (*probe)(struct sw *);	/* health check, read-only */
	/* check: that the next port_set on port (a port of the peer, now in
	 * state) would be allowed, by a write that changes nothing. */
	int (*probe_write)(struct sw *, const char *port, enum port_state state);
	/* check: that the switch has what mac_flush uses, read-only; info
	 * says how it will flush. */
	int (*probe_flush)(struct sw *);
	/* SSH drivers: the offered host key in info ("NAME (ADDR port N)
	 * offers TYPE SHA256:..."), recorded when asked; returns what was
	 * found or done (enum trust_state), or -1. */
	int (*trust)(struct sw *, bool record);
	/* check, read-only (fencer/wiring.h): the MAC addresses the switch
	 * has learned on port, added to macs. NULL: "driver X cannot read
	 * MAC tables". */
	int (*port_macs)(struct sw *, const char *port, struct mac_list *macs);
	/* check, read-only: the LLDP neighbours the switch sees on port,
	 * added to out; a switch without LLDP fails with SWE_UNSUPPORTED in
	 * its own words. NULL: "driver X cannot read LLDP neighbours". */
	int (*port_neighbors)(struct sw *, const char *port, struct lldp_list *out);
	void (*close)(struct sw *);
	/* fencer serve (docs/serve.md): a session kept open since an earlier
	 * run is handed to the next one. Forget what was learned for one run
	 * only (a port table, a flush done) and check without a round trip
	 * that the session can go on; -1 with sw_fail has it closed and
	 * opened anew. NULL: this driver's sessions are never kept, each run
	 * opens its own as a standalone run does. */
	int (*reuse)(struct sw *);
};

/* A session's struct sw for a switch, its driver's state allocated
 * (priv_size); sw_release frees that state, after close. */
void sw_init(struct sw *, const struct sw_config *);
void sw_release(struct sw *);

/* Record why an operation failed; returns -1 for `return sw_fail(...)`. */
int sw_fail(struct sw *, enum sw_error, const char *fmt, ...) PRINTF(3, 4);
const char *sw_error_name(enum sw_error);
const char *port_state_name(enum port_state);

/* The registry (drivers/registry.c). */
const struct driver *driver_find(const char *name);
/* Comma-separated list of driver names, for error messages. */
const char *driver_names(void);
/* Every driver, NULL-terminated. */
const struct driver *const *driver_list(void);

#endif
