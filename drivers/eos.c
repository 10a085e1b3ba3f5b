/*
 * eos: Arista EOS switch ports through eAPI, JSON-RPC over HTTPS
 * (docs/switches/eos.md).
 *
 * Every operation is one POST of runCmds to /command-api, version 1,
 * format json, its commands in the order a person would type them:
 * `enable`, `configure`, `interface X`, `shutdown`. eAPI runs them in one
 * CLI session of its own and stops at the first one that fails, whose
 * words come back in the error object (code, message, data): those words
 * are the failure's. A request leaves nothing behind (no config mode to
 * leave), so the operations need no order between them.
 *
 * The HTTPS part (TLS verification, the login, deadlines) is
 * drivers/https_session.c; the answers are read by drivers/jsonrpc_parse.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "drivers/https_session.h"
#include "drivers/jsonrpc_parse.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/log.h"

#define EAPI_PATH "/command-api"

struct eos {
	struct swhttps h;
	unsigned long id;		/* of the last request */
	bool old_status;		/* `show interfaces X status` refused: read `show interfaces X` */
	char version[160];		/* show version, at open */
};

/* One runCmds request. 0: *results holds one result per command (the
 * caller's to json_decref); 1: the switch refused, its words in e; -1: no
 * answer fencer knows (sw_fail set). */
static int eapi_run(struct sw *sw, struct eos *s, const char *const *cmds, size_t n, json_t **results,
    struct rpc_error *e)
{
	char what[400], *req;
	json_t *list = json_array(), *j;
	enum rpc_result rc;
	int ret;

	*results = NULL;
	swhttps_cmds_text(cmds, n, what, sizeof what);
	log_debug("%s: runCmds %s", sw->cfg->name, what);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(cmds[i]));
	j = json_pack("{s:s, s:s, s:{s:i, s:o, s:s}, s:I}", "jsonrpc", "2.0", "method", "runCmds", "params",
	    "version", 1, "cmds", list, "format", "json", "id", (json_int_t)++s->id);
	req = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	ret = swhttps_post(sw, &s->h, EAPI_PATH, req, what);
	free(req);
	if (ret < 0)
		return -1;
	rc = eapi_answer(s->h.body, s->h.len, n, results, e);
	if (rc == RPC_BAD)
		return sw_fail(sw, SWE_PROTOCOL, "the answer to %s is not one fencer knows: %s", what, e->msg);
	return rc == RPC_OK ? 0 : 1;
}

static int check_port(struct sw *sw, const char *port)
{
	if (!((struct eos *)sw->priv)->h.curl)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	if (port && !port_name_valid(port))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not a valid EOS interface name", port);
	return 0;
}

static int eos_show_version(struct sw *sw, struct eos *s)
{
	static const char *const cmds[] = { "show version" };
	struct rpc_error e;
	json_t *res;
	int rc = eapi_run(sw, s, cmds, 1, &res, &e);

	if (rc != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_COMMAND, cmds, 1, NULL, &e, "eAPI");
	if (eos_version(json_array_get(res, 0), s->version, sizeof s->version, &e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `show version` is not one fencer knows: %s", e.msg);
	json_decref(res);
	return rc;
}

/* ---- the driver's operations ----------------------------------------------- */

static void eos_close(struct sw *sw)
{
	struct eos *s = sw->priv;

	swhttps_close(&s->h);
}

/* fencer serve: basic authentication goes with every request, and the
 * handle keeps (or remakes) its connection: nothing to check or reset. */
static int eos_reuse(struct sw *sw)
{
	return swhttps_reuse(sw, &((struct eos *)sw->priv)->h);
}

/* The login is proved at once (show version), so that a refused password
 * or certificate is the connect step's failure, as with SSH. */
static int eos_open(struct sw *sw, const struct deadline *dl)
{
	struct eos *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	if (swhttps_open(sw, &s->h, "application/json-rpc") < 0 || eos_show_version(sw, s) < 0) {
		eos_close(sw);
		return -1;
	}
	log_debug("%s: eAPI ready: %s", sw->cfg->name, s->version);
	return 0;
}

/* Which part of a refused port_set failed: the port's own command says
 * the port is not there; enable, configure say the account may not. */
static enum sw_error set_error_kind(int index)
{
	switch (index) {
	case 0: return SWE_ENABLE;
	case 2: return SWE_PORT;
	default: return SWE_COMMAND;
	}
}

static int eos_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct eos *s = sw->priv;
	char intf[128];
	const char *cmds[] = { "enable", "configure", intf, st == PORT_DOWN ? "shutdown" : "no shutdown" };
	struct rpc_error e;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(intf, sizeof intf, "interface %s", port);
	sw->sent = true;
	if ((rc = eapi_run(sw, s, cmds, 4, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, set_error_kind(e.index), cmds, 4, port, &e, "eAPI");
	json_decref(res);
	return 0;
}

/* One show for the state, in the form this EOS knows. */
static int read_state(struct sw *sw, struct eos *s, const char *cmd, const char *port, enum port_state *st,
    struct rpc_error *e)
{
	const char *cmds[] = { cmd };
	json_t *res;
	int rc = eapi_run(sw, s, cmds, 1, &res, e);

	if (rc != 0)
		return rc;
	if (eos_port_state(json_array_get(res, 0), port, st, e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `%s` is not one fencer knows: %s", cmd, e->msg);
	json_decref(res);
	return rc;
}

/* `show interfaces X status`; an EOS that refuses it (no JSON form, eAPI
 * error 1003, on old releases) is read with `show interfaces X` from then
 * on. Both refused: the port is not there, in the switch's words. */
static int eos_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct eos *s = sw->priv;
	char cmd[2][160];
	struct rpc_error e[2];
	int rc;

	*st = PORT_UNKNOWN;
	if (check_port(sw, port) < 0)
		return -1;
	snprintf(cmd[0], sizeof cmd[0], "show interfaces %s status", port);
	snprintf(cmd[1], sizeof cmd[1], "show interfaces %s", port);
	if (!s->old_status) {
		if ((rc = read_state(sw, s, cmd[0], port, st, &e[0])) <= 0)
			return rc;
		log_debug("%s: `%s` refused (%s): reading ports with `show interfaces`", sw->cfg->name, cmd[0],
		    e[0].msg);
	}
	if ((rc = read_state(sw, s, cmd[1], port, st, &e[1])) <= 0) {
		if (rc == 0)
			s->old_status = true;
		return rc;
	}
	if (s->old_status)
		return sw_fail(sw, SWE_PORT, "the switch rejected `%s`: %s (eAPI error %ld)", cmd[1], e[1].msg,
		    e[1].code);
	return sw_fail(sw, SWE_PORT, "the switch rejected both `%s` (%s, "
	    "eAPI error %ld) and `%s` (%s, eAPI error %ld)", cmd[0], e[0].msg, e[0].code, cmd[1], e[1].msg, e[1].code);
}

/* The switch does not say how many entries a clear removed: the journal
 * says the command it accepted. */
static int eos_mac_flush(struct sw *sw, const char *port)
{
	struct eos *s = sw->priv;
	char clear[160];
	const char *cmds[] = { "enable", clear };
	struct rpc_error e;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(clear, sizeof clear, "clear mac address-table dynamic%s%s", port ? " interface " : "", port ? port : "");
	if ((rc = eapi_run(sw, s, cmds, 2, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, e.index == 0 ? SWE_ENABLE : SWE_COMMAND, cmds, 2, port, &e,
		    "eAPI");
	json_decref(res);
	snprintf(sw->info, sizeof sw->info, "`%s` accepted", clear);
	return 0;
}

/* Read-only: what the switch is, from `show version` (read at open). */
static int eos_probe(struct sw *sw)
{
	struct eos *s = sw->priv;

	if (check_port(sw, NULL) < 0 || eos_show_version(sw, s) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "%s", s->version);
	return 0;
}

/* check: privileged mode, config mode and the port's interface mode, and
 * nothing more. A write of the port's present state would undo a fence
 * the peer made between the read and the write; entering the port's
 * interface mode changes nothing and proves the account may configure it. */
static int eos_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct eos *s = sw->priv;
	char intf[128];
	const char *cmds[] = { "enable", "configure", intf };
	struct rpc_error e;
	json_t *res;
	int rc;

	(void)st;
	if (check_port(sw, port) < 0)
		return -1;
	snprintf(intf, sizeof intf, "interface %s", port);
	if ((rc = eapi_run(sw, s, cmds, 3, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, set_error_kind(e.index), cmds, 3, port, &e, "eAPI");
	json_decref(res);
	snprintf(sw->info, sizeof sw->info, "enable, configure and interface %s accepted", port);
	return 0;
}

/* check: the MAC table in JSON, which the flush's command family goes
 * with; the clear itself cannot be tried without flushing. */
static int eos_probe_flush(struct sw *sw)
{
	static const char *const cmds[] = { "enable", "show mac address-table" };
	struct eos *s = sw->priv;
	struct rpc_error e;
	json_t *res;
	bool table;
	int rc;

	if (check_port(sw, NULL) < 0)
		return -1;
	if ((rc = eapi_run(sw, s, cmds, 2, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_UNSUPPORTED, cmds, 2, NULL, &e, "eAPI");
	table = json_is_object(json_object_get(json_array_get(res, 1), "unicastTable"));
	json_decref(res);
	if (!table)
		return sw_fail(sw, SWE_UNSUPPORTED, "the answer to `show mac address-table` has no unicastTable: "
		    "the flush with `clear mac address-table dynamic` may fail");
	snprintf(sw->info, sizeof sw->info, "flushes with `clear mac address-table dynamic` (`show mac "
	    "address-table` answers)");
	return 0;
}

/* check, wiring: the MACs the switch has learned on port. An answer that
 * is no MAC table is a failure in the switch's words. */
static int eos_read_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct eos *s = sw->priv;
	char cmd[160];
	const char *cmds[] = { cmd };
	struct rpc_error e;
	size_t others = 0;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show mac address-table interface %s", port);
	if ((rc = eapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_COMMAND, cmds, 1, port, &e, "eAPI");
	if (eos_port_macs(json_array_get(res, 0), port, macs, &others, &e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `%s` is no MAC table fencer knows: %s", cmd, e.msg);
	else if (others)
		log_debug("%s: `%s` listed %zu entries of other ports: left out", sw->cfg->name, cmd, others);
	json_decref(res);
	return rc;
}

const struct driver driver_eos = {
	.name = "eos",
	.default_port = 443,
	.keys = https_keys,
	.priv_size = sizeof(struct eos),
	.validate = swhttps_validate,
	.open = eos_open,
	.port_set = eos_port_set,
	.port_get = eos_port_get,
	.mac_flush = eos_mac_flush,
	.probe = eos_probe,
	.probe_write = eos_probe_write,
	.probe_flush = eos_probe_flush,
	.port_macs = eos_read_macs,
	.close = eos_close,
	.reuse = eos_reuse,
};
