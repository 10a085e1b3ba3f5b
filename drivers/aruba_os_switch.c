/*
 * aruba-os-switch: ArubaOS-Switch (ProVision, the ProCurve line) ports
 * through its REST API over HTTPS (docs/switches/aruba-os-switch.md).
 *
 * The session: GET /rest/version (the highest version the switch
 * offers), POST /rest/vN/login-sessions with the user and password (a
 * session cookie back, sent with every request after), and DELETE of it
 * at the end: the switch holds few sessions. A port is shut with PUT
 * /rest/vN/ports/ID {"id": ID, "is_port_enabled": false} and read back
 * with GET of the same resource. The REST API has no MAC table flush: the
 * flush runs the CLI command `clear mac-address port ID` through the
 * API's cli resource (POST /rest/vN/cli), where the switch has it; where
 * it has not, the flush is unsupported, in the switch's words.
 *
 * The HTTPS part is drivers/https_session.c; the answers are read by
 * drivers/jsonrpc_parse.c. The ProCurve SSH CLI is not driven.
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

/* The session is given this long to end when the run's deadline has
 * passed: a session left open takes one of the switch's few. */
#define LOGOUT_MS 1000

struct aruba {
	struct swhttps h;
	int version;			/* the REST version used: /rest/vN */
	bool logged_in;
	bool kept;			/* a kept session's cookie, not used in this run yet */
	char product[128];		/* system/status/switch's product_name */
};

static int check_port(struct sw *sw, const char *port)
{
	if (!((struct aruba *)sw->priv)->logged_in)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	/* A stacked switch's 1/A1 would need escaping in the resource's
	 * path, which no page fencer relied on shows. */
	if (port && (!port_name_valid(port) || strchr(port, '/') || strchr(port, ':')))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not an ArubaOS-Switch port ID fencer can name in "
		    "the REST API (1, A1, Trk1; not a stacked switch's 1/A1)", port);
	return 0;
}

/* A request the switch answered with an error: its words and the status. */
static int http_refused(struct sw *sw, struct aruba *s, enum sw_error kind, const char *what, const char *port)
{
	char words[300];

	aruba_words(s->h.body, s->h.len, words, sizeof words);
	if (s->h.status == 401 || s->h.status == 403)
		kind = SWE_AUTH;
	return sw_fail(sw, kind, "the switch refused %s%s%s (HTTP %ld)%s%s", what, port ? " for port " : "",
	    port ? port : "", s->h.status, words[0] ? ": " : "", words);
}

static int not_known(struct sw *sw, const char *what, const struct rpc_error *e)
{
	return sw_fail(sw, SWE_PROTOCOL, "the answer to %s is not one fencer knows: %s", what, e->msg);
}

static int log_in(struct sw *, struct aruba *);

/* One REST request under /rest/vN: 0 answered 2xx, -1 failed (sw_fail
 * set, kind for an error answer). A kept session's cookie may have
 * expired since the last run (the switch ends idle sessions): its first
 * request answered 401 logs in again and is sent once more, which is
 * safe: the switch did nothing with it. */
static int rest(struct sw *sw, struct aruba *s, const char *method, const char *res, const char *body,
    enum sw_error kind, const char *port)
{
	char path[200], what[260];
	bool kept = s->kept;
	int rc;

	snprintf(path, sizeof path, "/rest/v%d/%s", s->version, res);
	snprintf(what, sizeof what, "%s %s", method, path);
	log_debug("%s: %s", sw->cfg->name, what);
	s->kept = false;
	rc = swhttps_request(sw, &s->h, method, path, body, what);
	if (rc == 1 && s->h.status == 401 && kept) {
		log_info("%s: the kept session's cookie was refused (HTTP 401 to %s): logging in again", sw->cfg->name,
		    what);
		if (log_in(sw, s) < 0)
			return -1;
		rc = swhttps_request(sw, &s->h, method, path, body, what);
	}
	if (rc == 1)
		return http_refused(sw, s, kind, what, port);
	return rc;
}

/* The CLI through the API: 0 when the command succeeded silently. */
static int cli(struct sw *sw, struct aruba *s, const char *cmd, enum sw_error kind, const char *port)
{
	json_t *j = json_pack("{s:s}", "cmd", cmd);
	char *body = json_dumps(j, JSON_COMPACT), what[200];
	struct rpc_error e;
	enum rpc_result rc;
	int ret;

	json_decref(j);
	ret = rest(sw, s, "POST", "cli", body, kind, port);
	free(body);
	if (ret < 0)
		return -1;
	snprintf(what, sizeof what, "`%s`", cmd);
	if ((rc = aruba_cli(s->h.body, s->h.len, &e)) == RPC_BAD)
		return not_known(sw, what, &e);
	if (rc == RPC_ERROR)
		return sw_fail(sw, kind, "the switch rejected %s%s%s: %s", what, port ? " for port " : "",
		    port ? port : "", e.msg);
	return 0;
}

/* ---- the session ------------------------------------------------------------ */

static int pick_version(struct sw *sw, struct aruba *s)
{
	struct rpc_error e;
	int rc = swhttps_request(sw, &s->h, "GET", "/rest/version", NULL, "GET /rest/version");

	if (rc == 1)
		return http_refused(sw, s, SWE_PROTOCOL, "GET /rest/version", NULL);
	if (rc < 0)
		return -1;
	if (aruba_version(s->h.body, s->h.len, &s->version, &e) != RPC_OK)
		return not_known(sw, "GET /rest/version", &e);
	return 0;
}

static int log_in(struct sw *sw, struct aruba *s)
{
	char pw[SECRET_LINE_MAX + 1], err[512], cookie[ARUBA_COOKIE_MAX], path[40], what[80];
	struct rpc_error e;
	json_t *j;
	char *body;
	int rc;

	if (secret_read(sw->cfg->password_file, pw, sizeof pw, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "%s", err);
	j = json_pack("{s:s, s:s}", "userName", sw->cfg->user, "password", pw);
	explicit_bzero(pw, sizeof pw);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);	/* jansson's copy of the password goes with it, unwiped */
	snprintf(path, sizeof path, "/rest/v%d/login-sessions", s->version);
	snprintf(what, sizeof what, "POST %s", path);
	rc = swhttps_request(sw, &s->h, "POST", path, body, what);
	explicit_bzero(body, strlen(body));
	free(body);
	if (rc < 0)
		return -1;
	if (rc == 1 && (s->h.status == 401 || s->h.status == 403)) {
		char words[300];

		aruba_words(s->h.body, s->h.len, words, sizeof words);
		return sw_fail(sw, SWE_AUTH, "login refused for user %s (HTTP %ld to %s)%s%s", sw->cfg->user,
		    s->h.status, what, words[0] ? ": " : "", words);
	}
	if (rc == 1)
		return http_refused(sw, s, SWE_PROTOCOL, what, NULL);
	if (aruba_cookie(s->h.body, s->h.len, cookie, sizeof cookie, &e) != RPC_OK)
		return not_known(sw, what, &e);
	swhttps_cookie(&s->h, cookie);
	explicit_bzero(cookie, sizeof cookie);
	s->logged_in = true;
	return 0;
}

/* The session's end: DELETE login-sessions, with a budget of its own
 * when the run's deadline is gone. Its failure is logged, and the
 * operation's failure stays the one reported. */
static void aruba_close(struct sw *sw)
{
	struct aruba *s = sw->priv;
	const struct deadline *run = sw->dl;
	enum sw_error kind = sw->errkind;
	struct deadline own;
	char err[sizeof sw->err];

	if (s->logged_in) {
		snprintf(err, sizeof err, "%s", sw->err);
		if (run && deadline_left_ms(run) == 0) {
			deadline_start(&own, LOGOUT_MS);
			sw->dl = &own;
		}
		if (rest(sw, s, "DELETE", "login-sessions", NULL, SWE_PROTOCOL, NULL) < 0)
			log_debug("%s: the session was not ended: %s", sw->cfg->name, sw->err);
		sw->dl = run;
		sw->errkind = kind;
		snprintf(sw->err, sizeof sw->err, "%s", err);
	}
	swhttps_close(&s->h);
	s->logged_in = false;
}

static int aruba_open(struct sw *sw, const struct deadline *dl)
{
	struct aruba *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	s->h.own_login = true;
	if (swhttps_open(sw, &s->h, "application/json") < 0 || pick_version(sw, s) < 0 || log_in(sw, s) < 0) {
		aruba_close(sw);
		return -1;
	}
	log_debug("%s: REST v%d session open", sw->cfg->name, s->version);
	return 0;
}

/* fencer serve: a kept session is handed to a new run. The handle keeps
 * its connection (drivers/https_session.h) and the cookie; whether the
 * switch still knows the cookie is learned from the run's first request,
 * without a round trip here (see rest). */
static int aruba_reuse(struct sw *sw)
{
	struct aruba *s = sw->priv;

	if (!s->logged_in)
		return sw_fail(sw, SWE_PROTOCOL, "the kept session is not logged in");
	if (swhttps_reuse(sw, &s->h) < 0)
		return -1;
	s->kept = true;
	return 0;
}

/* ---- the driver's operations ----------------------------------------------- */

static int port_path(char *out, size_t n, const char *port)
{
	return snprintf(out, n, "ports/%s", port);
}

static int aruba_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct aruba *s = sw->priv;
	char res[160], *body;
	json_t *j;
	int rc;

	if (check_port(sw, port) < 0)
		return -1;
	port_path(res, sizeof res, port);
	j = json_pack("{s:s, s:b}", "id", port, "is_port_enabled", st != PORT_DOWN);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	sw->sent = true;
	rc = rest(sw, s, "PUT", res, body, SWE_COMMAND, port);
	free(body);
	if (rc < 0 && s->h.status == 404)
		sw->errkind = SWE_PORT;
	return rc;
}

static int aruba_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct aruba *s = sw->priv;
	struct rpc_error e;
	char res[160];

	*st = PORT_UNKNOWN;
	if (check_port(sw, port) < 0)
		return -1;
	port_path(res, sizeof res, port);
	if (rest(sw, s, "GET", res, NULL, SWE_PORT, port) < 0)
		return -1;
	if (aruba_port_state(s->h.body, s->h.len, port, st, &e) != RPC_OK)
		return not_known(sw, "GET ports", &e);
	return 0;
}

/* A REST API without the cli resource: no flush, said with the switch's
 * own answer (in sw->err). */
static int no_cli(struct sw *sw, struct aruba *s)
{
	char said[sizeof sw->err];

	snprintf(said, sizeof said, "%s", sw->err);
	return sw_fail(sw, SWE_UNSUPPORTED, "the REST API (v%d) of switch %s has no cli resource, the only way "
	    "fencer has to flush its MAC table: %s", s->version, sw->cfg->name, said);
}

/* The REST API has no flush of its own: the CLI's, through it. An API
 * without the cli resource (404) cannot flush: unsupported. */
static int aruba_mac_flush(struct sw *sw, const char *port)
{
	struct aruba *s = sw->priv;
	char cmd[160];

	if (check_port(sw, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "clear mac-address%s%s", port ? " port " : "", port ? port : "");
	if (cli(sw, s, cmd, SWE_COMMAND, port) < 0)
		return s->h.status == 404 ? no_cli(sw, s) : -1;
	snprintf(sw->info, sizeof sw->info, "`%s` accepted (REST v%d cli)", cmd, s->version);
	return 0;
}

static int aruba_probe(struct sw *sw)
{
	struct aruba *s = sw->priv;
	json_t *j;

	if (check_port(sw, NULL) < 0 || rest(sw, s, "GET", "system/status/switch", NULL, SWE_PROTOCOL, NULL) < 0)
		return -1;
	j = json_loadb(s->h.body, s->h.len, 0, NULL);
	snprintf(s->product, sizeof s->product, "%s", json_string_value(json_object_get(j, "product_name")) ?
	    json_string_value(json_object_get(j, "product_name")) : "");
	json_decref(j);
	if (!s->product[0] || strcspn(s->product, "\r\n\t") != strlen(s->product))
		return sw_fail(sw, SWE_PROTOCOL, "the answer to GET system/status/switch has no product_name");
	snprintf(sw->info, sizeof sw->info, "%s, REST v%d", s->product, s->version);
	return 0;
}

/* check: a PUT of the port that names no field to change: the account
 * may write the port, and nothing changes (a write of the present state
 * could undo a fence the peer made in between). */
static int aruba_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct aruba *s = sw->priv;
	char res[160], *body;
	json_t *j;
	int rc;

	(void)st;
	if (check_port(sw, port) < 0)
		return -1;
	port_path(res, sizeof res, port);
	j = json_pack("{s:s}", "id", port);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	rc = rest(sw, s, "PUT", res, body, SWE_COMMAND, port);
	free(body);
	if (rc == 0)
		snprintf(sw->info, sizeof sw->info, "PUT ports/%s with no change accepted", port);
	return rc;
}

/* check: the cli resource runs a read-only MAC command, as the flush
 * will run its clear. */
static int aruba_probe_flush(struct sw *sw)
{
	struct aruba *s = sw->priv;
	json_t *j = json_pack("{s:s}", "cmd", "show mac-address");
	char *body = json_dumps(j, JSON_COMPACT);
	struct rpc_error e;
	int rc;

	json_decref(j);
	if (check_port(sw, NULL) < 0) {
		free(body);
		return -1;
	}
	rc = rest(sw, s, "POST", "cli", body, SWE_UNSUPPORTED, NULL);
	free(body);
	if (rc < 0)
		return s->h.status == 404 ? no_cli(sw, s) : -1;
	j = json_loadb(s->h.body, s->h.len, 0, NULL);
	rc = json_is_string(json_object_get(j, "status")) &&
	    strcmp(json_string_value(json_object_get(j, "status")), "CCS_SUCCESS") == 0;
	json_decref(j);
	if (!rc) {
		(void)aruba_cli(s->h.body, s->h.len, &e);
		return sw_fail(sw, SWE_UNSUPPORTED, "the switch's cli resource refused `show mac-address` (%s): the "
		    "flush with `clear mac-address` will fail", e.msg);
	}
	snprintf(sw->info, sizeof sw->info, "flushes with `clear mac-address port` through REST v%d cli", s->version);
	return 0;
}

const struct driver driver_aruba_os_switch = {
	.name = "aruba-os-switch",
	.default_port = 443,
	.keys = https_keys,
	.priv_size = sizeof(struct aruba),
	.validate = swhttps_validate,
	.open = aruba_open,
	.port_set = aruba_port_set,
	.port_get = aruba_port_get,
	.mac_flush = aruba_mac_flush,
	.probe = aruba_probe,
	.probe_write = aruba_probe_write,
	.probe_flush = aruba_probe_flush,
	.close = aruba_close,
	.reuse = aruba_reuse,
};
