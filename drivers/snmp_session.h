/*
 * What the snmp and 3com drivers share (internal to drivers/): one net-snmp
 * single session per switch worker, requests bounded by the run's deadline,
 * SNMP errors turned into sw_fail messages, and the IF-MIB part of the
 * driver (3com is snmp plus the per-entry MAC delete). Its requests are
 * swsnmp_* ("switch SNMP"): net-snmp owns the snmp_* names.
 */
#ifndef FENCER_SNMP_SESSION_H
#define FENCER_SNMP_SESSION_H

#include <stdbool.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "drivers/snmp_parse.h"
#include "fencer/config.h"
#include "fencer/driver.h"

/* The driver's private state (sw->priv). */
struct snmp_priv {
	void *sess;			/* snmp_sess_open handle */
	char version[3];		/* "1", "2c", "3" */
	long errstat;			/* error-status of the last answer */
	struct snmp_iftable ifs;	/* walked once per run, on the first name */
	bool ifs_loaded;
	bool probing;			/* probe ran: port_get adds ifOperStatus to info */
	/* snmp flush: dot1dTpAgingTime lowered and not yet restored */
	bool aging_done;
	bool aging_lowered;
	long aging_old;
	/* 3com flush: the forwarding database, walked once per session */
	struct fdb fdb;
	bool fdb_loaded;
	size_t nbports;			/* dot1dBasePortIfIndex rows: 0 = no BRIDGE-MIB */
	bool h3c_loaded;		/* 3com, wiring: hwdot1qTpFdbSetPort walked */
	/* wiring: LLDP-MIB, walked once per session */
	struct lldp_tables lldp;
	bool lldp_loaded;
};

/* The keys of an snmp or 3com [switch] (fencer/config.h). */
extern const struct cfg_key snmp_keys[];

/* The slots of struct driver the IF-MIB drivers share; each adds its MAC
 * flush, its flush probe and its MAC table reader. */
#define IFMIB_DRIVER \
	.default_port = 161, .keys = snmp_keys, .priv_size = sizeof(struct snmp_priv), \
	.validate = ifmib_validate, .open = ifmib_open, .port_set = ifmib_port_set, \
	.port_get = ifmib_port_get, .probe = ifmib_probe, .probe_write = ifmib_probe_write, \
	.port_neighbors = ifmib_port_neighbors, .close = ifmib_close, .reuse = ifmib_reuse

/* ---- the session ---------------------------------------------------------- */

/* The SNMP version the config asks for (default: 3 when v3 keys are given,
 * 2c otherwise). */
const char *snmp_config_version(const struct sw_config *);
int snmp_session_open(struct sw *);
void snmp_session_close(struct sw *);

/* How a failed answer about a missing object is reported. */
struct snmp_what {
	const char *text;		/* "SET ifAdminStatus.3 (port port1) = down(2)" */
	const char *port;		/* NULL when the request is not about a port */
	enum sw_error missing;		/* noSuchName, noSuchObject... (SWE_PORT for a port) */
};

/* Send a PDU and wait for the answer, the per-request timeout being
 * min(timeout, deadline left) and the retries cut to what the deadline
 * holds. 0 with *resp (free it with snmp_free_pdu) when the switch answered
 * with no error; -1 with sw_fail set otherwise. The pdu is always consumed.
 * *errindex (if given) receives the failing varbind's index (1-based) of
 * an error-status answer, else 0. */
int swsnmp_request(struct sw *, netsnmp_pdu *, netsnmp_pdu **resp, const struct snmp_what *, long *errindex);

/* GET the given OIDs (each up to SNMP_OID_MAX) in one PDU. */
int swsnmp_get(struct sw *, const oid *const *names, const size_t *lens, size_t n, netsnmp_pdu **resp,
    const struct snmp_what *);
/* GET one INTEGER object. A missing object fails with what->missing. */
int swsnmp_get_int(struct sw *, const oid *name, size_t len, long *value, const struct snmp_what *);
/* SET one INTEGER object. */
int swsnmp_set_int(struct sw *, const oid *name, size_t len, long value, const struct snmp_what *);

/* Walk every object below base (GETBULK for v2c and v3, GETNEXT for v1),
 * calling fn for each; fn returns -1 to stop with its sw_fail set. */
typedef int (*swsnmp_walk_fn)(struct sw *, void *ctx, const oid *name, size_t len, const netsnmp_variable_list *);
int swsnmp_walk(struct sw *, const oid *base, size_t blen, const char *what, swsnmp_walk_fn, void *ctx);

/* A varbind that says "no such object / instance / end of view". */
bool snmp_vb_missing(const netsnmp_variable_list *);

/* ---- the IF-MIB driver, shared by snmp and 3com ----------------------------- */

void ifmib_validate(const struct sw_config *, struct cfg_errors *);
int ifmib_open(struct sw *, const struct deadline *);
int ifmib_port_set(struct sw *, const char *port, enum port_state);
int ifmib_port_get(struct sw *, const char *port, enum port_state *);
int ifmib_probe(struct sw *);
int ifmib_probe_write(struct sw *, const char *port, enum port_state);
void ifmib_close(struct sw *);
/* fencer serve: the session stays, what one run learned goes (the port
 * table is walked again: an ifIndex may change when the switch restarts). */
int ifmib_reuse(struct sw *);
/* The ifIndex of a configured port name (one walk per session). */
int ifmib_port_ifindex(struct sw *, const char *port, long *ifindex);
/* The same, and the interface's ifName and ifDescr (NULL when the switch
 * has none); walks the names even for a port given as an ifIndex. */
int ifmib_port_names(struct sw *, const char *port, long *ifindex, const char **ifname, const char **ifdescr);

/* ---- snmp_wiring.c: the forwarding database and LLDP-MIB -------------------------- */

/* Read the forwarding database into priv->fdb, once per session. */
int snmp_fdb_load(struct sw *);
/* 3com: each entry's port from hwdot1qTpFdbSetPort (column 2 of the table
 * whose entry OID is given), for a switch without BRIDGE-MIB. */
int snmp_fdb_walk_h3c(struct sw *, const oid *entry, size_t elen);
int ifmib_port_macs(struct sw *, const char *port, struct mac_list *);
int ifmib_port_neighbors(struct sw *, const char *port, struct lldp_list *);

#endif
