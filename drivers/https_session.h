/*
 * The HTTPS layer of the drivers that speak a switch's JSON API (eos:
 * eAPI, nxos: NX-API): one libcurl handle per switch worker, HTTP basic
 * authentication from password-file, the switch's certificate verified
 * always (ca-file, or the system's CAs, and/or pinned-key), every request
 * bounded by the operation's timeout inside the run's deadline. Its
 * functions are swhttps_* ("switch HTTPS"). What the answers mean is the
 * driver's (drivers/jsonrpc_parse.h).
 */
#ifndef FENCER_HTTPS_SESSION_H
#define FENCER_HTTPS_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/config.h"
#include "fencer/driver.h"

/* The keys of an HTTPS driver's [switch] (fencer/config.h): user,
 * password-file, ca-file, pinned-key. */
extern const struct cfg_key https_keys[];

/* The longest answer read: a JSON answer past it is refused, never read
 * into memory without end. */
#define SWHTTPS_BODY_MAX (1024 * 1024)

struct swhttps {
	void *curl;			/* CURL *, from fencer/curl_api.h */
	void *headers;			/* struct curl_slist * */
	char url[300];			/* https://ADDRESS:PORT, the path added per request */
	char *body;			/* the last answer, NUL-terminated */
	size_t len;
	bool too_big;
	long status;			/* its HTTP status */
	bool rpc_500;			/* HTTP 500 carries a JSON-RPC answer too (NX-API) */
	bool own_login;			/* no basic authentication: the driver logs in */
};

/* The checks of every HTTPS driver: address, user, password-file, and a
 * pinned-key of the form libcurl takes. */
void swhttps_validate(const struct sw_config *, struct cfg_errors *);

/* Ready a handle: the password read for basic authentication (unless
 * own_login), TLS set to verify, content_type the requests' Content-Type.
 * No connection yet: the first request makes it and keeps it. 0, or -1
 * with sw_fail set. */
int swhttps_open(struct sw *, struct swhttps *, const char *content_type);
/* POST body to path; 0 with the answer in h->body when the switch
 * answered 200 (or 500, with rpc_500: the caller reads the error in it),
 * else -1 with sw_fail set: unreachable, certificate refused, login
 * refused (401), the HTTP status and the answer's first line. what names
 * the request in messages. */
int swhttps_post(struct sw *, struct swhttps *, const char *path, const char *body, const char *what);
/* A REST request: method GET, PUT, POST or DELETE, body NULL for none.
 * 0 when the switch answered 2xx, 1 for any other HTTP status (the answer
 * in h->body and h->status: the caller says what it means, in the
 * switch's words), -1 with sw_fail set when there was no answer. */
int swhttps_request(struct sw *, struct swhttps *, const char *method, const char *path, const char *body,
    const char *what);
/* Send this cookie ("name=value") with every request from now on. */
void swhttps_cookie(struct swhttps *, const char *cookie);
void swhttps_close(struct swhttps *);
/* fencer serve (docs/serve.md): a kept handle handed to a new run. The
 * handle keeps its connection (libcurl checks it before each request and
 * connects again when the switch closed it), so there is nothing to ask
 * the switch: 0 when there is a handle, else -1 with sw_fail set. */
int swhttps_reuse(struct sw *, struct swhttps *);

/* The JSON-RPC drivers' messages (jsonrpc_parse.h has struct rpc_error). */
struct rpc_error;
/* A request's commands: `a`, `b`, `c`. */
void swhttps_cmds_text(const char *const *cmds, size_t n, char *out, size_t len);
/* A refused request, in the switch's words: the command e names (else
 * the whole request), the port, e's words and code ("eAPI error 1002").
 * -1 with sw_fail set. */
int swhttps_refused(struct sw *, enum sw_error, const char *const *cmds, size_t n, const char *port,
    const struct rpc_error *e, const char *api);

#endif
