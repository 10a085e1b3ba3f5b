/* What the switch's walked IF-MIB, BRIDGE-MIB and Q-BRIDGE tables mean; see
 * snmp_parse.h. Everything here is pure: input in, result out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "drivers/snmp_parse.h"
#include "fencer/log.h"

#define IFINDEX_MAX 2147483647L

static void *grow(void *v, size_t n, size_t size)
{
	return xrealloc(v, n + 1, size);
}

/* ---- interfaces ------------------------------------------------------------ */

static struct snmp_if *iftable_slot(struct snmp_iftable *t, long ifindex)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].ifindex == ifindex)
			return &t->v[i];
	t->v = grow(t->v, t->n, sizeof *t->v);
	t->v[t->n] = (struct snmp_if){ .ifindex = ifindex };
	return &t->v[t->n++];
}

int snmp_iftable_put(struct snmp_iftable *t, long ifindex, enum snmp_if_column col, const char *val, size_t len)
{
	struct snmp_if *e;
	char **field;

	if (ifindex < 1 || ifindex > IFINDEX_MAX)
		return -1;
	e = iftable_slot(t, ifindex);
	field = col == SNMP_IF_NAME ? &e->name : &e->descr;
	free(*field);
	*field = xmalloc(len + 1);
	memcpy(*field, val, len);
	(*field)[len] = '\0';
	return 0;
}

void snmp_iftable_free(struct snmp_iftable *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].descr);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

bool snmp_port_is_index(const char *port, long *ifindex)
{
	long v = 0;

	if (!port || !*port || *port == '0')
		return false;
	for (const char *p = port; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
		if (v > IFINDEX_MAX)
			return false;
	}
	*ifindex = v;
	return true;
}

void snmp_printable(const char *in, size_t len, char *out, size_t outlen)
{
	size_t i;

	if (!outlen)
		return;
	for (i = 0; i < len && i + 1 < outlen && in[i]; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
}

/* Append to a message buffer, never past its end. */
static void append(char *buf, size_t len, const char *fmt, ...) PRINTF(3, 4);
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static const char *if_label(const struct snmp_if *e, char *buf, size_t len)
{
	const char *s = e->name && *e->name ? e->name : e->descr ? e->descr : "";

	snmp_printable(s, strlen(s), buf, len);
	return buf;
}

/* "port1 (ifIndex 3), port2 (ifIndex 4), ..." into err after a prefix. */
static void list_interfaces(const struct snmp_iftable *t, char *err, size_t errlen)
{
	char label[80];

	if (!t->n) {
		append(err, errlen, "the switch lists no interface");
		return;
	}
	append(err, errlen, "the switch has %zu: ", t->n);
	for (size_t i = 0; i < t->n; i++)
		append(err, errlen, i ? ", %s (ifIndex %ld)" : "%s (ifIndex %ld)",
		    if_label(&t->v[i], label, sizeof label), t->v[i].ifindex);
}

static bool if_matches(const struct snmp_if *e, const char *port, bool is_index, long index)
{
	return (e->name && strcmp(e->name, port) == 0) || (e->descr && strcmp(e->descr, port) == 0) ||
	    (is_index && e->ifindex == index);
}

enum snmp_resolve snmp_port_resolve(const struct snmp_iftable *t, const char *port, long *ifindex,
    char *err, size_t errlen)
{
	char label[80], shown[80];
	long index = 0;
	bool is_index = snmp_port_is_index(port, &index);
	size_t found = 0, first = 0;

	for (size_t i = 0; i < t->n; i++)
		if (if_matches(&t->v[i], port, is_index, index) && found++ == 0)
			first = i;
	if (found == 1) {
		*ifindex = t->v[first].ifindex;
		return SNMP_PORT_FOUND;
	}
	snmp_printable(port, strlen(port), shown, sizeof shown);
	if (!found) {
		snprintf(err, errlen, "no interface has ifName, ifDescr or ifIndex '%s'; ", shown);
		list_interfaces(t, err, errlen);
		return SNMP_PORT_UNKNOWN;
	}
	snprintf(err, errlen, "'%s' is ambiguous: it names %zu interfaces: ", shown, found);
	for (size_t i = first, k = 0; i < t->n; i++)
		if (if_matches(&t->v[i], port, is_index, index))
			append(err, errlen, k++ ? ", %s (ifIndex %ld)" : "%s (ifIndex %ld)",
			    if_label(&t->v[i], label, sizeof label), t->v[i].ifindex);
	append(err, errlen, "; name the port by its ifIndex");
	return SNMP_PORT_AMBIGUOUS;
}

/* ---- OIDs ---------------------------------------------------------------------- */

bool snmp_oid_below(const snmp_subid *oid, size_t len, const snmp_subid *base, size_t blen,
    const snmp_subid **suffix, size_t *slen)
{
	if (len <= blen || memcmp(oid, base, blen * sizeof *oid) != 0)
		return false;
	*suffix = oid + blen;
	*slen = len - blen;
	return true;
}

const char *snmp_oid_format(const snmp_subid *oid, size_t len, char *buf, size_t buflen)
{
	size_t used = 0;

	if (!buflen)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < len && used + 1 < buflen; i++) {
		int n = snprintf(buf + used, buflen - used, i ? ".%lu" : "%lu", oid[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* ---- the forwarding database ------------------------------------------------- */

static bool mac_of(const snmp_subid *s, size_t slen, uint8_t mac[6])
{
	if (slen != 6)
		return false;
	for (size_t i = 0; i < 6; i++) {
		if (s[i] > 255)
			return false;
		mac[i] = (uint8_t)s[i];
	}
	return true;
}

static struct fdb_entry *fdb_find(struct fdb *f, unsigned long vlan, const uint8_t mac[6])
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].vlan == vlan && memcmp(f->v[i].mac, mac, 6) == 0)
			return &f->v[i];
	return NULL;
}

static int fdb_put(struct fdb *f, unsigned long vlan, const uint8_t mac[6], long bport)
{
	struct fdb_entry *e = fdb_find(f, vlan, mac);

	if (!e) {
		f->v = grow(f->v, f->n, sizeof *f->v);
		e = &f->v[f->n++];
		*e = (struct fdb_entry){ .vlan = vlan };
		memcpy(e->mac, mac, 6);
	}
	e->bport = bport;
	return 0;
}

/* FDB ids and VLANs are 1..4094 on every switch that has them. */
static bool fdb_id_ok(snmp_subid id)
{
	return id >= 1 && id <= 4094;
}

int fdb_put_qport(struct fdb *f, const snmp_subid *s, size_t slen, long bport)
{
	uint8_t mac[6];

	if (slen != 7 || !fdb_id_ok(s[0]) || !mac_of(s + 1, 6, mac))
		return -1;
	return fdb_put(f, s[0], mac, bport);
}

int fdb_put_dport(struct fdb *f, const snmp_subid *s, size_t slen, long bport)
{
	uint8_t mac[6];

	if (!mac_of(s, slen, mac))
		return -1;
	return fdb_put(f, 1, mac, bport);
}

int fdb_put_qstatus(struct fdb *f, const snmp_subid *s, size_t slen, long status)
{
	uint8_t mac[6];
	struct fdb_entry *e;

	if (slen != 7 || !fdb_id_ok(s[0]) || !mac_of(s + 1, 6, mac))
		return -1;
	if ((e = fdb_find(f, s[0], mac)))
		e->status = (int)(status >= FDB_OTHER && status <= FDB_MGMT ? status : FDB_OTHER);
	return 0;
}

int fdb_put_dstatus(struct fdb *f, const snmp_subid *s, size_t slen, long status)
{
	uint8_t mac[6];

	if (!mac_of(s, slen, mac))
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (!f->v[i].status && memcmp(f->v[i].mac, mac, 6) == 0)
			f->v[i].status = (int)(status >= FDB_OTHER && status <= FDB_MGMT ? status : FDB_OTHER);
	return 0;
}

int fdb_put_h3c_port(struct fdb *f, const snmp_subid *s, size_t slen, long ifindex)
{
	uint8_t mac[6];

	if (slen != 7 || !fdb_id_ok(s[0]) || !mac_of(s + 1, 6, mac) || ifindex < 1)
		return -1;
	fdb_put(f, s[0], mac, 0);
	fdb_find(f, s[0], mac)->ifindex = ifindex;
	return 0;
}

size_t fdb_port_macs(const struct fdb *f, long ifindex, struct mac_list *macs)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct fdb_entry *e = &f->v[i];

		if (!e->ifindex || e->ifindex != ifindex || e->status == FDB_SELF || e->status == FDB_INVALID ||
		    e->status == FDB_MGMT || (e->mac[0] & 1))
			continue;
		mac_list_add(macs, e->mac);
		n++;
	}
	return n;
}

void fdb_free(struct fdb *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

int bport_map_put(struct bport_map *m, const snmp_subid *s, size_t slen, long ifindex)
{
	if (slen != 1 || s[0] < 1 || s[0] > 65535 || ifindex < 1)
		return -1;
	m->bport = grow(m->bport, m->n, sizeof *m->bport);
	m->ifindex = grow(m->ifindex, m->n, sizeof *m->ifindex);
	m->bport[m->n] = (long)s[0];
	m->ifindex[m->n++] = ifindex;
	return 0;
}

void bport_map_free(struct bport_map *m)
{
	free(m->bport);
	free(m->ifindex);
	*m = (struct bport_map){ 0 };
}

void fdb_map_ports(struct fdb *f, const struct bport_map *m)
{
	for (size_t i = 0; i < f->n; i++) {
		f->v[i].ifindex = 0;
		for (size_t k = 0; k < m->n; k++)
			if (m->bport[k] == f->v[i].bport)
				f->v[i].ifindex = m->ifindex[k];
	}
}

static bool on_ports(const struct fdb_entry *e, const long *ifindexes, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (e->ifindex && e->ifindex == ifindexes[i])
			return true;
	return false;
}

size_t fdb_select(const struct fdb *f, const long *ifindexes, size_t nifindex, size_t *sel, size_t *unknown)
{
	size_t n = 0;

	*unknown = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (!on_ports(&f->v[i], ifindexes, nifindex))
			continue;
		if (f->v[i].status == FDB_LEARNED)
			sel[n++] = i;
		else if (!f->v[i].status)
			(*unknown)++;
	}
	return n;
}

size_t fdb_delete_oid(const struct fdb_entry *e, const snmp_subid *table, size_t tlen, snmp_subid *out, size_t outmax)
{
	size_t len = tlen + 1 + 1 + 6;

	if (len > outmax)
		return 0;
	memcpy(out, table, tlen * sizeof *out);
	out[tlen] = 4;			/* hwdot1qTpFdbSetOperate */
	out[tlen + 1] = e->vlan;
	for (size_t i = 0; i < 6; i++)
		out[tlen + 2 + i] = e->mac[i];
	return len;
}

const char *fdb_mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* ---- LLDP-MIB ------------------------------------------------------------------- */

static void lldp_id_put(struct lldp_id *id, const uint8_t *val, size_t len)
{
	id->len = len < sizeof id->v ? len : sizeof id->v;
	if (val && id->len)
		memcpy(id->v, val, id->len);
}

static void text_put(char *buf, const uint8_t *val, size_t len)
{
	snmp_printable(val ? (const char *)val : "", val ? len : 0, buf, LLDP_VALUE_MAX);
}

int lldp_rem_put(struct lldp_tables *t, int column, const snmp_subid *s, size_t slen, const uint8_t *val,
    size_t len, long ival)
{
	struct lldp_rem *r = NULL;

	if (slen != 3 || s[1] < 1 || s[1] > 2147483647UL)
		return -1;
	for (size_t i = 0; i < t->nrem && !r; i++)
		if (t->rem[i].time_mark == s[0] && t->rem[i].port_num == (long)s[1] && t->rem[i].index == s[2])
			r = &t->rem[i];
	if (!r) {
		t->rem = grow(t->rem, t->nrem, sizeof *t->rem);
		r = &t->rem[t->nrem++];
		*r = (struct lldp_rem){ .time_mark = s[0], .port_num = (long)s[1], .index = s[2] };
	}
	switch (column) {
	case LLDP_REM_CHASSIS_SUBTYPE: r->chassis.subtype = (int)(ival >= 0 && ival <= 255 ? ival : 0); break;
	case LLDP_REM_CHASSIS: lldp_id_put(&r->chassis, val, len); break;
	case LLDP_REM_PORT_SUBTYPE: r->port.subtype = (int)(ival >= 0 && ival <= 255 ? ival : 0); break;
	case LLDP_REM_PORT_ID: lldp_id_put(&r->port, val, len); break;
	case LLDP_REM_PORT_DESCR: text_put(r->port_descr, val, len); break;
	case LLDP_REM_SYSNAME: text_put(r->sysname, val, len); break;
	default: break;
	}
	return 0;
}

int lldp_loc_put(struct lldp_tables *t, int column, const snmp_subid *s, size_t slen, const uint8_t *val,
    size_t len, long ival)
{
	struct lldp_loc *l = NULL;

	if (slen != 1 || s[0] < 1 || s[0] > 2147483647UL)
		return -1;
	for (size_t i = 0; i < t->nloc && !l; i++)
		if (t->loc[i].num == (long)s[0])
			l = &t->loc[i];
	if (!l) {
		t->loc = grow(t->loc, t->nloc, sizeof *t->loc);
		l = &t->loc[t->nloc++];
		*l = (struct lldp_loc){ .num = (long)s[0] };
	}
	if (column == LLDP_LOC_PORT_SUBTYPE)
		l->port.subtype = (int)(ival >= 0 && ival <= 255 ? ival : 0);
	else if (column == LLDP_LOC_PORT_ID)
		lldp_id_put(&l->port, val, len);
	else if (column == LLDP_LOC_PORT_DESCR)
		text_put(l->descr, val, len);
	return 0;
}

/* Port ID subtypes that are a name: interfaceAlias(1), interfaceName(5),
 * local(7). */
static bool id_is_name(const struct lldp_id *id)
{
	return id->subtype == 1 || id->subtype == 5 || id->subtype == 7;
}

static bool same_text(const char *a, const uint8_t *b, size_t blen)
{
	return a && *a && strlen(a) == blen && memcmp(a, b, blen) == 0;
}

long lldp_local_port(const struct lldp_tables *t, long ifindex, const char *ifname, const char *ifdescr)
{
	for (size_t i = 0; i < t->nloc; i++) {
		const struct lldp_loc *l = &t->loc[i];
		size_t dlen = strlen(l->descr);

		if (id_is_name(&l->port) && (same_text(ifname, l->port.v, l->port.len) ||
		    same_text(ifdescr, l->port.v, l->port.len)))
			return l->num;
		if (dlen && (same_text(ifname, (const uint8_t *)l->descr, dlen) ||
		    same_text(ifdescr, (const uint8_t *)l->descr, dlen)))
			return l->num;
	}
	return ifindex;
}

/* A chassis or port ID as text: a MAC (chassis subtype 4, port subtype
 * 3) as aa:bb:..., a name as itself, anything else in hex. */
static void id_text(const struct lldp_id *id, bool mac_subtype, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (mac_subtype && id->len == 6) {
		fdb_mac_format(id->v, buf);
		return;
	}
	if (id->subtype != 3 && id->subtype != 4 && id->subtype != 5 && id->len) {
		bool printable = true;

		for (size_t i = 0; i < id->len; i++)
			printable = printable && id->v[i] >= 0x20 && id->v[i] < 0x7f;
		if (printable) {
			snmp_printable((const char *)id->v, id->len, buf, len);
			return;
		}
	}
	for (size_t i = 0; i < id->len && used + 3 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%02x", i ? ":" : "", id->v[i]);
}

void lldp_neighbors_on(const struct lldp_tables *t, long num, struct lldp_list *out)
{
	for (size_t i = 0; i < t->nrem; i++) {
		const struct lldp_rem *r = &t->rem[i];
		struct lldp_neighbor nb = { 0 };

		if (r->port_num != num)
			continue;
		id_text(&r->chassis, r->chassis.subtype == 4, nb.chassis, sizeof nb.chassis);
		id_text(&r->port, r->port.subtype == 3, nb.port_id, sizeof nb.port_id);
		snprintf(nb.port_descr, sizeof nb.port_descr, "%s", r->port_descr);
		snprintf(nb.sysname, sizeof nb.sysname, "%s", r->sysname);
		lldp_list_add(out, &nb);
	}
}

void lldp_tables_free(struct lldp_tables *t)
{
	free(t->rem);
	free(t->loc);
	*t = (struct lldp_tables){ 0 };
}
