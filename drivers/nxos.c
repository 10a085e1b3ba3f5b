/*
 * nxos: Cisco NX-OS switch ports through NX-API, JSON-RPC over HTTPS
 * (docs/switches/nxos.md).
 *
 * Every operation is one POST to /ins (Content-Type application/json-rpc)
 * of a batch of requests, method cli, version 1, one CLI command each, ids
 * 1 to n: `interface X` then `shutdown` (NX-API enters configuration mode
 * for configuration commands itself). A refused command answers its
 * request with an error (code, message and the CLI's words in data.msg),
 * the whole answer with HTTP 500: those words are the failure's.
 * NX-API's SSH CLI fallback is not part of this driver.
 *
 * The HTTPS part is drivers/https_session.c; the answers are read by
 * drivers/jsonrpc_parse.c.
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

#define NXAPI_PATH "/ins"

struct nxos {
	struct swhttps h;
	char version[160];		/* show version, at open */
};

/* One batch. 0: *results holds one result per command (the caller's to
 * json_decref); 1: the switch refused, its words in e; -1: no answer
 * fencer knows (sw_fail set). */
static int nxapi_run(struct sw *sw, struct nxos *s, const char *const *cmds, size_t n, json_t **results,
    struct rpc_error *e)
{
	char what[400], *req;
	json_t *batch = json_array();
	enum rpc_result rc;
	int ret;

	*results = NULL;
	swhttps_cmds_text(cmds, n, what, sizeof what);
	log_debug("%s: NX-API cli %s", sw->cfg->name, what);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(batch, json_pack("{s:s, s:s, s:{s:s, s:i}, s:I}", "jsonrpc", "2.0", "method",
		    "cli", "params", "cmd", cmds[i], "version", 1, "id", (json_int_t)(i + 1)));
	req = json_dumps(batch, JSON_COMPACT);
	json_decref(batch);
	ret = swhttps_post(sw, &s->h, NXAPI_PATH, req, what);
	free(req);
	if (ret < 0)
		return -1;
	rc = nxapi_answer(s->h.body, s->h.len, n, results, e);
	if (rc == RPC_BAD)
		return sw_fail(sw, SWE_PROTOCOL, "the answer to %s (HTTP %ld) is not one fencer knows: %s", what,
		    s->h.status, e->msg);
	if (rc == RPC_OK && s->h.status != 200) {
		json_decref(*results);
		*results = NULL;
		return sw_fail(sw, SWE_PROTOCOL, "HTTP %ld to %s, with an answer that holds no error", s->h.status,
		    what);
	}
	return rc == RPC_OK ? 0 : 1;
}

static int check_port(struct sw *sw, const char *port)
{
	if (!((struct nxos *)sw->priv)->h.curl)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	if (port && !port_name_valid(port))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not a valid NX-OS interface name", port);
	return 0;
}

static int nxos_show_version(struct sw *sw, struct nxos *s)
{
	static const char *const cmds[] = { "show version" };
	struct rpc_error e;
	json_t *res;
	int rc = nxapi_run(sw, s, cmds, 1, &res, &e);

	if (rc != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_COMMAND, cmds, 1, NULL, &e, "NX-API");
	if (nxos_version(json_array_get(res, 0), s->version, sizeof s->version, &e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `show version` is not one fencer knows: %s", e.msg);
	json_decref(res);
	return rc;
}

/* ---- the driver's operations ----------------------------------------------- */

static void nxos_close(struct sw *sw)
{
	struct nxos *s = sw->priv;

	swhttps_close(&s->h);
}

/* fencer serve: basic authentication goes with every request, and the
 * handle keeps (or remakes) its connection: nothing to check or reset. */
static int nxos_reuse(struct sw *sw)
{
	return swhttps_reuse(sw, &((struct nxos *)sw->priv)->h);
}

/* The login is proved at once (show version), so that a refused password
 * or certificate is the connect step's failure, as with SSH. */
static int nxos_open(struct sw *sw, const struct deadline *dl)
{
	struct nxos *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	/* NX-API answers a batch with a failed command with HTTP 500 and the
	 * JSON-RPC errors: those are the switch's words. */
	s->h.rpc_500 = true;
	if (swhttps_open(sw, &s->h, "application/json-rpc") < 0 || nxos_show_version(sw, s) < 0) {
		nxos_close(sw);
		return -1;
	}
	log_debug("%s: NX-API ready: %s", sw->cfg->name, s->version);
	return 0;
}

static int nxos_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct nxos *s = sw->priv;
	char intf[128];
	const char *cmds[] = { intf, st == PORT_DOWN ? "shutdown" : "no shutdown" };
	struct rpc_error e;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(intf, sizeof intf, "interface %s", port);
	sw->sent = true;
	if ((rc = nxapi_run(sw, s, cmds, 2, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, e.index == 0 ? SWE_PORT : SWE_COMMAND, cmds, 2, port, &e,
		    "NX-API");
	json_decref(res);
	return 0;
}

static int nxos_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct nxos *s = sw->priv;
	char cmd[160];
	const char *cmds[] = { cmd };
	struct rpc_error e;
	json_t *res;
	int rc;

	*st = PORT_UNKNOWN;
	if (check_port(sw, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show interface %s", port);
	if ((rc = nxapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_PORT, cmds, 1, port, &e, "NX-API");
	if (nxos_port_state(json_array_get(res, 0), port, st, &e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `%s` is not one fencer knows: %s", cmd, e.msg);
	json_decref(res);
	return rc;
}

/* The switch does not say how many entries a clear removed: the journal
 * says the command it accepted. */
static int nxos_mac_flush(struct sw *sw, const char *port)
{
	struct nxos *s = sw->priv;
	char clear[160];
	const char *cmds[] = { clear };
	struct rpc_error e;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(clear, sizeof clear, "clear mac address-table dynamic%s%s", port ? " interface " : "", port ? port : "");
	if ((rc = nxapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_COMMAND, cmds, 1, port, &e, "NX-API");
	json_decref(res);
	snprintf(sw->info, sizeof sw->info, "`%s` accepted", clear);
	return 0;
}

static int nxos_probe(struct sw *sw)
{
	struct nxos *s = sw->priv;

	if (check_port(sw, NULL) < 0 || nxos_show_version(sw, s) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "%s", s->version);
	return 0;
}

/* check: the port's interface configuration mode, and nothing more: a
 * write of the port's present state would undo a fence the peer made
 * between the read and the write. */
static int nxos_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct nxos *s = sw->priv;
	char intf[128];
	const char *cmds[] = { intf };
	struct rpc_error e;
	json_t *res;
	int rc;

	(void)st;
	if (check_port(sw, port) < 0)
		return -1;
	snprintf(intf, sizeof intf, "interface %s", port);
	if ((rc = nxapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_PORT, cmds, 1, port, &e, "NX-API");
	json_decref(res);
	snprintf(sw->info, sizeof sw->info, "interface %s accepted", port);
	return 0;
}

/* check: the MAC table answers, the flush's command family; the clear
 * itself cannot be tried without flushing. */
static int nxos_probe_flush(struct sw *sw)
{
	static const char *const cmds[] = { "show mac address-table" };
	struct nxos *s = sw->priv;
	struct rpc_error e;
	json_t *res;
	int rc;

	if (check_port(sw, NULL) < 0)
		return -1;
	if ((rc = nxapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_UNSUPPORTED, cmds, 1, NULL, &e, "NX-API");
	json_decref(res);
	snprintf(sw->info, sizeof sw->info, "flushes with `clear mac address-table dynamic` (`show mac "
	    "address-table` answers)");
	return 0;
}

/* check, wiring: the MACs the switch has learned on port. An answer that
 * is no MAC table is a failure in the switch's words. */
static int nxos_read_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct nxos *s = sw->priv;
	char cmd[160];
	const char *cmds[] = { cmd };
	struct rpc_error e;
	size_t others = 0;
	json_t *res;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show mac address-table interface %s", port);
	if ((rc = nxapi_run(sw, s, cmds, 1, &res, &e)) != 0)
		return rc < 0 ? -1 : swhttps_refused(sw, SWE_COMMAND, cmds, 1, port, &e, "NX-API");
	if (nxos_port_macs(json_array_get(res, 0), port, macs, &others, &e) != RPC_OK)
		rc = sw_fail(sw, SWE_PROTOCOL, "the answer to `%s` is no MAC table fencer knows: %s", cmd, e.msg);
	else if (others)
		log_debug("%s: `%s` listed %zu entries of other ports: left out", sw->cfg->name, cmd, others);
	json_decref(res);
	return rc;
}

const struct driver driver_nxos = {
	.name = "nxos",
	.default_port = 443,
	.keys = https_keys,
	.priv_size = sizeof(struct nxos),
	.validate = swhttps_validate,
	.open = nxos_open,
	.port_set = nxos_port_set,
	.port_get = nxos_port_get,
	.mac_flush = nxos_mac_flush,
	.probe = nxos_probe,
	.probe_write = nxos_probe_write,
	.probe_flush = nxos_probe_flush,
	.port_macs = nxos_read_macs,
	.close = nxos_close,
	.reuse = nxos_reuse,
};
