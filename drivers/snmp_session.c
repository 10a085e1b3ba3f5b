/*
 * One net-snmp single session per switch worker (snmp_sess_open /
 * snmp_sess_synch_response: the thread-safe API; no shared session list).
 * Every request gets min(timeout, deadline left) per try and only as many
 * retries as the deadline holds, so a dead agent costs at most the
 * deadline. Answers that are not a plain success become one sw_fail message
 * naming the switch, the object and, for a port, the port.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/snmp_session.h"
#include "fencer/config.h"
#include "fencer/snmp_init.h"

/* snmp_parse.c works on snmp_subid: it must be net-snmp's oid. */
_Static_assert(_Generic((oid)0, snmp_subid: 1, default: 0), "net-snmp oid is not unsigned long");

#define WALK_REPETITIONS 40

/* snmp_sess_open adds the v3 user to net-snmp's global USM user list (and
 * discovers the engine ID on the way), which no lock of net-snmp guards:
 * one switch worker at a time opens. Requests on open sessions run in
 * parallel. */
static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;

const char *snmp_config_version(const struct sw_config *c)
{
	if (c->snmp_version)
		return c->snmp_version;
	return c->user || c->auth_password_file ? "3" : "2c";
}

static const char *sw_addr(const struct sw *sw)
{
	return sw->cfg->address ? sw->cfg->address : "?";
}

/* Per-try timeout and retries that fit in what is left of the deadline. */
static int budget(struct sw *sw, const char *what, long *per_ms, int *retries)
{
	long left = sw->dl ? deadline_left_ms(sw->dl) : sw->cfg->timeout_ms;
	long per = sw->cfg->timeout_ms < left ? sw->cfg->timeout_ms : left;
	long tries;

	if (per < 1)
		return sw_fail(sw, SWE_TIMEOUT, "switch %s (%s): the deadline passed before %s", sw->cfg->name,
		    sw_addr(sw), what);
	tries = left / per;
	if (tries > sw->cfg->retries + 1L)
		tries = sw->cfg->retries + 1L;
	if (tries < 1)
		tries = 1;
	*per_ms = per;
	*retries = (int)tries - 1;
	return 0;
}

/* net-snmp's own error codes: which ones mean the keys or community. */
static enum sw_error liberr_kind(int snmperr)
{
	switch (snmperr) {
	case SNMPERR_TIMEOUT:
		return SWE_TIMEOUT;
	case SNMPERR_AUTHENTICATION_FAILURE: case SNMPERR_UNKNOWN_USER_NAME:
	case SNMPERR_UNSUPPORTED_SEC_LEVEL: case SNMPERR_DECRYPTION_ERR:
	case SNMPERR_NOT_IN_TIME_WINDOW: case SNMPERR_UNKNOWN_ENG_ID:
	case SNMPERR_USM_AUTHENTICATIONFAILURE: case SNMPERR_USM_UNKNOWNSECURITYNAME:
	case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL: case SNMPERR_USM_DECRYPTIONERROR:
	case SNMPERR_USM_ENCRYPTIONERROR: case SNMPERR_USM_UNKNOWNENGINEID:
	case SNMPERR_BAD_SEC_NAME: case SNMPERR_BAD_SEC_LEVEL: case SNMPERR_BAD_COMMUNITY:
		return SWE_AUTH;
	case SNMPERR_BAD_SENDTO: case SNMPERR_BAD_RECVFROM: case SNMPERR_BAD_ADDRESS:
	case SNMPERR_NO_SOCKET: case SNMPERR_BAD_LOCPORT:
		return SWE_CONNECT;
	default:
		return SWE_PROTOCOL;
	}
}

static const char *auth_hint(const struct sw *sw)
{
	const struct snmp_priv *p = sw->priv;

	return strcmp(p->version, "3") == 0 ? " (check user, auth-protocol, auth-password-file, "
	    "priv-protocol and priv-password-file)" : "";
}

static int fail_timeout(struct sw *sw, const char *what, long per, int retries)
{
	const struct snmp_priv *p = sw->priv;

	return sw_fail(sw, SWE_TIMEOUT, "switch %s (%s): no answer to %s after %d tr%s of %ld ms%s", sw->cfg->name,
	    sw_addr(sw), what, retries + 1, retries ? "ies" : "y", per,
	    strcmp(p->version, "3") != 0 ? " (agent down, unreachable, or a wrong community: an SNMP "
	    "agent does not answer one)" : " (agent down, unreachable, or a wrong priv-password: an agent "
	    "that cannot decrypt a request does not answer it)");
}

static int fail_lib(struct sw *sw, const char *what, int snmperr, const char *text)
{
	enum sw_error kind = liberr_kind(snmperr);

	return sw_fail(sw, kind, "switch %s (%s): %s failed: %s%s", sw->cfg->name, sw_addr(sw), what,
	    text ? text : snmp_api_errstring(snmperr), kind == SWE_AUTH ? auth_hint(sw) : "");
}

/* ---- opening ------------------------------------------------------------------ */

/* The passwords are read here and wiped once their keys are made; the
 * protocols and the keys are fencer_v3_setup's (fencer/snmp_init.h), the
 * same as for a trap. */
static int session_v3(struct sw *sw, netsnmp_session *s)
{
	const struct sw_config *c = sw->cfg;
	char auth[SECRET_SNMP_MAX + 1], priv[SECRET_SNMP_MAX + 1], err[512];
	const char *file = c->auth_password_file;
	int rc = -1;

	priv[0] = '\0';
	if (secret_read(c->auth_password_file, auth, sizeof auth, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "switch %s: %s", c->name, err);
	if (c->priv_password_file && secret_read(c->priv_password_file, priv, sizeof priv, err, sizeof err) < 0) {
		sw_fail(sw, SWE_CONFIG, "switch %s: %s", c->name, err);
		goto out;
	}
	if (fencer_v3_setup(s, c->user, c->auth_protocol ? c->auth_protocol : "sha", auth,
	    c->priv_protocol ? c->priv_protocol : "aes", c->priv_password_file ? priv : NULL, err, sizeof err) < 0) {
		if (strstr(err, "priv password"))
			file = c->priv_password_file;
		sw_fail(sw, SWE_CONFIG, "switch %s: %s (%s)", c->name, err, file);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(auth, sizeof auth);
	explicit_bzero(priv, sizeof priv);
	return rc;
}

static int session_community(struct sw *sw, netsnmp_session *s, char *community, size_t len)
{
	char err[512];

	if (secret_read(sw->cfg->community_file, community, len, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "switch %s: %s", sw->cfg->name, err);
	s->version = strcmp(snmp_config_version(sw->cfg), "1") == 0 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
	s->community = (u_char *)community;
	s->community_len = strlen(community);
	return 0;
}

static void *open_locked(struct sw *sw, netsnmp_session *s)
{
	int liberr = 0, snmperr = 0;
	char *text = NULL;
	void *sess;

	pthread_mutex_lock(&open_mu);
	sess = snmp_sess_open(s);
	if (!sess)
		snmp_error(s, &liberr, &snmperr, &text);
	pthread_mutex_unlock(&open_mu);
	if (!sess) {
		if (snmperr == SNMPERR_TIMEOUT)
			fail_timeout(sw, "the SNMPv3 engine discovery", s->timeout / 1000, s->retries);
		else
			fail_lib(sw, "opening the SNMP session", snmperr, text);
		free(text);
	}
	return sess;
}

int snmp_session_open(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;
	netsnmp_session s;
	char peer[300], community[256];
	long per;
	int retries, rc = -1;

	snmp_lib_init();
	snmp_sess_init(&s);
	snprintf(peer, sizeof peer, strchr(sw_addr(sw), ':') ? "udp6:[%s]:%d" : "udp:%s:%d", sw_addr(sw),
	    sw->cfg->port ? sw->cfg->port : sw->drv->default_port);
	s.peername = peer;
	snprintf(p->version, sizeof p->version, "%s", snmp_config_version(sw->cfg));
	if (strcmp(p->version, "3") == 0 ? session_v3(sw, &s) < 0 :
	    session_community(sw, &s, community, sizeof community) < 0)
		goto fail;
	if (budget(sw, "opening the SNMP session", &per, &retries) < 0)
		goto fail;
	s.timeout = per * 1000;
	s.retries = retries;
	if ((p->sess = open_locked(sw, &s)))
		rc = 0;
fail:
	/* snmp_sess_open keeps its own copies. */
	explicit_bzero(community, sizeof community);
	explicit_bzero(s.securityAuthKey, sizeof s.securityAuthKey);
	explicit_bzero(s.securityPrivKey, sizeof s.securityPrivKey);
	return rc;
}

void snmp_session_close(struct sw *sw)
{
	struct snmp_priv *p = sw->priv;

	if (p && p->sess) {
		snmp_sess_close(p->sess);
		p->sess = NULL;
	}
}

/* ---- requests ------------------------------------------------------------------- */

bool snmp_vb_missing(const netsnmp_variable_list *vb)
{
	return vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE || vb->type == SNMP_ENDOFMIBVIEW;
}

static bool errstat_missing(long e)
{
	return e == SNMP_ERR_NOSUCHNAME || e == SNMP_ERR_NOCREATION || e == SNMP_ERR_INCONSISTENTNAME;
}

static int fail_errstat(struct sw *sw, const struct snmp_what *w, const netsnmp_pdu *resp)
{
	const struct snmp_priv *p = sw->priv;
	long e = resp->errstat;
	enum sw_error kind = SWE_COMMAND;
	const char *hint = "";

	if (e == SNMP_ERR_NOACCESS || e == SNMP_ERR_AUTHORIZATIONERROR || e == SNMP_ERR_READONLY) {
		kind = SWE_AUTH;
		hint = strcmp(p->version, "3") == 0 ? " (the SNMPv3 user may not write it)" :
		    " (a read-only community?)";
	} else if (errstat_missing(e)) {
		kind = w->missing;
		if (w->port)
			hint = " (no such interface on the switch?)";
		if (strcmp(p->version, "1") == 0)
			hint = " (SNMPv1 also says so for a read-only community)";
	} else if (e == SNMP_ERR_NOTWRITABLE) {
		hint = " (the switch does not let this object be set)";
	}
	return sw_fail(sw, kind, "switch %s (%s): %s: the switch answered %s%s", sw->cfg->name, sw_addr(sw),
	    w->text, snmp_errstring((int)e), hint);
}

int swsnmp_request(struct sw *sw, netsnmp_pdu *pdu, netsnmp_pdu **resp, const struct snmp_what *w, long *errindex)
{
	struct snmp_priv *p = sw->priv;
	netsnmp_session *ss = snmp_sess_session(p->sess);
	int liberr = 0, snmperr = 0, retries, st;
	char *text = NULL;
	long per;

	*resp = NULL;
	p->errstat = 0;
	if (errindex)
		*errindex = 0;
	if (budget(sw, w->text, &per, &retries) < 0) {
		snmp_free_pdu(pdu);
		return -1;
	}
	ss->timeout = per * 1000;
	ss->retries = retries;
	st = snmp_sess_synch_response(p->sess, pdu, resp);	/* consumes pdu */
	if (st == STAT_TIMEOUT)
		return fail_timeout(sw, w->text, per, retries);
	if (st != STAT_SUCCESS || !*resp) {
		snmp_sess_error(p->sess, &liberr, &snmperr, &text);
		fail_lib(sw, w->text, snmperr, text);
		free(text);
		if (*resp)
			snmp_free_pdu(*resp);
		*resp = NULL;
		return -1;
	}
	if ((*resp)->errstat == SNMP_ERR_NOERROR)
		return 0;
	p->errstat = (*resp)->errstat;
	if (errindex)
		*errindex = (*resp)->errindex;
	st = w->missing == SWE_NONE && errstat_missing((*resp)->errstat) ? 1 : fail_errstat(sw, w, *resp);
	snmp_free_pdu(*resp);
	*resp = NULL;
	return st;
}

int swsnmp_get(struct sw *sw, const oid *const *names, const size_t *lens, size_t n, netsnmp_pdu **resp,
    const struct snmp_what *w)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);

	for (size_t i = 0; i < n; i++)
		snmp_add_null_var(pdu, names[i], lens[i]);
	return swsnmp_request(sw, pdu, resp, w, NULL) == 0 ? 0 : -1;
}

static int vb_int(struct sw *sw, const netsnmp_variable_list *vb, long *value, const struct snmp_what *w)
{
	if (snmp_vb_missing(vb))
		return sw_fail(sw, w->missing == SWE_NONE ? SWE_COMMAND : w->missing,
		    "switch %s (%s): %s: the switch has no such object", sw->cfg->name, sw_addr(sw), w->text);
	if ((vb->type != ASN_INTEGER && vb->type != ASN_GAUGE && vb->type != ASN_TIMETICKS &&
	    vb->type != ASN_COUNTER) || !vb->val.integer)
		return sw_fail(sw, SWE_PROTOCOL, "switch %s (%s): %s: the answer is not a number (ASN type 0x%02x)",
		    sw->cfg->name, sw_addr(sw), w->text, vb->type);
	*value = vb->type == ASN_INTEGER ? *vb->val.integer : (long)(unsigned long)*vb->val.integer;
	return 0;
}

int swsnmp_get_int(struct sw *sw, const oid *name, size_t len, long *value, const struct snmp_what *w)
{
	netsnmp_pdu *resp;
	int rc;

	if (swsnmp_get(sw, &name, &len, 1, &resp, w) < 0)
		return -1;
	rc = resp->variables ? vb_int(sw, resp->variables, value, w) :
	    sw_fail(sw, SWE_PROTOCOL, "switch %s: %s: an empty answer", sw->cfg->name, w->text);
	snmp_free_pdu(resp);
	return rc;
}

int swsnmp_set_int(struct sw *sw, const oid *name, size_t len, long value, const struct snmp_what *w)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_SET), *resp;

	snmp_pdu_add_variable(pdu, name, len, ASN_INTEGER, &value, sizeof value);
	if (swsnmp_request(sw, pdu, &resp, w, NULL) != 0)
		return -1;
	snmp_free_pdu(resp);
	return 0;
}

/* ---- walks ------------------------------------------------------------------------ */

struct walk {
	const oid *base;
	size_t blen;
	oid cur[MAX_OID_LEN];
	size_t clen;
	bool done;
};

/* Hand one answer's varbinds to fn; stop at the end of the subtree. */
static int walk_answer(struct sw *sw, struct walk *wk, const netsnmp_pdu *resp, const char *what,
    swsnmp_walk_fn fn, void *ctx)
{
	const snmp_subid *suffix;
	size_t slen;

	if (!resp->variables)
		wk->done = true;
	for (const netsnmp_variable_list *vb = resp->variables; vb && !wk->done; vb = vb->next_variable) {
		if (snmp_vb_missing(vb) || !snmp_oid_below(vb->name, vb->name_length, wk->base, wk->blen, &suffix, &slen)) {
			wk->done = true;
			break;
		}
		if (snmp_oid_compare(vb->name, vb->name_length, wk->cur, wk->clen) <= 0 ||
		    vb->name_length > MAX_OID_LEN)
			return sw_fail(sw, SWE_PROTOCOL, "switch %s (%s): walking %s: the switch's answers do not "
			    "increase (a broken agent)", sw->cfg->name, sw_addr(sw), what);
		if (fn(sw, ctx, vb->name, vb->name_length, vb) < 0)
			return -1;
		memcpy(wk->cur, vb->name, vb->name_length * sizeof *vb->name);
		wk->clen = vb->name_length;
	}
	return 0;
}

int swsnmp_walk(struct sw *sw, const oid *base, size_t blen, const char *what, swsnmp_walk_fn fn, void *ctx)
{
	struct snmp_priv *p = sw->priv;
	struct walk wk = { .base = base, .blen = blen, .clen = blen };
	bool bulk = strcmp(p->version, "1") != 0;
	long reps = WALK_REPETITIONS;
	char text[200];

	snprintf(text, sizeof text, "walk of %s", what);
	memcpy(wk.cur, base, blen * sizeof *base);
	while (!wk.done) {
		struct snmp_what w = { .text = text, .missing = SWE_NONE };
		netsnmp_pdu *pdu = snmp_pdu_create(bulk ? SNMP_MSG_GETBULK : SNMP_MSG_GETNEXT), *resp;
		long errindex;
		int rc;

		if (bulk) {
			pdu->non_repeaters = 0;
			pdu->max_repetitions = reps;
		}
		snmp_add_null_var(pdu, wk.cur, wk.clen);
		rc = swsnmp_request(sw, pdu, &resp, &w, &errindex);
		if (rc == 1)		/* v1: noSuchName past the last object */
			break;
		if (rc < 0 && bulk && reps > 1 && p->errstat == SNMP_ERR_TOOBIG) {
			reps /= 2;	/* the answer did not fit in one message */
			continue;
		}
		if (rc < 0)
			return -1;
		rc = walk_answer(sw, &wk, resp, text, fn, ctx);
		snmp_free_pdu(resp);
		if (rc < 0)
			return -1;
	}
	return 0;
}
