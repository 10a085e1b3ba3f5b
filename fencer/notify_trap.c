/* The SNMP channel: a FENCER-MIB notification (mibs/FENCER-MIB.txt) to one
 * receiver, as a v2c trap (fire and forget: only a local send error is
 * seen) or a v3 inform (acknowledged; the receiver's engine ID is
 * discovered). net-snmp single-session API, numeric OIDs, no MIB files. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "fencer/notify_channel.h"
#include "fencer/snmp_init.h"

/* Placeholder Private Enterprise Number: see mibs/FENCER-MIB.txt. */
#define FENCER_PEN 99999
#define FENCER_MIB 1, 3, 6, 1, 4, 1, FENCER_PEN, 1

enum {
	OBJ_NODE = 1, OBJ_PEER, OBJ_COMMAND, OBJ_OUTCOME, OBJ_EXIT_CODE, OBJ_DURATION,
	OBJ_PORTS_FENCED, OBJ_PORTS_FAILED, OBJ_SUMMARY,
};

static const oid sys_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid snmp_trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static void add_string(netsnmp_pdu *pdu, int obj, const char *s)
{
	oid name[] = { FENCER_MIB, 1, (oid)obj, 0 };

	snmp_pdu_add_variable(pdu, name, OID_LENGTH(name), ASN_OCTET_STR, s, strlen(s));
}

static void add_number(netsnmp_pdu *pdu, int obj, u_char type, long v)
{
	oid name[] = { FENCER_MIB, 1, (oid)obj, 0 };

	snmp_pdu_add_variable(pdu, name, OID_LENGTH(name), type, &v, sizeof v);
}

static netsnmp_pdu *build_pdu(const struct notice *n, int type)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type);
	oid trap[] = { FENCER_MIB, 0, (oid)n->kind };
	struct timespec up;
	long ticks;

	if (!pdu)
		return NULL;
	/* sysUpTime of this host, in hundredths: the sender has no agent. */
	clock_gettime(CLOCK_BOOTTIME, &up);
	ticks = (long)(up.tv_sec * 100 + up.tv_nsec / 10000000);
	snmp_pdu_add_variable(pdu, sys_uptime, OID_LENGTH(sys_uptime), ASN_TIMETICKS, &ticks, sizeof ticks);
	snmp_pdu_add_variable(pdu, snmp_trap_oid, OID_LENGTH(snmp_trap_oid), ASN_OBJECT_ID, trap, sizeof trap);
	add_string(pdu, OBJ_NODE, n->node);
	add_string(pdu, OBJ_PEER, n->peer);
	add_string(pdu, OBJ_COMMAND, n->command);
	add_string(pdu, OBJ_OUTCOME, n->outcome);
	add_number(pdu, OBJ_EXIT_CODE, ASN_INTEGER, n->exit_code);
	add_number(pdu, OBJ_DURATION, ASN_UNSIGNED, n->duration_ms);
	add_number(pdu, OBJ_PORTS_FENCED, ASN_UNSIGNED, (long)n->ports_fenced);
	add_number(pdu, OBJ_PORTS_FAILED, ASN_UNSIGNED, (long)n->ports_failed);
	add_string(pdu, OBJ_SUMMARY, n->summary);
	return pdu;
}

/* trap-version 3: authentication only when a protocol and a password are
 * both given, privacy the same (fencer/snmp_init.h makes the keys). */
static int v3_auth(netsnmp_session *s, const struct delivery *d, char *err, size_t errlen)
{
	const char *a = d->cfg->trap_auth_protocol, *p = d->cfg->trap_priv_protocol;

	if (!a || !d->auth_secret)
		return 0;
	return fencer_v3_setup(s, d->cfg->trap_user, a, d->auth_secret, p, p ? d->priv_secret : NULL, err, errlen);
}

static int fail(struct delivery *d, const char *what, const char *why)
{
	snprintf(d->err, sizeof d->err, "trap to %s failed: %s%s%s", d->target, what, why ? ": " : "",
	    why ? why : "");
	return -1;
}

static int session_init(netsnmp_session *s, struct delivery *d, bool v3, char *err, size_t errlen)
{
	long left = deadline_left_ms(&d->dl) - 50;

	snmp_sess_init(s);
	s->peername = (char *)d->dest;
	/* Three tries inside the budget: a lost datagram is not a lost inform. */
	s->retries = 2;
	s->timeout = (left > 3 ? left / 3 : 1) * 1000L;
	if (!v3) {
		s->version = SNMP_VERSION_2c;
		s->community = (u_char *)d->secret;
		s->community_len = strlen(d->secret);
		return 0;
	}
	s->version = SNMP_VERSION_3;
	s->securityName = (char *)d->cfg->trap_user;
	s->securityNameLen = strlen(d->cfg->trap_user);
	s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	return v3_auth(s, d, err, errlen);
}

static int session_error(struct delivery *d, void *ss, const char *what)
{
	char *msg = NULL;
	int liberr = 0, syserr = 0;

	snmp_sess_error(ss, &syserr, &liberr, &msg);
	d->timed_out = liberr == SNMPERR_TIMEOUT;
	fail(d, what, msg);
	free(msg);
	return -1;
}

static int send_with(netsnmp_session *sp, struct delivery *d);

/* The session's localized v3 keys sit on this stack: wiped whatever
 * happened (snmp_sess_open keeps its own copies). */
int trap_send(struct delivery *d)
{
	netsnmp_session s = { 0 };
	int rc = send_with(&s, d);

	explicit_bzero(s.securityAuthKey, sizeof s.securityAuthKey);
	explicit_bzero(s.securityPrivKey, sizeof s.securityPrivKey);
	return rc;
}

static int send_with(netsnmp_session *sp, struct delivery *d)
{
	bool v3 = strcmp(d->cfg->trap_version, "3") == 0;
	netsnmp_session *ss;
	netsnmp_pdu *pdu, *resp = NULL;
	char err[256];
	int st;

	snmp_lib_init();
	if (session_init(sp, d, v3, err, sizeof err) < 0)
		return fail(d, "cannot derive the SNMPv3 keys", err);
	if (!(ss = snmp_sess_open(sp))) {
		char *msg = NULL;
		int liberr = 0, syserr = 0;

		snmp_error(sp, &syserr, &liberr, &msg);
		fail(d, "cannot open a session", msg);
		free(msg);
		return -1;
	}
	if (!(pdu = build_pdu(d->notice, v3 ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2))) {
		snmp_sess_close(ss);
		return fail(d, "out of memory", NULL);
	}
	if (!v3) {
		st = snmp_sess_send(ss, pdu) ? 0 : -1;
		if (st < 0) {
			snmp_free_pdu(pdu);
			session_error(d, ss, "send");
		}
		snmp_sess_close(ss);
		return st;
	}
	st = snmp_sess_synch_response(ss, pdu, &resp);
	if (st == STAT_SUCCESS && resp && resp->errstat == SNMP_ERR_NOERROR)
		st = 0;
	else if (st == STAT_SUCCESS)
		st = fail(d, "the receiver refused the inform", resp ? snmp_errstring((int)resp->errstat) : NULL);
	else
		st = session_error(d, ss, "no acknowledgement");
	if (resp)
		snmp_free_pdu(resp);
	snmp_sess_close(ss);
	return st;
}
