/*
 * The pure part of the snmp and 3com drivers: what the switch's walked
 * tables mean. No I/O and no net-snmp here, so every function can be unit
 * tested and fuzzed with made-up answers.
 *
 * OIDs are arrays of snmp_subid, which is net-snmp's `oid` on every
 * platform fencer builds for (unsigned long; checked in snmp_session.c).
 */
#ifndef FENCER_SNMP_PARSE_H
#define FENCER_SNMP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fencer/wiring.h"

typedef unsigned long snmp_subid;

#define SNMP_OID_MAX 128		/* sub-identifiers, net-snmp's MAX_OID_LEN */

/* ---- interfaces: the port names of the config -> ifIndex ----------------- */

struct snmp_if {
	long ifindex;
	char *name;			/* ifName (IF-MIB ifXTable), NULL if none */
	char *descr;			/* ifDescr, NULL if none */
};

struct snmp_iftable {
	struct snmp_if *v;
	size_t n;
};

enum snmp_if_column { SNMP_IF_NAME, SNMP_IF_DESCR };

/* Record one walked ifName or ifDescr value (an OCTET STRING of len bytes,
 * not NUL-terminated) for the interface at ifIndex. 0, or -1 if the index
 * is not a valid ifIndex (1..2147483647). */
int snmp_iftable_put(struct snmp_iftable *, long ifindex, enum snmp_if_column, const char *val, size_t len);
void snmp_iftable_free(struct snmp_iftable *);

/* A port written as a decimal number is an ifIndex (1..2147483647). */
bool snmp_port_is_index(const char *port, long *ifindex);

enum snmp_resolve { SNMP_PORT_FOUND, SNMP_PORT_UNKNOWN, SNMP_PORT_AMBIGUOUS };

/* Find the one interface whose ifName or ifDescr is exactly `port`, or
 * whose ifIndex it is. Matches that name the same interface more than once
 * are one match. Not found and ambiguous fill err with what the switch
 * has, so the user can fix the configuration without a MIB browser. */
enum snmp_resolve snmp_port_resolve(const struct snmp_iftable *, const char *port, long *ifindex,
    char *err, size_t errlen);

/* ---- OIDs ------------------------------------------------------------------ */

/* True if oid (len) lies strictly below base (blen); *suffix points at the
 * rest (the instance) and *slen is its length. */
bool snmp_oid_below(const snmp_subid *oid, size_t len, const snmp_subid *base, size_t blen,
    const snmp_subid **suffix, size_t *slen);
/* "1.3.6.1..." into buf; returns buf. */
const char *snmp_oid_format(const snmp_subid *oid, size_t len, char *buf, size_t buflen);

/* ---- the forwarding database -------------------------------------------- */

/* dot1qTpFdbStatus / dot1dTpFdbStatus values */
enum { FDB_OTHER = 1, FDB_INVALID = 2, FDB_LEARNED = 3, FDB_SELF = 4, FDB_MGMT = 5 };

struct fdb_entry {
	unsigned long vlan;		/* Q-BRIDGE FDB id; 1 when only BRIDGE-MIB told */
	uint8_t mac[6];
	long bport;			/* bridge port (dot1dBasePort) */
	long ifindex;			/* 0 until mapped */
	int status;			/* 0 unknown, else FDB_* */
};

struct fdb {
	struct fdb_entry *v;
	size_t n;
};

/* dot1qTpFdbPort.<fdbId>.<6 MAC octets> = bridge port. -1 on a bad index. */
int fdb_put_qport(struct fdb *, const snmp_subid *suffix, size_t slen, long bport);
/* dot1dTpFdbPort.<6 MAC octets> = bridge port (the VLAN is not known: 1). */
int fdb_put_dport(struct fdb *, const snmp_subid *suffix, size_t slen, long bport);
/* dot1qTpFdbStatus.<fdbId>.<MAC>: sets that entry's status. */
int fdb_put_qstatus(struct fdb *, const snmp_subid *suffix, size_t slen, long status);
/* dot1dTpFdbStatus.<MAC>: sets the status of every entry of that MAC whose
 * status is still unknown (BRIDGE-MIB has one row per MAC). */
int fdb_put_dstatus(struct fdb *, const snmp_subid *suffix, size_t slen, long status);
void fdb_free(struct fdb *);

/* dot1dBasePortIfIndex.<bridge port> = ifIndex */
struct bport_map {
	long *bport;
	long *ifindex;
	size_t n;
};

int bport_map_put(struct bport_map *, const snmp_subid *suffix, size_t slen, long ifindex);
void bport_map_free(struct bport_map *);
/* Fill every entry's ifindex from its bridge port (0 if unmapped). */
void fdb_map_ports(struct fdb *, const struct bport_map *);

/* 3Com/H3C hwdot1qTpFdbSetPort.<VLAN>.<6 MAC octets> = ifIndex: an entry
 * whose port is known without BRIDGE-MIB. -1 on a bad index. */
int fdb_put_h3c_port(struct fdb *, const snmp_subid *suffix, size_t slen, long ifindex);

/* The MACs of the entries on ifindex into macs (learned, static or of
 * unknown status; not the switch's own nor invalid ones). Returns how
 * many entries were on it. */
size_t fdb_port_macs(const struct fdb *, long ifindex, struct mac_list *macs);

/* Indexes (into fdb->v) of the dynamic (learned) entries on one of the
 * ifindexes given, or on any port when nifindex is 0. Returns how many were
 * written to sel (at most fdb->n: size sel for that). *unknown counts the
 * entries left alone because the switch did not say whether they were
 * learned or static. */
size_t fdb_select(const struct fdb *, const long *ifindexes, size_t nifindex, size_t *sel, size_t *unknown);

/* The OID of the 3Com/H3C delete object of one entry:
 * base . 4 (hwdot1qTpFdbSetOperate) . VLAN . 6 MAC octets.
 * Returns its length, or 0 if out is too small. */
size_t fdb_delete_oid(const struct fdb_entry *, const snmp_subid *table, size_t tlen, snmp_subid *out, size_t outmax);

/* "aa:bb:cc:dd:ee:ff" */
const char *fdb_mac_format(const uint8_t mac[6], char buf[18]);

/* ---- LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2) ------------------------------ */

/* lldpRemEntry and lldpLocPortEntry columns fencer reads. */
enum {
	LLDP_REM_CHASSIS_SUBTYPE = 4, LLDP_REM_CHASSIS = 5, LLDP_REM_PORT_SUBTYPE = 6,
	LLDP_REM_PORT_ID = 7, LLDP_REM_PORT_DESCR = 8, LLDP_REM_SYSNAME = 9,
	LLDP_LOC_PORT_SUBTYPE = 2, LLDP_LOC_PORT_ID = 3, LLDP_LOC_PORT_DESCR = 4,
};

#define LLDP_VALUE_MAX 64

struct lldp_id {
	int subtype;
	uint8_t v[LLDP_VALUE_MAX];
	size_t len;
};

struct lldp_rem {
	long port_num;			/* lldpRemLocalPortNum */
	unsigned long time_mark, index;
	struct lldp_id chassis, port;
	char port_descr[LLDP_VALUE_MAX], sysname[LLDP_VALUE_MAX];
};

struct lldp_loc {
	long num;			/* lldpLocPortNum */
	struct lldp_id port;
	char descr[LLDP_VALUE_MAX];
};

struct lldp_tables {
	struct lldp_rem *rem;
	size_t nrem;
	struct lldp_loc *loc;
	size_t nloc;
};

/* One walked value of lldpRemTable: suffix is lldpRemTimeMark.
 * lldpRemLocalPortNum.lldpRemIndex; val/len an OCTET STRING, ival an
 * INTEGER (the subtypes). Other columns are ignored. -1 on a bad index. */
int lldp_rem_put(struct lldp_tables *, int column, const snmp_subid *suffix, size_t slen, const uint8_t *val,
    size_t len, long ival);
/* One walked value of lldpLocPortTable: suffix is lldpLocPortNum. */
int lldp_loc_put(struct lldp_tables *, int column, const snmp_subid *suffix, size_t slen, const uint8_t *val,
    size_t len, long ival);
/* The lldpLocPortNum of an interface: the row whose port ID (an interface
 * name, local or alias subtype) or port description is the interface's
 * ifName or ifDescr; without one, the ifIndex itself (lldpd and many
 * switches number LLDP ports so). */
long lldp_local_port(const struct lldp_tables *, long ifindex, const char *ifname, const char *ifdescr);
/* The neighbours seen on local port num, as printable text, into out. */
void lldp_neighbors_on(const struct lldp_tables *, long num, struct lldp_list *out);
void lldp_tables_free(struct lldp_tables *);

/* A string the switch sent, made safe to print: control and non-ASCII bytes
 * become '?'. */
void snmp_printable(const char *in, size_t len, char *out, size_t outlen);

#endif
