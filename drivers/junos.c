/*
 * junos: switch ports of Juniper EX/QFX switches over NETCONF (RFC 6241)
 * on SSH (RFC 6242: the SSH subsystem "netconf", port 830).
 *
 * The SSH layer is drivers/ssh_session.c (connect, host key, login,
 * trust), with a subsystem channel instead of a shell. The framing is
 * drivers/netconf_frame.c (1.0's ]]>]]>, or 1.1's chunks when both hellos
 * name base:1.1), the XML drivers/junos_parse.c. What each RPC is and
 * what its answers look like: docs/switches/junos.md.
 *
 * A port is fenced through the candidate configuration: lock, edit-config
 * (`disable` on the interface; removed to unfence), commit (confirmed and
 * then confirmed again in the same session when commit-confirmed is set),
 * unlock. Any failure after the lock discards the candidate's changes and
 * unlocks, so that no half-made change waits for the next committer.
 * The read-back is the interface's operational admin status, the effect
 * of the commit (get-interface-information terse). An rpc-error of
 * severity error fails the operation in the switch's words; warnings are
 * logged; an answer that is neither <ok/> nor what the RPC returns is a
 * failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/junos_parse.h"
#include "drivers/netconf_frame.h"
#include "drivers/ssh_session.h"
#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/log.h"

#define RX_MAX (1024 * 1024)		/* bytes received, not yet a message */
#define MSG_MAX (1024 * 1024)		/* one message */
#define OP_MAX 512			/* one rpc's operation (port names are 64 at most) */

static const struct cfg_key junos_keys[] = {
	SW_KEY("user", K_USER, user, .def = NULL),
	SW_KEY("identity", K_KEYFILE, identity, .def = NULL),
	SW_KEY("password-file", K_SECRET, password_file, .max = SECRET_LINE_MAX),
	SW_KEY("known-hosts", K_CONFFILE, known_hosts, .def = NULL),
	SW_KEY("commit-confirmed", K_DURATION, commit_confirmed_ms, .def = "off", .min = 1000, .can_off = true),
	CFG_KEYS_END
};

/* The ways to flush a port's MAC table (docs/switches/junos.md): the RPC
 * of EX switches without ELS, the one of ELS switches, then the CLI
 * command through the <command> RPC. */
enum { FLUSH_RPC, FLUSH_RPC_ELS, FLUSH_COMMAND, FLUSH_FORMS };

struct junos {
	struct swssh link;		/* drivers/ssh_session.h */
	enum nc_framing framing;	/* after the hellos */
	char *rx;			/* received, not yet taken as a message */
	size_t rxlen;
	char *msg;			/* the last message, NUL-terminated */
	size_t msglen;
	unsigned long msgid;		/* the last rpc's message-id */
	unsigned long session_id;
	bool confirmed_commit;		/* the hello names :confirmed-commit */
	bool locked;			/* we hold the candidate's lock */
	bool dirty;			/* our edit is in the candidate, not committed or discarded */
	int flush_form;			/* FLUSH_*: the first form to try, what worked */
	int macs_form;			/* port_macs: 0 ELS first, 1 non-ELS first */
	int lldp_form;			/* port_neighbors: the request that answered */
};

/* ---- messages --------------------------------------------------------------- */

static int nc_send(struct sw *sw, struct junos *j, const char *body, const char *what)
{
	size_t len = strlen(body);
	const char *tail;
	char head[16];

	if (nc_frame(j->framing, len, head, &tail) < 0)
		return sw_fail(sw, SWE_PROTOCOL, "cannot frame %s", what);
	if ((head[0] && swssh_send(sw, &j->link, head, strlen(head), what) < 0) ||
	    swssh_send(sw, &j->link, body, len, what) < 0 || swssh_send(sw, &j->link, tail, strlen(tail), what) < 0)
		return -1;
	return 0;
}

/* The next whole message into j->msg, waiting at most the operation's
 * timeout inside the run's deadline. */
static int nc_recv(struct sw *sw, struct junos *j, const char *what)
{
	struct deadline d;

	swssh_deadline(sw, &d);
	for (;;) {
		char err[200];
		size_t used = 0;
		int rc = nc_unframe(j->framing, j->rx, j->rxlen, j->msg, MSG_MAX, &j->msglen, &used, err, sizeof err);

		if (rc < 0)
			return sw_fail(sw, SWE_PROTOCOL, "the answer to %s is not NETCONF %s: %s", what,
			    j->framing == NC_EOM ? "1.0" : "1.1", err);
		if (rc == 1) {
			memmove(j->rx, j->rx + used, j->rxlen - used);
			j->rxlen -= used;
			return 0;
		}
		if (swssh_read(sw, &j->link, &d, what, j->rx, &j->rxlen, RX_MAX) < 0)
			return -1;
	}
}

/* One rpc and its reply, parsed into r. 0: r holds the reply (it may be
 * an rpc-error); -1: no reply fencer can read (sw->err set). */
static int nc_rpc(struct sw *sw, struct junos *j, const char *op, const char *what, struct nc_reply *r)
{
	char id[24], err[200], body[OP_MAX + 128];

	snprintf(id, sizeof id, "%lu", ++j->msgid);
	snprintf(body, sizeof body, "<rpc message-id=\"%s\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">%s</rpc>",
	    id, op);
	log_debug("%s: rpc %s: %s", sw->cfg->name, id, op);
	if (nc_send(sw, j, body, what) < 0 || nc_recv(sw, j, what) < 0)
		return -1;
	if (nc_reply_parse(j->msg, j->msglen, id, r, err, sizeof err) < 0)
		return sw_fail(sw, SWE_PROTOCOL, "the switch's answer to %s: %s", what, err);
	if (r->nwarnings && !r->nerrors)
		log_info("%s: the switch warns about %s: %s", sw->cfg->name, what, r->error.message);
	return 0;
}

/* The switch refused: its words. */
static int refused(struct sw *sw, enum sw_error kind, const char *what, const char *port, const struct nc_reply *r)
{
	char words[700];

	nc_error_text(&r->error, words, sizeof words);
	return sw_fail(sw, kind, "the switch refused %s%s%s: %s", what, port ? " for port " : "", port ? port : "",
	    words);
}

/* An answer that is neither an error nor what the rpc returns. */
static int unrecognised(struct sw *sw, const char *what, const struct nc_reply *r)
{
	return sw_fail(sw, SWE_PROTOCOL, "the switch answered %s with %s%s%s, not <ok/>: not taken as done", what,
	    r->first[0] ? "<" : "an empty rpc-reply", r->first, r->first[0] ? ">" : "");
}

/* An rpc whose success is <ok/> (and only that, warnings aside). */
static int nc_rpc_ok(struct sw *sw, struct junos *j, const char *op, const char *what, const char *port)
{
	struct nc_reply r;

	if (nc_rpc(sw, j, op, what, &r) < 0)
		return -1;
	if (r.nerrors)
		return refused(sw, SWE_COMMAND, what, port, &r);
	if (!r.ok)
		return unrecognised(sw, what, &r);
	return 0;
}

/* ---- the candidate ---------------------------------------------------------- */

static int lock(struct sw *sw, struct junos *j, const char *port)
{
	if (j->locked)	/* an unlock that failed: the lock is still ours */
		return 0;
	if (nc_rpc_ok(sw, j, "<lock><target><candidate/></target></lock>", "<lock> of the candidate configuration",
	    port) < 0)
		return -1;
	j->locked = true;
	return 0;
}

/* After a failure, or at the end: drop what the candidate holds of ours
 * and let go of the lock. The failure being reported stays sw->err; what
 * this cleanup meets is logged. */
static void release(struct sw *sw, struct junos *j, bool discard)
{
	char err[sizeof sw->err];
	enum sw_error kind = sw->errkind;

	if (!j->locked || !j->link.ch)
		return;
	memcpy(err, sw->err, sizeof err);
	if (discard && nc_rpc_ok(sw, j, "<discard-changes/>", "<discard-changes>", NULL) < 0)
		log_warn("%s: discarding the candidate's changes failed: %s", sw->cfg->name, sw->err);
	else if (discard)
		j->dirty = false;
	if (nc_rpc_ok(sw, j, "<unlock><target><candidate/></target></unlock>", "<unlock> of the candidate", NULL) < 0)
		log_warn("%s: unlocking the candidate failed: %s", sw->cfg->name, sw->err);
	else
		j->locked = false;
	memcpy(sw->err, err, sizeof err);
	sw->errkind = kind;
}

/* RFC 6241 8.3.4.1 and 8.4: a commit answers <ok/>; Junos may answer
 * <commit-results> with <commit-success/> instead (docs/switches/junos.md). */
static int commit(struct sw *sw, struct junos *j, const char *op, const char *what, const char *port)
{
	struct nc_reply r;

	if (nc_rpc(sw, j, op, what, &r) < 0)
		return -1;
	if (r.nerrors)
		return refused(sw, SWE_COMMAND, what, port, &r);
	if (!r.ok && !r.commit_success)
		return unrecognised(sw, what, &r);
	return 0;
}

/* commit-confirmed: the first commit is rolled back by the switch unless
 * confirmed within the time; the confirming commit follows its answer, in
 * the same session, which proves the session survived the change. */
static int commit_all(struct sw *sw, struct junos *j, const char *port)
{
	long secs = sw->cfg->commit_confirmed_ms / 1000;
	char op[128];

	if (!secs)
		return commit(sw, j, "<commit/>", "<commit>", port);
	if (!j->confirmed_commit)
		return sw_fail(sw, SWE_UNSUPPORTED, "commit-confirmed is set and the switch's hello does not offer "
		    ":confirmed-commit: nothing was committed");
	snprintf(op, sizeof op, "<commit><confirmed/><confirm-timeout>%ld</confirm-timeout></commit>", secs);
	if (commit(sw, j, op, "<commit> confirmed", port) < 0)
		return -1;
	if (commit(sw, j, "<commit/>", "the confirming <commit>", port) < 0) {
		char err[sizeof sw->err];

		snprintf(err, sizeof err, "%s; the switch rolls the change back %ld s after the confirmed commit",
		    sw->err, secs);
		memcpy(sw->err, err, sizeof err);
		return -1;
	}
	return 0;
}

static int check_port(struct sw *sw, const char *port)
{
	if (!((struct junos *)sw->priv)->link.ch)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	if (port && !port_name_valid(port))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not a valid Junos interface name", port);
	return 0;
}

/* ---- the driver's operations ----------------------------------------------- */

static void junos_end(struct junos *j)
{
	swssh_close(&j->link, NULL);
	free(j->rx);
	free(j->msg);
	*j = (struct junos){ 0 };
}

/* RFC 6241 8.1: both peers send a hello, framed 1.0-style; chunked framing
 * follows when both name base:1.1 (RFC 6242 4.1). */
static int hello(struct sw *sw, struct junos *j)
{
	static const char ours[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>"
	    "<capability>" NC_BASE10 "</capability><capability>" NC_BASE11 "</capability>"
	    "</capabilities></hello>";
	struct nc_hello h;
	char err[300];

	j->framing = NC_EOM;
	if (nc_send(sw, j, ours, "the hello") < 0 || nc_recv(sw, j, "the switch's hello") < 0)
		return -1;
	if (nc_hello_parse(j->msg, j->msglen, &h, err, sizeof err) < 0)
		return sw_fail(sw, SWE_PROTOCOL, "the switch's hello: %s", err);
	if (!h.candidate)
		return sw_fail(sw, SWE_UNSUPPORTED, "the switch's hello offers no candidate configuration "
		    "(:candidate), which fencer changes ports through");
	j->framing = h.base11 ? NC_CHUNKED : NC_EOM;
	j->session_id = h.session_id;
	j->confirmed_commit = h.confirmed_commit;
	log_debug("%s: NETCONF session %lu, %s framing", sw->cfg->name, h.session_id,
	    h.base11 ? "1.1 chunked" : "1.0 end-of-message");
	return 0;
}

static int junos_open(struct sw *sw, const struct deadline *dl)
{
	struct junos *j = sw->priv;
	long t0 = mono_ms();

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	j->rx = xmalloc(RX_MAX);
	j->msg = xmalloc(MSG_MAX);
	if (swssh_open_subsystem(sw, &j->link, "netconf") < 0 || hello(sw, j) < 0)
		goto fail;
	log_debug("%s: NETCONF ready (%ld ms)", sw->cfg->name, mono_ms() - t0);
	return 0;
fail:
	junos_end(j);
	return -1;
}

/* A disable that is not there has nothing to delete: Junos answers a
 * warning ("statement not found"), RFC 6241 an error data-missing; both
 * leave the port without disable, which the read-back then checks. */
static int delete_disable(struct sw *sw, struct junos *j, const char *op, const char *port)
{
	struct nc_reply r;

	if (nc_rpc(sw, j, op, "<edit-config> delete disable", &r) < 0)
		return -1;
	if (r.nerrors == 1 && (strcmp(r.error.tag, "data-missing") == 0 ||
	    strstr(r.error.message, "statement not found"))) {
		log_info("%s: %s has no disable to delete (the switch: %s)", sw->cfg->name, port, r.error.message);
		return 0;
	}
	if (r.nerrors)
		return refused(sw, SWE_COMMAND, "<edit-config> delete disable", port, &r);
	if (!r.ok)
		return unrecognised(sw, "<edit-config> delete disable", &r);
	return 0;
}

static int junos_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct junos *j = sw->priv;
	char op[OP_MAX];
	int rc;

	if (check_port(sw, port) < 0 || lock(sw, j, port) < 0)
		return -1;
	/* Unfencing deletes the statement, in no-change mode so that no empty
	 * interface is created where there was none (Juniper's advice). */
	snprintf(op, sizeof op, "<edit-config><target><candidate/></target>%s<config><configuration><interfaces>"
	    "<interface><name>%s</name>%s</interface></interfaces></configuration></config></edit-config>",
	    st == PORT_DOWN ? "" : "<default-operation>none</default-operation>", port,
	    st == PORT_DOWN ? "<disable/>" : "<disable operation=\"delete\"/>");
	j->dirty = true;
	rc = st == PORT_DOWN ? nc_rpc_ok(sw, j, op, "<edit-config> disable", port) : delete_disable(sw, j, op, port);
	if (rc < 0)
		goto fail;
	sw->sent = true;
	if (commit_all(sw, j, port) < 0)
		goto fail;
	j->dirty = false;
	release(sw, j, false);
	if (j->locked)
		log_warn("%s: the change to %s is committed; the candidate stays locked until the session ends",
		    sw->cfg->name, port);
	return 0;
fail:
	release(sw, j, true);
	return -1;
}

static int junos_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct junos *j = sw->priv;
	struct nc_reply r;
	char op[OP_MAX];

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(op, sizeof op, "<get-interface-information><terse/><interface-name>%s</interface-name>"
	    "</get-interface-information>", port);
	if (nc_rpc(sw, j, op, "<get-interface-information>", &r) < 0)
		return -1;
	if (r.nerrors) {
		char words[700];

		/* Junos: "device ge-0/0/9 not found" for a port it lacks. */
		nc_error_text(&r.error, words, sizeof words);
		return sw_fail(sw, strstr(r.error.message, "not found") ? SWE_PORT : SWE_COMMAND,
		    "switch %s answered <get-interface-information> for %s with: %s", sw->cfg->name, port, words);
	}
	if ((*st = junos_admin_status(j->msg, j->msglen, port)) == PORT_UNKNOWN)
		return sw_fail(sw, SWE_PROTOCOL, "the switch's answer to <get-interface-information> for %s (<%s>) "
		    "holds no admin-status up or down for it", port, r.first[0] ? r.first : "empty");
	return 0;
}

/* The flush succeeded when the switch answered <ok/> or nothing (an
 * operational command without output; through <command>, an empty
 * <output>). */
static bool flush_done(const struct nc_reply *r)
{
	return !r->nerrors && (r->ok || r->empty || (strcmp(r->first, "output") == 0 && !r->output[0]));
}

/* One form's request for port (NULL: the whole table, the same request
 * for both RPC forms). */
static void flush_op(int form, const char *port, char *op, size_t len)
{
	if (form == FLUSH_COMMAND)
		snprintf(op, len, "<command>clear ethernet-switching table%s%s</command>", port ? " interface " : "",
		    port ? port : "");
	else if (!port)
		snprintf(op, len, "<clear-ethernet-switching-table/>");
	else if (form == FLUSH_RPC)
		snprintf(op, len, "<clear-ethernet-switching-table><interface>%s</interface>"
		    "</clear-ethernet-switching-table>", port);
	else
		snprintf(op, len, "<clear-ethernet-switching-interface-table><interface-name>%s</interface-name>"
		    "</clear-ethernet-switching-interface-table>", port);
}

/* Each form in turn from the one that worked in this session; the table
 * without a port has one RPC form only. */
static int junos_mac_flush(struct sw *sw, const char *port)
{
	static const char *const names[] = { "<clear-ethernet-switching-table>",
		"<clear-ethernet-switching-interface-table>", "<command>clear ethernet-switching table</command>" };
	struct junos *j = sw->priv;
	struct nc_reply r;
	char words[FLUSH_FORMS][300], op[OP_MAX];
	int form, tried = 0;

	if (check_port(sw, port) < 0)
		return -1;
	/* The whole table: <clear-ethernet-switching-table/> on both kinds. */
	form = !port && j->flush_form == FLUSH_RPC_ELS ? FLUSH_RPC : j->flush_form;
	for (; form < FLUSH_FORMS; form++) {
		if (!port && form == FLUSH_RPC_ELS)
			continue;
		flush_op(form, port, op, sizeof op);
		if (nc_rpc(sw, j, op, names[form], &r) < 0)
			return -1;
		if (flush_done(&r)) {
			if (port || form == FLUSH_COMMAND)
				j->flush_form = form;
			snprintf(sw->info, sizeof sw->info, "%s accepted", names[form]);
			return 0;
		}
		if (!r.nerrors && r.output[0])
			return sw_fail(sw, SWE_COMMAND, "the switch answered %s%s%s with: %s", names[form],
			    port ? " for port " : "", port ? port : "", r.output);
		if (!r.nerrors)
			return unrecognised(sw, names[form], &r);
		nc_error_text(&r.error, words[tried], sizeof words[tried]);
		log_debug("%s: %s refused (%s)", sw->cfg->name, names[form], words[tried]);
		tried++;
	}
	if (tried == 1)
		return refused(sw, SWE_COMMAND, names[FLUSH_COMMAND], port, &r);
	return sw_fail(sw, SWE_COMMAND, "the switch refused every form of the flush%s%s, the last %s: %s",
	    port ? " of port " : "", port ? port : "", names[FLUSH_COMMAND], words[tried - 1]);
}

/* Read-only: what the switch is, in its own words. */
static int junos_probe(struct sw *sw)
{
	struct junos *j = sw->priv;
	struct nc_reply r;

	if (check_port(sw, NULL) < 0 || nc_rpc(sw, j, "<get-software-information/>", "<get-software-information>",
	    &r) < 0)
		return -1;
	if (r.nerrors)
		return refused(sw, SWE_COMMAND, "<get-software-information>", NULL, &r);
	if (!junos_software(j->msg, j->msglen, sw->info, sizeof sw->info))
		return sw_fail(sw, SWE_PROTOCOL, "the switch answered <get-software-information> with <%s>, which "
		    "names no host or Junos version", r.first[0] ? r.first : "nothing");
	return 0;
}

/* check: the lock a fence takes first, and its release: the candidate
 * is not touched, so nothing changes (docs/switches/junos.md). */
static int junos_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct junos *j = sw->priv;

	(void)st;
	if (check_port(sw, port) < 0 || lock(sw, j, port) < 0)
		return -1;
	if (nc_rpc_ok(sw, j, "<unlock><target><candidate/></target></unlock>", "<unlock> of the candidate", NULL) < 0)
		return -1;
	j->locked = false;
	snprintf(sw->info, sizeof sw->info, "lock and unlock of the candidate configuration accepted "
	    "(session %lu)", j->session_id);
	return 0;
}

/* check: the switching table is there to be cleared (read-only), in the
 * form that also tells ELS from non-ELS: <summary/> is an option of the
 * non-ELS request only, <count/> of the ELS one. */
static int junos_probe_flush(struct sw *sw)
{
	static const char *const ops[] = {
		"<get-ethernet-switching-table-information><summary/></get-ethernet-switching-table-information>",
		"<get-ethernet-switching-table-information><count/></get-ethernet-switching-table-information>",
	};
	struct junos *j = sw->priv;
	struct nc_reply r;
	char words[300] = "";

	if (check_port(sw, NULL) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		bool els = i == 1;

		if (nc_rpc(sw, j, ops[i], els ? "<get-ethernet-switching-table-information> count" :
		    "<get-ethernet-switching-table-information> summary", &r) < 0)
			return -1;
		if (r.nerrors) {
			nc_error_text(&r.error, words, sizeof words);
			continue;
		}
		/* non-ELS: ethernet-switching-table-information; ELS: l2ng-l2ald-*
		 * or l2ald-*. */
		if (strcmp(r.first, "ethernet-switching-table-information") != 0 && strncmp(r.first, "l2ng-", 5) != 0 &&
		    strncmp(r.first, "l2ald-", 6) != 0)
			return sw_fail(sw, SWE_UNSUPPORTED, "the switch answered <get-ethernet-switching-table-information> "
			    "with <%s>, no switching table: the flush will fail", r.first[0] ? r.first : "nothing");
		j->flush_form = els ? FLUSH_RPC_ELS : FLUSH_RPC;
		snprintf(sw->info, sizeof sw->info, "%s switch (<%s>): flushes with %s", els ? "ELS" : "non-ELS",
		    r.first, els ? "<clear-ethernet-switching-interface-table>" : "<clear-ethernet-switching-table>");
		return 0;
	}
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch shows no switching table to <get-ethernet-switching-table-"
	    "information> with <summary/> nor <count/> (%s): the flush will fail", words);
}

/* check, wiring: the MACs learned on port, in the request of the switch's
 * kind (ELS, then non-ELS, from the one that answered in this session).
 * An answer that is no switching table is a failure in its words. */
static int junos_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	static const char *const forms[2][2] = {
		{ "<get-ethernet-switching-table-interface-information>", "</get-ethernet-switching-table-interface-information>" },
		{ "<get-interface-ethernet-switching-table>", "</get-interface-ethernet-switching-table>" },
	};
	struct junos *j = sw->priv;
	struct nc_reply r;
	char op[OP_MAX], words[2][300];
	size_t others;

	if (check_port(sw, port) < 0)
		return -1;
	for (int n = 0; n < 2; n++) {
		int f = (j->macs_form + n) % 2;

		snprintf(op, sizeof op, "%s<interface-name>%s</interface-name>%s", forms[f][0], port, forms[f][1]);
		if (nc_rpc(sw, j, op, forms[f][0], &r) < 0)
			return -1;
		if (r.nerrors) {
			nc_error_text(&r.error, words[n], sizeof words[n]);
			continue;
		}
		if (!junos_table_macs(j->msg, j->msglen, port, macs, &others))
			return sw_fail(sw, SWE_PROTOCOL, "the switch answered %s for %s with <%s>, no switching table",
			    forms[f][0], port, r.first[0] ? r.first : "nothing");
		j->macs_form = f;
		if (others)
			log_debug("%s: %s listed %zu entries of other interfaces: left out", sw->cfg->name, forms[f][0],
			    others);
		return 0;
	}
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch refused %s (%s) and %s (%s) for port %s",
	    forms[j->macs_form][0], words[0], forms[(j->macs_form + 1) % 2][0], words[1], port);
}

/* check, wiring: the LLDP neighbours on port. Junos has two requests
 * (docs/switches/junos.md): the one with <interface-device>, then the
 * older one with <interface-name>. A switch that refuses both, LLDP off
 * included, cannot tell: unsupported, in its words. */
static int junos_port_neighbors(struct sw *sw, const char *port, struct lldp_list *out)
{
	static const char *const forms[2][3] = {
		{ "<get-lldp-interface-neighbors>", "interface-device", "</get-lldp-interface-neighbors>" },
		{ "<get-lldp-interface-neighbors-information>", "interface-name",
		  "</get-lldp-interface-neighbors-information>" },
	};
	struct junos *j = sw->priv;
	struct nc_reply r;
	char op[OP_MAX], words[2][300];

	if (check_port(sw, port) < 0)
		return -1;
	for (int n = 0; n < 2; n++) {
		int f = (j->lldp_form + n) % 2;

		snprintf(op, sizeof op, "%s<%s>%s</%s>%s", forms[f][0], forms[f][1], port, forms[f][1], forms[f][2]);
		if (nc_rpc(sw, j, op, forms[f][0], &r) < 0)
			return -1;
		if (r.nerrors) {
			nc_error_text(&r.error, words[n], sizeof words[n]);
			continue;
		}
		if (!junos_lldp_neighbors(j->msg, j->msglen, out))
			return sw_fail(sw, SWE_PROTOCOL, "the switch answered %s for %s with <%s>, no neighbour list",
			    forms[f][0], port, r.first[0] ? r.first : "nothing");
		j->lldp_form = f;
		return 0;
	}
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch refused %s (%s) and %s (%s) for port %s",
	    forms[j->lldp_form][0], words[0], forms[(j->lldp_form + 1) % 2][0], words[1], port);
}

/* fencer serve: a kept session handed to a new run, checked without an
 * RPC (a round trip to the switch on every warm run is what the service
 * saves). What the channel has already received is read without waiting:
 * a session the switch ended (sshd gone, the subsystem exited, the TCP
 * connection closed) shows as an error or an end of file, and anything
 * else that came unasked means fencer and the switch no longer agree on
 * where the stream stands. Our side holds no lock and no uncommitted edit
 * (every operation releases both, and a session something failed on is
 * not kept). A silent loss of the network is not seen here: the first
 * RPC then fails the run, as the keepalive would have (docs/serve.md). */
static int junos_reuse(struct sw *sw)
{
	struct junos *j = sw->priv;
	int rc;

	if (!j->link.ch || !ssh_channel_is_open(j->link.ch) || ssh_channel_is_eof(j->link.ch))
		return sw_fail(sw, SWE_PROTOCOL, "the kept NETCONF session was closed by the switch");
	if (j->locked || j->dirty)
		return sw_fail(sw, SWE_PROTOCOL, "the kept NETCONF session %s", j->locked ?
		    "still holds the candidate's lock" : "left an edit in the candidate");
	if ((rc = ssh_channel_poll(j->link.ch, 0)) == SSH_EOF || ssh_channel_is_eof(j->link.ch))
		return sw_fail(sw, SWE_PROTOCOL, "the kept NETCONF session was ended by the switch");
	if (rc < 0)
		return sw_fail(sw, SWE_PROTOCOL, "the kept NETCONF session is lost: %s", ssh_get_error(j->link.ssh));
	if (rc > 0 || j->rxlen)
		return sw_fail(sw, SWE_PROTOCOL, "the kept NETCONF session holds %d bytes nobody asked for",
		    rc > 0 ? rc : (int)j->rxlen);
	return 0;
}

/* RFC 6241 7.8: close-session; the answer is not awaited, the session's
 * end is the same without it. A lock still held is the switch's to drop
 * with the session (RFC 6241 7.5). */
static void junos_close(struct sw *sw)
{
	struct junos *j = sw->priv;
	char err[sizeof sw->err], bye[160];
	enum sw_error kind = sw->errkind;

	if (j->link.ch) {
		release(sw, j, true);
		/* The operation's failure stays what sw->err says. */
		memcpy(err, sw->err, sizeof err);
		snprintf(bye, sizeof bye, "<rpc message-id=\"%lu\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
		    "<close-session/></rpc>", ++j->msgid);
		(void)nc_send(sw, j, bye, "<close-session>");
		memcpy(sw->err, err, sizeof err);
		sw->errkind = kind;
	}
	junos_end(j);
}

static void junos_validate(const struct sw_config *c, struct cfg_errors *e)
{
	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver junos needs address =", c->name);
	if (!c->user)
		cfg_error(e, c->line, "[switch %s] driver junos needs user =", c->name);
	if (!c->identity && !c->password_file)
		cfg_error(e, c->line, "[switch %s] driver junos needs identity = or password-file =", c->name);
	if (c->commit_confirmed_ms % 1000)
		cfg_error(e, c->line, "[switch %s] commit-confirmed is in whole seconds (Junos' confirm-timeout)",
		    c->name);
}

const struct driver driver_junos = {
	.name = "junos",
	.default_port = 830,
	.keys = junos_keys,
	.priv_size = sizeof(struct junos),
	.validate = junos_validate,
	.open = junos_open,
	.port_set = junos_port_set,
	.port_get = junos_port_get,
	.mac_flush = junos_mac_flush,
	.probe = junos_probe,
	.probe_write = junos_probe_write,
	.probe_flush = junos_probe_flush,
	.trust = swssh_trust,
	.port_macs = junos_port_macs,
	.port_neighbors = junos_port_neighbors,
	.close = junos_close,
	.reuse = junos_reuse,
};
