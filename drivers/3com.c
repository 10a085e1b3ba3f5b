/*
 * 3com: the snmp driver (IF-MIB ports, v1/v2c/v3) plus the 3Com / H3C /
 * HP Comware per-entry MAC delete, which these switches have instead of a
 * flush: hwdot1qTpFdbSetOperate.<VLAN>.<6 MAC octets> = delete(2)
 * (A3COM-HUAWEI-LswMAM-MIB hwdot1qTpFdbSetTable).
 *
 * The forwarding database is read from the standard MIBs, once per session
 * (snmp_wiring.c): Q-BRIDGE, else BRIDGE-MIB. Only learned entries are
 * deleted: static and the switch's own stay. The wiring check reads the
 * same table, and where a switch serves no BRIDGE-MIB, the port of each
 * entry from hwdot1qTpFdbSetPort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "drivers/snmp_session.h"
#include "fencer/config.h"

/* hwdot1qTpFdbSetEntry (3Com enterprise 43) */
static const oid oid_fdb_set_entry[] = { 1, 3, 6, 1, 4, 1, 43, 45, 1, 2, 23, 1, 3, 2, 1 };

/* Deletes per SET PDU: 16 varbinds of ~30 bytes fit a 484-byte message. */
#define DELETE_BATCH 16

/* ---- deleting --------------------------------------------------------------------------- */

struct batch {
	size_t idx[DELETE_BATCH];	/* into p->fdb.v */
	size_t n;
	size_t deleted, gone;
};

static void batch_drop(struct batch *b, size_t k)
{
	memmove(&b->idx[k], &b->idx[k + 1], (b->n - k - 1) * sizeof *b->idx);
	b->n--;
}

static netsnmp_pdu *delete_pdu(const struct fdb *f, const struct batch *b)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_SET);
	oid name[SNMP_OID_MAX];
	long del = 2;		/* hwdot1qTpFdbSetOperate delete(2) */

	for (size_t i = 0; i < b->n; i++) {
		size_t len = fdb_delete_oid(&f->v[b->idx[i]], oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry),
		    name, SNMP_OID_MAX);

		snmp_pdu_add_variable(pdu, name, len, ASN_INTEGER, &del, sizeof del);
	}
	return pdu;
}

/* Send one batch. An entry the switch no longer has (it aged out or moved
 * since the walk) is dropped from the batch and the rest sent again. */
static int delete_batch(struct sw *sw, struct batch *b, const char *text)
{
	struct snmp_priv *p = sw->priv;
	struct snmp_what w = { .text = text, .missing = SWE_NONE };
	char mac[18], why[sizeof sw->err];

	while (b->n) {
		netsnmp_pdu *resp;
		long k;
		int rc = swsnmp_request(sw, delete_pdu(&p->fdb, b), &resp, &w, &k);

		if (rc == 0) {
			snmp_free_pdu(resp);
			for (size_t i = 0; i < b->n; i++)
				p->fdb.v[b->idx[i]].status = FDB_INVALID;	/* not again in this session */
			b->deleted += b->n;
			b->n = 0;
		} else if (rc == 1 && k >= 1 && (size_t)k <= b->n) {
			p->fdb.v[b->idx[k - 1]].status = FDB_INVALID;
			batch_drop(b, (size_t)k - 1);
			b->gone++;
		} else {
			if (rc == 1)
				sw_fail(sw, SWE_COMMAND, "switch %s: %s: the switch says an object does not exist "
				    "(error index %ld)", sw->cfg->name, text, k);
			else if (k >= 1 && (size_t)k <= b->n) {
				const struct fdb_entry *e = &p->fdb.v[b->idx[k - 1]];

				snprintf(why, sizeof why, "%s", sw->err);
				sw_fail(sw, sw->errkind, "%s (entry VLAN %lu MAC %s)", why, e->vlan, fdb_mac_format(e->mac, mac));
			}
			return -1;
		}
	}
	return 0;
}

/* Whether the switch still has an entry: its hwdot1qTpFdbSetStatus. */
static int entry_exists(struct sw *sw, const struct fdb_entry *e, bool *exists)
{
	struct snmp_what w = { .text = "GET hwdot1qTpFdbSetStatus", .missing = SWE_NONE };
	oid name[SNMP_OID_MAX];
	size_t len = fdb_delete_oid(e, oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry), name, SNMP_OID_MAX);
	const oid *names[] = { name };
	netsnmp_pdu *resp;

	name[OID_LENGTH(oid_fdb_set_entry)] = 3;	/* the status column, same index */
	if (swsnmp_get(sw, names, &len, 1, &resp, &w) < 0)
		return -1;
	*exists = resp->variables && !snmp_vb_missing(resp->variables);
	snmp_free_pdu(resp);
	return 0;
}

/* Some agents refuse a SET of many entries that they take one by one
 * (net-snmp's pass_persist answers notWritable for some of them, and for
 * an entry that is gone): when the switch rejected the batch as a command,
 * not the credentials, send what is left one entry per PDU, and take a
 * refused entry that the switch no longer lists as gone (a batch of one
 * too: the entry may have aged out since the walk). */
static int delete_singly(struct sw *sw, struct batch *b, const char *text)
{
	struct snmp_priv *p = sw->priv;
	char why[sizeof sw->err];
	struct batch one;
	bool exists;

	if (!b->n || !p->errstat || sw->errkind != SWE_COMMAND)
		return -1;
	log_debug("switch %s: %s; deleting one entry per request", sw->cfg->name, sw->err);
	for (size_t i = 0; i < b->n; i++) {
		one = (struct batch){ .idx = { b->idx[i] }, .n = 1 };
		if (delete_batch(sw, &one, text) < 0) {
			snprintf(why, sizeof why, "%s", sw->err);
			if (!p->errstat || entry_exists(sw, &p->fdb.v[b->idx[i]], &exists) < 0)
				return -1;
			if (exists)
				return sw_fail(sw, SWE_COMMAND, "%s", why);
			one.gone = 1;
		}
		b->deleted += one.deleted;
		b->gone += one.gone;
	}
	b->n = 0;
	return 0;
}

/* Whether hwdot1qTpFdbSetTable has a row: one GETNEXT from its base. */
static int set_table_has_rows(struct sw *sw, bool *rows)
{
	struct snmp_what w = { .text = "GETNEXT hwdot1qTpFdbSetTable", .missing = SWE_NONE };
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *resp;
	const snmp_subid *suffix;
	size_t slen;
	long k;
	int rc;

	snmp_add_null_var(pdu, oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry));
	rc = swsnmp_request(sw, pdu, &resp, &w, &k);
	*rows = false;
	if (rc == 1)		/* v1: noSuchName past the last object */
		return 0;
	if (rc < 0)
		return -1;
	*rows = resp->variables && !snmp_vb_missing(resp->variables) &&
	    snmp_oid_below(resp->variables->name, resp->variables->name_length, oid_fdb_set_entry,
		OID_LENGTH(oid_fdb_set_entry), &suffix, &slen);
	snmp_free_pdu(resp);
	return 0;
}

/* The learned entries of the forwarding database: a 3Com table lists them
 * (the switch's own, status self, it does not). */
static size_t learned_entries(const struct fdb *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].status == FDB_LEARNED;
	return n;
}

/* Nothing was selected to delete: true only if the switch could have
 * said otherwise. Without BRIDGE-MIB fencer sees no MAC table at all, and
 * a MAC table with learned entries but no hwdot1qTpFdbSetTable row is not
 * a 3Com table: neither is "0 deleted". */
static int nothing_to_delete(struct sw *sw, const char *port)
{
	struct snmp_priv *p = sw->priv;
	char oidtxt[120];
	bool rows;

	if (!p->nbports)
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s): dot1dBasePortIfIndex is empty: the switch serves "
		    "no BRIDGE-MIB, so fencer cannot read its MAC table to delete entries from it",
		    sw->cfg->name, sw->cfg->address);
	if (set_table_has_rows(sw, &rows) < 0)
		return -1;
	if (!rows && learned_entries(&p->fdb))
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s): its MAC table holds %zu learned entries and "
		    "its hwdot1qTpFdbSetTable (%s) none: not a 3Com/H3C switch (or the table lives under another "
		    "enterprise OID); nothing was deleted", sw->cfg->name, sw->cfg->address, learned_entries(&p->fdb),
		    snmp_oid_format(oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry), oidtxt, sizeof oidtxt));
	snprintf(sw->info, sizeof sw->info, "deleted 0 entries: none learned %s%s", port ? "on port " : "on the switch",
	    port ? port : "");
	return 0;
}

static int delete_entries(struct sw *sw, const size_t *sel, size_t n, const char *port)
{
	char text[300], oidtxt[120];
	struct batch b = { 0 };

	snprintf(text, sizeof text, "SET hwdot1qTpFdbSetOperate (%s.4.VLAN.MAC) = delete(2) for the learned "
	    "MAC entries %s%s", snmp_oid_format(oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry), oidtxt,
	    sizeof oidtxt), port ? "of port " : "of every port", port ? port : "");
	for (size_t i = 0; i < n; i += DELETE_BATCH) {
		size_t gone = b.gone, deleted = b.deleted;

		b = (struct batch){ .deleted = deleted, .gone = gone };
		for (size_t k = i; k < n && b.n < DELETE_BATCH; k++)
			b.idx[b.n++] = sel[k];
		if (delete_batch(sw, &b, text) < 0 && delete_singly(sw, &b, text) < 0)
			return -1;
	}
	if (n && !b.deleted)
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s): %s: the switch has none of the %zu entries in "
		    "hwdot1qTpFdbSetTable: not a 3Com/H3C switch (or the table lives under another enterprise OID)",
		    sw->cfg->name, sw->cfg->address, text, n);
	snprintf(sw->info, sizeof sw->info, "deleted %zu entr%s %s%s (%zu already gone)", b.deleted,
	    b.deleted == 1 ? "y" : "ies", port ? "of port " : "of every port", port ? port : "", b.gone);
	return 0;
}

static int threecom_mac_flush(struct sw *sw, const char *port)
{
	struct snmp_priv *p;
	size_t *sel, n, unknown;
	long ifindex = 0;
	int rc;

	if (port && ifmib_port_ifindex(sw, port, &ifindex) < 0)
		return -1;
	if (snmp_fdb_load(sw) < 0)
		return -1;
	p = sw->priv;
	sel = xcalloc(p->fdb.n, sizeof *sel);
	n = fdb_select(&p->fdb, port ? &ifindex : NULL, port ? 1 : 0, sel, &unknown);
	if (unknown)
		log_debug("switch %s: %zu MAC entries left alone: the switch did not say whether they were learned",
		    sw->cfg->name, unknown);
	rc = n ? delete_entries(sw, sel, n, port) : nothing_to_delete(sw, port);
	free(sel);
	return rc;
}

/* check: BRIDGE-MIB to read the MAC table, hwdot1qTpFdbSetTable to delete
 * from it. An empty table cannot show the second: said so, not failed. */
static int threecom_probe_flush(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	bool rows;

	if (snmp_fdb_load(sw) < 0)
		return -1;
	if (!p->nbports)
		return sw_fail(sw, SWE_UNSUPPORTED, "dot1dBasePortIfIndex is empty: the switch serves no BRIDGE-MIB, "
		    "so the 3com flush cannot read its MAC table");
	if (set_table_has_rows(sw, &rows) < 0)
		return -1;
	if (!rows && learned_entries(&p->fdb))
		return sw_fail(sw, SWE_UNSUPPORTED, "the MAC table holds %zu learned entries and hwdot1qTpFdbSetTable "
		    "none: not a 3Com/H3C switch, the 3com flush will fail", learned_entries(&p->fdb));
	snprintf(sw->info, sizeof sw->info, "%s", rows ? "deletes through hwdot1qTpFdbSetTable" :
	    "no learned MAC entry: hwdot1qTpFdbSetTable could not be checked");
	return 0;
}

/* check, wiring: the MACs on a port from the standard forwarding
 * database; a switch without BRIDGE-MIB gives each entry's port in its
 * own table (hwdot1qTpFdbSetPort, an ifIndex). */
static int threecom_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct snmp_priv *p;
	long ifindex;

	if (ifmib_port_ifindex(sw, port, &ifindex) < 0 || snmp_fdb_load(sw) < 0)
		return -1;
	p = sw->priv;
	if (!p->nbports && !p->h3c_loaded) {
		p->h3c_loaded = true;
		if (snmp_fdb_walk_h3c(sw, oid_fdb_set_entry, OID_LENGTH(oid_fdb_set_entry)) < 0)
			return -1;
	}
	if (!p->nbports && !p->fdb.n)
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s) serves no MAC table: dot1dBasePortIfIndex "
		    "and hwdot1qTpFdbSetTable are empty", sw->cfg->name, sw->cfg->address);
	fdb_port_macs(&p->fdb, ifindex, macs);
	return 0;
}

/* snmp with its own MAC flush and MAC table (drivers/snmp_session.h). */
const struct driver driver_threecom = {
	.name = "3com",
	IFMIB_DRIVER,
	.mac_flush = threecom_mac_flush,
	.probe_flush = threecom_probe_flush,
	.port_macs = threecom_port_macs,
};
