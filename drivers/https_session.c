/*
 * The HTTPS layer of the JSON API drivers (drivers/https_session.h), on
 * libcurl loaded by fencer/curl_api.c.
 *
 * The certificate is always verified; there is no key to turn that off.
 * With ca-file (or none: the system's CAs) libcurl checks the chain and
 * that the certificate names the address; pinned-key adds a check of the
 * public key. pinned-key alone is a verification of its own, as a known
 * host key is for SSH: the key is the switch's identity, and a switch's
 * self-signed certificate then needs no CA (fencer.conf(5)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/https_session.h"
#include "drivers/jsonrpc_parse.h"
#include "fencer/alloc.h"
#include "fencer/curl_api.h"
#include "fencer/log.h"

const struct cfg_key https_keys[] = {
	SW_KEY("user", K_USER, user, .def = NULL),
	SW_KEY("password-file", K_SECRET, password_file, .max = SECRET_LINE_MAX),
	SW_KEY("ca-file", K_CONFFILE, ca_file, .def = NULL),
	SW_KEY("pinned-key", K_STRING, pinned_key, .def = NULL),
	CFG_KEYS_END
};

#define PIN_PREFIX "sha256//"
/* A SHA-256 in base64: 43 characters and one `=`. */
#define PIN_B64_LEN 44

static bool pin_valid(const char *pin)
{
	const char *b = pin + strlen(PIN_PREFIX);

	if (strncmp(pin, PIN_PREFIX, strlen(PIN_PREFIX)) != 0 || strlen(b) != PIN_B64_LEN || b[PIN_B64_LEN - 1] != '=')
		return false;
	for (size_t i = 0; i < PIN_B64_LEN - 1; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", b[i]))
			return false;
	return true;
}

void swhttps_validate(const struct sw_config *c, struct cfg_errors *e)
{
	const char *drv = c->driver->name;

	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver %s needs address =", c->name, drv);
	if (!c->user)
		cfg_error(e, c->line, "[switch %s] driver %s needs user =", c->name, drv);
	if (!c->password_file)
		cfg_error(e, c->line, "[switch %s] driver %s needs password-file =", c->name, drv);
	if (c->pinned_key && !pin_valid(c->pinned_key))
		cfg_error(e, c->line, "[switch %s] pinned-key must be sha256// and the base64 of the SHA-256 of the "
		    "certificate's public key (44 characters), not '%s': fencer.conf(5) shows how to read it",
		    c->name, c->pinned_key);
}

static int port_of(const struct sw *sw)
{
	return sw->cfg->port ? sw->cfg->port : sw->drv->default_port;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct swhttps *h = arg;
	size_t len = size * n;

	if (h->len + len > SWHTTPS_BODY_MAX) {
		h->too_big = true;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	h->body = xrealloc(h->body, h->len + len + 1, 1);
	memcpy(h->body + h->len, p, len);
	h->len += len;
	h->body[h->len] = '\0';
	return len;
}

/* The password goes to libcurl, which keeps its own copy; ours is wiped. */
static int set_login(struct sw *sw, const struct curl_api *C, struct swhttps *h)
{
	char pw[SECRET_LINE_MAX + 1], err[512];

	if (secret_read(sw->cfg->password_file, pw, sizeof pw, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "%s", err);
	C->easy_setopt(h->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	C->easy_setopt(h->curl, CURLOPT_USERNAME, sw->cfg->user);
	C->easy_setopt(h->curl, CURLOPT_PASSWORD, pw);
	explicit_bzero(pw, sizeof pw);
	return 0;
}

/* See the head of the file: never less than one verification. */
static void set_tls(const struct sw_config *c, const struct curl_api *C, struct swhttps *h)
{
	bool pin_only = c->pinned_key && !c->ca_file;

	C->easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, pin_only ? 0L : 1L);
	C->easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, pin_only ? 0L : 2L);
	if (c->ca_file)
		C->easy_setopt(h->curl, CURLOPT_CAINFO, c->ca_file);
	if (c->pinned_key)
		C->easy_setopt(h->curl, CURLOPT_PINNEDPUBLICKEY, c->pinned_key);
}

int swhttps_open(struct sw *sw, struct swhttps *h, const char *content_type)
{
	const struct curl_api *C = curl_api();
	char ct[128];

	if (!C)
		return sw_fail(sw, SWE_CONFIG, "%s", curl_api_error());
	if (!(h->curl = C->easy_init()))
		return sw_fail(sw, SWE_PROTOCOL, "curl_easy_init failed");
	/* An IPv6 literal goes in brackets. */
	snprintf(h->url, sizeof h->url, strchr(sw->cfg->address, ':') ? "https://[%s]:%d" : "https://%s:%d",
	    sw->cfg->address, port_of(sw));
	snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
	h->headers = C->slist_append(NULL, ct);
	C->easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	C->easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);	/* a worker thread: no SIGALRM */
	C->easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
	C->easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	C->easy_setopt(h->curl, CURLOPT_TCP_NODELAY, 1L);
	set_tls(sw->cfg, C, h);
	return h->own_login ? 0 : set_login(sw, C, h);
}

void swhttps_cookie(struct swhttps *h, const char *cookie)
{
	curl_api()->easy_setopt(h->curl, CURLOPT_COOKIE, cookie);
}

/* The answer's first line, for a message about an HTTP error. */
static void first_line(const struct swhttps *h, char *out, size_t n)
{
	size_t i = 0;

	for (const char *p = h->body ? h->body : ""; *p && *p != '\n' && i + 1 < n; p++)
		if (*p != '\r')
			out[i++] = (*p >= ' ' && *p != 0x7f) ? *p : '?';
	out[i] = '\0';
}

static int curl_fail(struct sw *sw, struct swhttps *h, CURLcode rc, const char *errbuf, const char *what)
{
	const char *why = errbuf[0] ? errbuf : curl_api()->easy_strerror(rc);
	const char *addr = sw->cfg->address;

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (sw->dl && deadline_left_ms(sw->dl) == 0)
			return sw_fail(sw, SWE_TIMEOUT, "the run's deadline passed while waiting for %s", what);
		return sw_fail(sw, SWE_TIMEOUT, "no answer within %ld ms (timeout) to %s", sw->cfg->timeout_ms, what);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
		return sw_fail(sw, SWE_CONNECT, "cannot connect to %s port %d: %s", addr, port_of(sw), why);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return sw_fail(sw, SWE_HOSTKEY, "the certificate of %s port %d is not trusted: %s (ca-file %s)", addr,
		    port_of(sw), why, sw->cfg->ca_file ? sw->cfg->ca_file : "not set: the system's CAs");
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return sw_fail(sw, SWE_HOSTKEY, "the certificate of %s port %d is not trusted: its public key is not "
		    "pinned-key %s (%s)", addr, port_of(sw), sw->cfg->pinned_key, why);
	case CURLE_WRITE_ERROR:
		if (h->too_big)
			return sw_fail(sw, SWE_PROTOCOL, "the answer to %s is larger than %d bytes", what,
			    SWHTTPS_BODY_MAX);
		/* fall through */
	default:
		return sw_fail(sw, SWE_PROTOCOL, "%s to %s port %d failed: %s", what, addr, port_of(sw), why);
	}
}

/* One request to the switch; its status in h->status, its answer in
 * h->body. 0, or -1 with sw_fail set when there was no answer. */
static int perform(struct sw *sw, struct swhttps *h, const char *method, const char *path, const char *body,
    const char *what)
{
	const struct curl_api *C = curl_api();
	char url[sizeof h->url + 200], errbuf[CURL_ERROR_SIZE] = "";
	struct deadline d;
	long left;
	CURLcode rc;

	if (!h->curl)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	deadline_sub(&d, sw->dl, sw->cfg->timeout_ms);
	if ((left = deadline_left_ms(&d)) == 0)
		return curl_fail(sw, h, CURLE_OPERATION_TIMEDOUT, "", what);
	snprintf(url, sizeof url, "%s%s", h->url, path);
	free(h->body);
	h->body = NULL;
	h->len = 0;
	h->too_big = false;
	h->status = 0;
	C->easy_setopt(h->curl, CURLOPT_URL, url);
	if (body) {
		C->easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		C->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		C->easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	}
	/* POST is what POSTFIELDS and GET what HTTPGET make; the others are
	 * named, and unnamed again for the next request. */
	C->easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, strcmp(method, "POST") && strcmp(method, "GET") ? method : NULL);
	C->easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, left);
	C->easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, left);
	C->easy_setopt(h->curl, CURLOPT_ERRORBUFFER, errbuf);
	rc = C->easy_perform(h->curl);
	C->easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	if (rc != CURLE_OK)
		return curl_fail(sw, h, rc, errbuf, what);
	C->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->status);
	if (!h->body)
		h->body = xcalloc(1, 1);
	return 0;
}

int swhttps_request(struct sw *sw, struct swhttps *h, const char *method, const char *path, const char *body,
    const char *what)
{
	if (perform(sw, h, method, path, body, what) < 0)
		return -1;
	return h->status >= 200 && h->status < 300 ? 0 : 1;
}

int swhttps_post(struct sw *sw, struct swhttps *h, const char *path, const char *body, const char *what)
{
	char line[200];

	if (perform(sw, h, "POST", path, body, what) < 0)
		return -1;
	if (h->status == 200 || (h->status == 500 && h->rpc_500))
		return 0;
	first_line(h, line, sizeof line);
	if (h->status == 401)
		return sw_fail(sw, SWE_AUTH, "login refused for user %s (HTTP 401 to %s)%s%s", sw->cfg->user, what,
		    line[0] ? ": " : "", line);
	return sw_fail(sw, h->status == 403 ? SWE_AUTH : SWE_PROTOCOL, "HTTP %ld to %s%s%s", h->status, what,
	    line[0] ? ": " : "", line);
}

void swhttps_close(struct swhttps *h)
{
	const struct curl_api *C = curl_api();

	if (C && h->curl)
		C->easy_cleanup(h->curl);
	if (C && h->headers)
		C->slist_free_all(h->headers);
	free(h->body);
	*h = (struct swhttps){ 0 };
}

int swhttps_reuse(struct sw *sw, struct swhttps *h)
{
	if (!h->curl)
		return sw_fail(sw, SWE_PROTOCOL, "the kept session has no HTTPS handle");
	return 0;
}

void swhttps_cmds_text(const char *const *cmds, size_t n, char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s`%s`", i ? ", " : "", cmds[i]);
}

int swhttps_refused(struct sw *sw, enum sw_error kind, const char *const *cmds, size_t n, const char *port,
    const struct rpc_error *e, const char *api)
{
	char what[400];

	if (e->index >= 0 && (size_t)e->index < n)
		snprintf(what, sizeof what, "`%s`", cmds[e->index]);
	else
		swhttps_cmds_text(cmds, n, what, sizeof what);
	return sw_fail(sw, kind, "the switch rejected %s%s%s: %s (%s error %ld)", what, port ? " for port " : "",
	    port ? port : "", e->msg, api, e->code);
}
