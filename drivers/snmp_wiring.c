/*
 * What the snmp and 3com drivers read for the wiring check (fencer/wiring.h),
 * and the forwarding database the 3com flush deletes from.
 *
 * The forwarding database is read from the standard MIBs, once per session:
 * Q-BRIDGE dot1qTpFdbPort (FDB id = VLAN) or, when a switch has no
 * Q-BRIDGE, BRIDGE-MIB dot1dTpFdbPort (VLAN 1); the status (learned or
 * not) from dot1qTpFdbStatus, else dot1dTpFdbStatus; bridge ports become
 * ifIndexes through dot1dBasePortIfIndex.
 *
 * LLDP neighbours come from LLDP-MIB (IEEE 802.1AB-2005): lldpRemTable,
 * whose rows are indexed by the local LLDP port number, and
 * lldpLocPortTable, which names those ports (snmp_parse.c matches them to
 * the configured port). Both are walked once per session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/snmp_session.h"
#include "fencer/config.h"

static const oid oid_bport_ifindex[] = { 1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2 };
static const oid oid_qfdb_port[] = { 1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2 };
static const oid oid_qfdb_status[] = { 1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 3 };
static const oid oid_dfdb_port[] = { 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2 };
static const oid oid_dfdb_status[] = { 1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3 };
static const oid oid_lldp_rem_entry[] = { 1, 0, 8802, 1, 1, 2, 1, 4, 1, 1 };
static const oid oid_lldp_loc_port_entry[] = { 1, 0, 8802, 1, 1, 2, 1, 3, 7, 1 };

/* ---- reading the forwarding database ----------------------------------------------- */

enum fdb_column { COL_BPORT, COL_QPORT, COL_QSTATUS, COL_DPORT, COL_DSTATUS, COL_H3C_PORT };

struct fdb_walk {
	enum fdb_column col;
	size_t blen;
	struct bport_map *map;
};

/* One walked INTEGER into the table it belongs to; rows with an index
 * that makes no sense are skipped (they cannot be deleted anyway). */
static int put_fdb(struct sw *sw, void *ctx, const oid *name, size_t len, const netsnmp_variable_list *vb)
{
	struct snmp_priv *p = sw->priv;
	struct fdb_walk *w = ctx;
	const snmp_subid *s = name + w->blen;
	size_t slen = len - w->blen;
	long v;

	if (vb->type != ASN_INTEGER || !vb->val.integer)
		return 0;
	v = *vb->val.integer;
	switch (w->col) {
	case COL_BPORT: bport_map_put(w->map, s, slen, v); break;
	case COL_QPORT: fdb_put_qport(&p->fdb, s, slen, v); break;
	case COL_QSTATUS: fdb_put_qstatus(&p->fdb, s, slen, v); break;
	case COL_DPORT: fdb_put_dport(&p->fdb, s, slen, v); break;
	case COL_DSTATUS: fdb_put_dstatus(&p->fdb, s, slen, v); break;
	case COL_H3C_PORT: fdb_put_h3c_port(&p->fdb, s, slen, v); break;
	}
	return 0;
}

static int walk_column(struct sw *sw, const oid *base, size_t blen, const char *what, enum fdb_column col,
    struct bport_map *map)
{
	struct fdb_walk w = { .col = col, .blen = blen, .map = map };

	return swsnmp_walk(sw, base, blen, what, put_fdb, &w);
}

static bool some_status_unknown(const struct fdb *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].status)
			return true;
	return false;
}

int snmp_fdb_load(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	struct bport_map map = { 0 };
	bool qbridge;
	int rc = -1;

	if (p->fdb_loaded)
		return 0;
	if (walk_column(sw, oid_bport_ifindex, OID_LENGTH(oid_bport_ifindex), "dot1dBasePortIfIndex", COL_BPORT,
	    &map) < 0 ||
	    walk_column(sw, oid_qfdb_port, OID_LENGTH(oid_qfdb_port), "dot1qTpFdbPort", COL_QPORT, NULL) < 0)
		goto fail;
	qbridge = p->fdb.n > 0;
	if (!qbridge && walk_column(sw, oid_dfdb_port, OID_LENGTH(oid_dfdb_port), "dot1dTpFdbPort",
	    COL_DPORT, NULL) < 0)
		goto fail;
	if (qbridge && walk_column(sw, oid_qfdb_status, OID_LENGTH(oid_qfdb_status), "dot1qTpFdbStatus",
	    COL_QSTATUS, NULL) < 0)
		goto fail;
	if (some_status_unknown(&p->fdb) && walk_column(sw, oid_dfdb_status, OID_LENGTH(oid_dfdb_status),
	    "dot1dTpFdbStatus", COL_DSTATUS, NULL) < 0)
		goto fail;
	fdb_map_ports(&p->fdb, &map);
	p->nbports = map.n;
	p->fdb_loaded = true;
	rc = 0;
fail:
	bport_map_free(&map);
	return rc;
}

/* 3Com/H3C: hwdot1qTpFdbSetPort (column 2 of the table at base), each
 * entry's ifIndex, for a switch without BRIDGE-MIB. */
int snmp_fdb_walk_h3c(struct sw *sw, const oid *entry, size_t elen)
{
	oid col[SNMP_OID_MAX];

	if (elen + 1 > SNMP_OID_MAX)
		return sw_fail(sw, SWE_PROTOCOL, "OID too long");
	memcpy(col, entry, elen * sizeof *col);
	col[elen] = 2;
	return walk_column(sw, col, elen + 1, "hwdot1qTpFdbSetPort", COL_H3C_PORT, NULL);
}

int ifmib_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct snmp_priv *p;
	long ifindex;

	if (ifmib_port_ifindex(sw, port, &ifindex) < 0 || snmp_fdb_load(sw) < 0)
		return -1;
	p = sw->priv;
	if (!p->nbports)
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s): dot1dBasePortIfIndex is empty: the switch serves "
		    "no BRIDGE-MIB, so fencer cannot read its MAC table", sw->cfg->name, sw->cfg->address);
	fdb_port_macs(&p->fdb, ifindex, macs);
	return 0;
}

/* ---- LLDP-MIB ----------------------------------------------------------------------- */

struct lldp_walk {
	size_t blen;
	bool remote;
};

static int put_lldp(struct sw *sw, void *ctx, const oid *name, size_t len, const netsnmp_variable_list *vb)
{
	struct snmp_priv *p = sw->priv;
	struct lldp_walk *w = ctx;
	const uint8_t *val = vb->type == ASN_OCTET_STR ? vb->val.string : NULL;
	long ival = vb->type == ASN_INTEGER && vb->val.integer ? *vb->val.integer : 0;
	int column;

	if (len < w->blen + 2 || name[w->blen] > 64)
		return 0;
	column = (int)name[w->blen];
	if (w->remote)
		lldp_rem_put(&p->lldp, column, name + w->blen + 1, len - w->blen - 1, val, vb->val_len, ival);
	else
		lldp_loc_put(&p->lldp, column, name + w->blen + 1, len - w->blen - 1, val, vb->val_len, ival);
	return 0;
}

static int load_lldp(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	struct lldp_walk loc = { OID_LENGTH(oid_lldp_loc_port_entry), false };
	struct lldp_walk rem = { OID_LENGTH(oid_lldp_rem_entry), true };

	if (p->lldp_loaded)
		return 0;
	if (swsnmp_walk(sw, oid_lldp_loc_port_entry, loc.blen, "lldpLocPortTable (LLDP-MIB)", put_lldp, &loc) < 0 ||
	    swsnmp_walk(sw, oid_lldp_rem_entry, rem.blen, "lldpRemTable (LLDP-MIB)", put_lldp, &rem) < 0)
		return -1;
	p->lldp_loaded = true;
	return 0;
}

int ifmib_port_neighbors(struct sw *sw, const char *port, struct lldp_list *out)
{
	struct snmp_priv *p;
	const char *ifname = NULL, *ifdescr = NULL;
	long ifindex;

	if (ifmib_port_names(sw, port, &ifindex, &ifname, &ifdescr) < 0 || load_lldp(sw) < 0)
		return -1;
	p = sw->priv;
	if (!p->lldp.nloc && !p->lldp.nrem)
		return sw_fail(sw, SWE_UNSUPPORTED, "switch %s (%s) serves no LLDP-MIB (lldpLocPortTable and "
		    "lldpRemTable are empty)", sw->cfg->name, sw->cfg->address);
	lldp_neighbors_on(&p->lldp, lldp_local_port(&p->lldp, ifindex, ifname, ifdescr), out);
	return 0;
}
