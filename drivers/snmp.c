/*
 * snmp: any IF-MIB switch, with net-snmp. A port is shut and brought back
 * through ifAdminStatus (down 2, up 1) and read back through it. Ports are
 * named by ifName, exact ifDescr or ifIndex; names are resolved with one
 * walk of ifName and ifDescr per session, made only when a port is named
 * by name. The MAC flush goes through BRIDGE-MIB dot1dTpAgingTime: lower
 * it, let the switch age its table, put the old value back.
 *
 * The session part (v1/v2c/v3, deadlines, error messages) is in
 * snmp_session.c; 3com.c reuses everything here and adds its own flush.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/snmp_session.h"
#include "fencer/config.h"

static const oid oid_if_descr[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 2 };
static const oid oid_if_name[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 };
#define IF_ADMIN_STATUS 7		/* ifTable column */
#define IF_OPER_STATUS 8
static const oid oid_sys_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid oid_sys_name[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
static const oid oid_aging_time[] = { 1, 3, 6, 1, 2, 1, 17, 4, 2, 0 };

/* dot1dTpAgingTime's lowest value (BRIDGE-MIB: 10..1000000 seconds). */
#define AGING_LOW_S 10
/* After the aging time is lowered, every entry not refreshed within it is
 * gone once the switch's aging sweep has run once more: wait the lowered
 * aging time plus this, unless the deadline comes first. */
#define AGING_SWEEP_MS 1000
/* The restore must fit before the deadline: at most this is kept for it. */
#define RESTORE_RESERVE_MS 1000

/* ---- configuration ------------------------------------------------------------ */

void ifmib_validate(const struct sw_config *c, struct cfg_errors *e)
{
	const char *v = snmp_config_version(c);
	const char *drv = c->driver->name;

	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver %s needs address =", c->name, drv);
	if (strcmp(v, "3") == 0) {
		if (!c->user)
			cfg_error(e, c->line, "[switch %s] snmp-version 3 needs user =", c->name);
		if (!c->auth_password_file)
			cfg_error(e, c->line, "[switch %s] snmp-version 3 needs auth-password-file = "
			    "(fencer speaks authNoPriv or authPriv, never noAuthNoPriv)", c->name);
		if (c->priv_protocol && !c->priv_password_file)
			cfg_error(e, c->line, "[switch %s] priv-protocol needs priv-password-file =", c->name);
		if (c->community_file)
			cfg_error(e, c->line, "[switch %s] community-file is for snmp-version 1 and 2c, not 3", c->name);
	} else {
		if (!c->community_file)
			cfg_error(e, c->line, "[switch %s] snmp-version %s needs community-file =", c->name, v);
		if (c->user || c->auth_protocol || c->auth_password_file || c->priv_protocol || c->priv_password_file)
			cfg_error(e, c->line, "[switch %s] user, auth-* and priv-* are for snmp-version 3, "
			    "not %s", c->name, v);
	}
	if (c->retries < 0 || c->retries > 10)
		cfg_error(e, c->line, "[switch %s] retries must be 0 to 10, not %d", c->name, c->retries);
}

static const char *const snmp_versions[] = { "1", "2c", "3", NULL };

const struct cfg_key snmp_keys[] = {
	SW_KEY("snmp-version", K_WORD, snmp_version, .words = snmp_versions),
	SW_KEY("community-file", K_SECRET, community_file, .max = SECRET_SNMP_MAX),
	SW_KEY("user", K_USER, user, .def = NULL),
	SW_KEY("auth-protocol", K_WORD, auth_protocol, .words = snmp_auth_protocols, .what = "auth protocol"),
	SW_KEY("auth-password-file", K_SECRET, auth_password_file, .max = SECRET_SNMP_MAX),
	SW_KEY("priv-protocol", K_WORD, priv_protocol, .words = snmp_priv_protocols, .what = "privacy protocol"),
	SW_KEY("priv-password-file", K_SECRET, priv_password_file, .max = SECRET_SNMP_MAX),
	SW_KEY("retries", K_INT, retries, .def = "1"),
	CFG_KEYS_END
};

/* ---- session ---------------------------------------------------------------------- */

int ifmib_open(struct sw *sw, const struct deadline *dl)
{
	if (!sw->dl)
		sw->dl = dl;
	if (snmp_session_open(sw) == 0)
		return 0;
	ifmib_close(sw);		/* the engine closes only what opened */
	return -1;
}

/* Put the old aging time back, with a budget of its own when the run's
 * deadline is already gone: a lowered aging time must not stay behind. */
static int aging_restore(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	struct snmp_what w = { .text = "SET dot1dTpAgingTime.0 back", .missing = SWE_COMMAND };
	char text[80], why[sizeof sw->err];

	snprintf(text, sizeof text, "SET dot1dTpAgingTime.0 = %ld (restoring it)", p->aging_old);
	w.text = text;
	if (swsnmp_set_int(sw, oid_aging_time, OID_LENGTH(oid_aging_time), p->aging_old, &w) == 0) {
		p->aging_lowered = false;
		return 0;
	}
	snprintf(why, sizeof why, "%s", sw->err);
	return sw_fail(sw, sw->errkind, "the MAC aging time of switch %s is still %d s, not %ld: %s",
	    sw->cfg->name, AGING_LOW_S, p->aging_old, why);
}

/* The session's end; the state itself is the engine's (priv_size). */
void ifmib_close(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	struct deadline own;

	if (p->sess && p->aging_lowered) {
		deadline_start(&own, sw->cfg->timeout_ms < 2000 ? sw->cfg->timeout_ms : 2000);
		sw->dl = &own;
		if (aging_restore(sw) < 0)
			log_warnx("%s", sw->err);
		sw->dl = NULL;
	}
	snmp_session_close(sw);
	snmp_iftable_free(&p->ifs);
	fdb_free(&p->fdb);
	lldp_tables_free(&p->lldp);
	*p = (struct snmp_priv){ 0 };
}

int ifmib_reuse(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;

	if (!p->sess)
		return sw_fail(sw, SWE_PROTOCOL, "no SNMP session kept");
	if (p->aging_lowered)
		return sw_fail(sw, SWE_PROTOCOL, "the MAC aging time was left lowered: the session is opened anew");
	snmp_iftable_free(&p->ifs);
	fdb_free(&p->fdb);
	lldp_tables_free(&p->lldp);
	p->ifs_loaded = p->fdb_loaded = p->lldp_loaded = p->h3c_loaded = false;
	p->aging_done = p->probing = false;
	p->errstat = 0;
	p->nbports = 0;
	return 0;
}

/* ---- ports ------------------------------------------------------------------------------ */

static int put_if(struct sw *sw, void *ctx, const oid *name, size_t len, const netsnmp_variable_list *vb)
{
	struct snmp_priv *p = sw->priv;
	enum snmp_if_column *col = ctx;

	/* ifName.N / ifDescr.N: the instance is the ifIndex */
	if (vb->type == ASN_OCTET_STR && name[len - 1] <= 2147483647UL)
		snmp_iftable_put(&p->ifs, (long)name[len - 1], *col, (const char *)vb->val.string, vb->val_len);
	return 0;
}

static int load_interfaces(struct sw *sw, const char *port)
{
	struct snmp_priv *p = sw->priv;
	enum snmp_if_column name = SNMP_IF_NAME, descr = SNMP_IF_DESCR;
	char what[200];

	if (p->ifs_loaded)
		return 0;
	snprintf(what, sizeof what, "ifName (to find port %s)", port);
	if (swsnmp_walk(sw, oid_if_name, OID_LENGTH(oid_if_name), what, put_if, &name) < 0)
		return -1;
	snprintf(what, sizeof what, "ifDescr (to find port %s)", port);
	if (swsnmp_walk(sw, oid_if_descr, OID_LENGTH(oid_if_descr), what, put_if, &descr) < 0)
		return -1;
	p->ifs_loaded = true;
	return 0;
}

int ifmib_port_ifindex(struct sw *sw, const char *port, long *ifindex)
{
	struct snmp_priv *p = sw->priv;
	char why[900];

	/* A number is an ifIndex as it stands: no walk; a wrong one is caught
	 * by the switch's own noSuchName / noSuchInstance. */
	if (snmp_port_is_index(port, ifindex))
		return 0;
	if (load_interfaces(sw, port) < 0)
		return -1;
	if (snmp_port_resolve(&p->ifs, port, ifindex, why, sizeof why) == SNMP_PORT_FOUND)
		return 0;
	return sw_fail(sw, SWE_PORT, "switch %s (%s): port %s: %s", sw->cfg->name, sw->cfg->address, port, why);
}

int ifmib_port_names(struct sw *sw, const char *port, long *ifindex, const char **ifname, const char **ifdescr)
{
	struct snmp_priv *p = sw->priv;

	*ifname = *ifdescr = NULL;
	if (ifmib_port_ifindex(sw, port, ifindex) < 0 || load_interfaces(sw, port) < 0)
		return -1;
	for (size_t i = 0; i < p->ifs.n; i++)
		if (p->ifs.v[i].ifindex == *ifindex) {
			*ifname = p->ifs.v[i].name;
			*ifdescr = p->ifs.v[i].descr;
		}
	return 0;
}

static void if_oid(oid *out, long column, long ifindex)
{
	static const oid if_entry[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };

	memcpy(out, if_entry, sizeof if_entry);
	out[OID_LENGTH(if_entry)] = (oid)column;
	out[OID_LENGTH(if_entry) + 1] = (oid)ifindex;
}

#define IF_OID_LEN 11

int ifmib_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct snmp_what w = { .port = port, .missing = SWE_PORT };
	char text[200];
	oid name[IF_OID_LEN];
	long ifindex;

	if (ifmib_port_ifindex(sw, port, &ifindex) < 0)
		return -1;
	if_oid(name, IF_ADMIN_STATUS, ifindex);
	snprintf(text, sizeof text, "SET ifAdminStatus.%ld (port %s) = %s", ifindex, port,
	    st == PORT_DOWN ? "down(2)" : "up(1)");
	w.text = text;
	/* A SET the switch answered with an error changed nothing (SNMP sets
	 * all or nothing); one whose answer never came may have held. */
	sw->sent = true;
	if (swsnmp_set_int(sw, name, IF_OID_LEN, st == PORT_DOWN ? 2 : 1, &w) == 0)
		return 0;
	sw->sent = ((struct snmp_priv *)sw->priv)->errstat == 0 && sw->errkind != SWE_AUTH;
	return -1;
}

/* check: the SET a fence makes, with the value the port has: write access
 * is proven and nothing changes. The value is read just before, so that
 * it is the port's own; the engine picks a port that only this fencer
 * would change, and holds the run lock meanwhile. */
int ifmib_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct snmp_what w = { .port = port, .missing = SWE_PORT };
	char text[200];
	oid name[IF_OID_LEN];
	long ifindex, v;

	(void)st;
	if (ifmib_port_ifindex(sw, port, &ifindex) < 0)
		return -1;
	if_oid(name, IF_ADMIN_STATUS, ifindex);
	snprintf(text, sizeof text, "GET ifAdminStatus.%ld (port %s)", ifindex, port);
	w.text = text;
	if (swsnmp_get_int(sw, name, IF_OID_LEN, &v, &w) < 0)
		return -1;
	if (v != 1 && v != 2)
		return sw_fail(sw, SWE_PROTOCOL, "switch %s: %s: %ld is neither up(1) nor down(2)", sw->cfg->name,
		    text, v);
	snprintf(text, sizeof text, "SET ifAdminStatus.%ld (port %s) = %s, the value it has (check-write)",
	    ifindex, port, v == 2 ? "down(2)" : "up(1)");
	if (swsnmp_set_int(sw, name, IF_OID_LEN, v, &w) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "SET ifAdminStatus.%ld (port %s) accepted", ifindex, port);
	return 0;
}

static enum port_state admin_state(long v)
{
	return v == 1 ? PORT_UP : v == 2 ? PORT_DOWN : PORT_UNKNOWN;
}

/* check: the operational state too, on the probe's line. */
static void note_oper(struct sw *sw, const char *port, long oper)
{
	static const char *const names[] = { "?", "up", "down", "testing", "unknown", "dormant",
		"notPresent", "lowerLayerDown" };
	size_t used = strlen(sw->info);

	snprintf(sw->info + used, sizeof sw->info - used, ", %s oper %s", port,
	    oper >= 1 && oper <= 7 ? names[oper] : "?");
}

int ifmib_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct snmp_priv *p = sw->priv;
	struct snmp_what w = { .port = port, .missing = SWE_PORT };
	oid admin[IF_OID_LEN], oper[IF_OID_LEN];
	const oid *names[] = { admin, oper };
	size_t lens[] = { IF_OID_LEN, IF_OID_LEN };
	char text[200];
	netsnmp_pdu *resp;
	long ifindex, v;
	int rc;

	if (ifmib_port_ifindex(sw, port, &ifindex) < 0)
		return -1;
	if_oid(admin, IF_ADMIN_STATUS, ifindex);
	if_oid(oper, IF_OPER_STATUS, ifindex);
	snprintf(text, sizeof text, "GET ifAdminStatus.%ld (port %s)", ifindex, port);
	w.text = text;
	if (swsnmp_get(sw, names, lens, p->probing ? 2 : 1, &resp, &w) < 0)
		return -1;
	rc = -1;
	if (!resp->variables)
		sw_fail(sw, SWE_PROTOCOL, "switch %s: %s: an empty answer", sw->cfg->name, text);
	else if (snmp_vb_missing(resp->variables))
		sw_fail(sw, SWE_PORT, "switch %s (%s): port %s: there is no interface with ifIndex %ld",
		    sw->cfg->name, sw->cfg->address, port, ifindex);
	else if (resp->variables->type != ASN_INTEGER)
		sw_fail(sw, SWE_PROTOCOL, "switch %s: %s: the answer is not an INTEGER", sw->cfg->name, text);
	else {
		v = *resp->variables->val.integer;
		*st = admin_state(v);
		rc = 0;
		if (p->probing && resp->variables->next_variable &&
		    resp->variables->next_variable->type == ASN_INTEGER)
			note_oper(sw, port, *resp->variables->next_variable->val.integer);
	}
	snmp_free_pdu(resp);
	return rc;
}

/* ---- check ------------------------------------------------------------------------------- */

int ifmib_probe(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	struct snmp_what w = { .text = "GET sysName.0 sysUpTime.0", .missing = SWE_COMMAND };
	const oid *names[] = { oid_sys_name, oid_sys_uptime };
	size_t lens[] = { OID_LENGTH(oid_sys_name), OID_LENGTH(oid_sys_uptime) };
	char sysname[64] = "?";
	unsigned long ticks = 0;
	netsnmp_pdu *resp;
	netsnmp_variable_list *vb;

	if (swsnmp_get(sw, names, lens, 2, &resp, &w) < 0)
		return -1;
	vb = resp->variables;
	if (vb && vb->type == ASN_OCTET_STR)
		snmp_printable((const char *)vb->val.string, vb->val_len, sysname, sizeof sysname);
	if (vb && (vb = vb->next_variable) && vb->type == ASN_TIMETICKS)
		ticks = (unsigned long)*vb->val.integer;
	snmp_free_pdu(resp);
	ticks /= 100;
	snprintf(sw->info, sizeof sw->info, "sysName %s, up %lud %02lu:%02lu:%02lu (SNMP v%s)", sysname,
	    ticks / 86400, ticks / 3600 % 24, ticks / 60 % 60, ticks % 60, p->version);
	p->probing = true;
	return 0;
}

/* ---- MAC flush through the aging time ----------------------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The switch ages its table on its own clock: nothing to ask it, only to
 * give it time, never more than the deadline leaves after the restore. */
static void aging_wait(struct sw *sw)
{
	long reserve = sw->cfg->timeout_ms < RESTORE_RESERVE_MS ? sw->cfg->timeout_ms : RESTORE_RESERVE_MS;
	long want = AGING_LOW_S * 1000L + AGING_SWEEP_MS;
	long room = sw->dl ? deadline_left_ms(sw->dl) - reserve : want;

	sleep_ms(want < room ? want : room);
}

/* One flush per session, whatever the port: the aging time is the whole
 * switch's (flush = port cannot be narrower here). */
static int snmp_mac_flush(struct sw *sw, const char *port)
{
	struct snmp_priv *p = sw->priv;
	struct snmp_what w = { .text = "GET dot1dTpAgingTime.0", .missing = SWE_UNSUPPORTED };
	char text[80];
	long old, t0;

	(void)port;
	if (p->aging_done) {
		snprintf(sw->info, sizeof sw->info, "done with the switch's whole table in this session");
		return 0;
	}
	p->aging_done = true;
	if (swsnmp_get_int(sw, oid_aging_time, OID_LENGTH(oid_aging_time), &old, &w) < 0)
		return -1;
	if (old <= AGING_LOW_S) {
		/* already as low as it goes: nothing stays longer than that */
		snprintf(sw->info, sizeof sw->info, "the aging time is %ld s already: entries age out by themselves", old);
		return 0;
	}
	snprintf(text, sizeof text, "SET dot1dTpAgingTime.0 = %d (from %ld)", AGING_LOW_S, old);
	w.text = text;
	if (swsnmp_set_int(sw, oid_aging_time, OID_LENGTH(oid_aging_time), AGING_LOW_S, &w) < 0)
		return -1;
	p->aging_old = old;
	p->aging_lowered = true;
	t0 = mono_ms();
	aging_wait(sw);
	if (aging_restore(sw) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "aging time %d s for %ld ms, then %ld s again", AGING_LOW_S,
	    mono_ms() - t0, old);
	return 0;
}

/* check: the object the flush lowers is there and a number. */
static int snmp_probe_flush(struct sw *sw)
{
	struct snmp_what w = { .text = "GET dot1dTpAgingTime.0 (BRIDGE-MIB, which the MAC flush lowers)",
		.missing = SWE_UNSUPPORTED };
	long v;

	if (swsnmp_get_int(sw, oid_aging_time, OID_LENGTH(oid_aging_time), &v, &w) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "flushes through dot1dTpAgingTime (now %ld s)", v);
	return 0;
}

const struct driver driver_snmp = {
	.name = "snmp",
	IFMIB_DRIVER,
	.mac_flush = snmp_mac_flush,
	.probe_flush = snmp_probe_flush,
	.port_macs = ifmib_port_macs,
};
