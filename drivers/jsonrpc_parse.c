/* eAPI and NX-API answers (drivers/jsonrpc_parse.h). Every string taken
 * from an answer is cut to its buffer and cleaned of control characters:
 * it ends up in a journal line and a terminal. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/jsonrpc_parse.h"

/* JSON nesting deeper than any answer fencer reads is refused by jansson
 * itself (JSON_PARSER_MAX_DEPTH); the length is the caller's. */

static enum rpc_result bad(struct rpc_error *e, const char *fmt, ...) PRINTF(2, 3);

static enum rpc_result bad(struct rpc_error *e, const char *fmt, ...)
{
	va_list ap;

	e->code = 0;
	e->index = -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return RPC_BAD;
}

/* Append s to out (NUL-terminated, n bytes), control characters as
 * blanks. */
static void append_clean(char *out, size_t n, const char *s)
{
	size_t i = strlen(out);

	for (; *s && i + 1 < n; s++)
		out[i++] = ((unsigned char)*s < ' ' || *s == 0x7f) ? ' ' : *s;
	out[i] = '\0';
}

/* The switch's words: cleaned, without the blanks (a newline) they end in. */
static void append_words(char *out, size_t n, const char *s)
{
	size_t i;

	append_clean(out, n, s);
	for (i = strlen(out); i > 0 && out[i - 1] == ' '; i--)
		out[i - 1] = '\0';
}

static json_t *load(const char *body, size_t len, struct rpc_error *e)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);

	if (!j)
		bad(e, "the answer is not JSON (%s at character %d)", je.text, je.position);
	return j;
}

/* ---- eAPI ----------------------------------------------------------------- */

/* The error's words: its message, then the errors of the data entries
 * (the failed command's entry is the one that has them). */
static enum rpc_result eapi_error(const json_t *err, struct rpc_error *e)
{
	const json_t *code = json_object_get(err, "code"), *msg = json_object_get(err, "message");
	const json_t *data = json_object_get(err, "data"), *item, *errs, *s;
	size_t i, k;

	if (!json_is_integer(code) || !json_is_string(msg))
		return bad(e, "the answer's error has no code and message");
	e->code = (long)json_integer_value(code);
	e->index = -1;
	e->msg[0] = '\0';
	append_words(e->msg, sizeof e->msg, json_string_value(msg));
	json_array_foreach(data, i, item) {
		if (!json_is_array(errs = json_object_get(item, "errors")))
			continue;
		e->index = (int)i;
		json_array_foreach(errs, k, s)
			if (json_is_string(s)) {
				append_clean(e->msg, sizeof e->msg, k ? "; " : ": ");
				append_words(e->msg, sizeof e->msg, json_string_value(s));
			}
	}
	return RPC_ERROR;
}

enum rpc_result eapi_answer(const char *body, size_t len, size_t ncmds, json_t **results, struct rpc_error *e)
{
	json_t *j = load(body, len, e), *res, *err;
	enum rpc_result rc;

	*results = NULL;
	if (!j)
		return RPC_BAD;
	if (!json_is_object(j)) {
		rc = bad(e, "the answer is not a JSON-RPC object");
	} else if ((err = json_object_get(j, "error"))) {
		rc = json_is_object(err) ? eapi_error(err, e) : bad(e, "the answer's error is not an object");
	} else if (!json_is_array(res = json_object_get(j, "result"))) {
		rc = bad(e, "the answer has neither a result list nor an error");
	} else if (json_array_size(res) != ncmds) {
		rc = bad(e, "the answer has %zu results for %zu commands", json_array_size(res), ncmds);
	} else {
		size_t i;
		json_t *item;

		rc = RPC_OK;
		json_array_foreach(res, i, item)
			if (!json_is_object(item))
				rc = bad(e, "result %zu is not an object", i + 1);
		if (rc == RPC_OK)
			*results = json_incref(res);
	}
	json_decref(j);
	return rc;
}

/* The entry of port in a table keyed by interface name: its own, or the
 * only one. */
static const json_t *entry_of(const json_t *table, const char *port)
{
	const json_t *v = json_object_get(table, port);

	if (v || json_object_size(table) != 1)
		return v;
	return json_object_iter_value(json_object_iter((json_t *)table));
}

/* EOS's words for an interface's state: "disabled" is shut down. */
static enum rpc_result eos_word(const char *w, enum port_state *st)
{
	static const char *const up[] = { "connected", "notconnect", "errdisabled", "inactive", "monitoring",
					  "up", "down", NULL };

	if (strcmp(w, "disabled") == 0) {
		*st = PORT_DOWN;
		return RPC_OK;
	}
	for (size_t i = 0; up[i]; i++)
		if (strcmp(w, up[i]) == 0) {
			*st = PORT_UP;
			return RPC_OK;
		}
	return RPC_BAD;
}

enum rpc_result eos_port_state(const json_t *result, const char *port, enum port_state *st, struct rpc_error *e)
{
	const json_t *table = json_object_get(result, "interfaceStatuses"), *entry, *w;
	const char *field = "linkStatus";

	*st = PORT_UNKNOWN;
	if (!table) {
		table = json_object_get(result, "interfaces");
		field = "interfaceStatus";
	}
	if (!json_is_object(table))
		return bad(e, "the answer has no interfaceStatuses or interfaces table");
	if (!(entry = entry_of(table, port)))
		return bad(e, "the answer lists %zu interfaces and not %s", json_object_size(table), port);
	if (!json_is_string(w = json_object_get(entry, field)))
		return bad(e, "the entry of %s has no %s", port, field);
	if (eos_word(json_string_value(w), st) != RPC_OK) {
		bad(e, "%s of %s is '", field, port);
		append_clean(e->msg, sizeof e->msg, json_string_value(w));
		append_clean(e->msg, sizeof e->msg, "', a state fencer does not know");
		return RPC_BAD;
	}
	return RPC_OK;
}

static enum rpc_result version_info(const char *model, const char *os, const char *version, char *info,
    size_t len, struct rpc_error *e)
{
	if (!model || !version)
		return bad(e, "the answer has no model and version");
	info[0] = '\0';
	append_clean(info, len, model);
	append_clean(info, len, ", ");
	append_clean(info, len, os);
	append_clean(info, len, " ");
	append_clean(info, len, version);
	return RPC_OK;
}

enum rpc_result eos_version(const json_t *result, char *info, size_t len, struct rpc_error *e)
{
	return version_info(json_string_value(json_object_get(result, "modelName")), "EOS",
	    json_string_value(json_object_get(result, "version")), info, len, e);
}

/* One table entry: its MAC to macs when its interface is port. */
static enum rpc_result take_mac(const json_t *entry, const char *mac_key, const char *port_key, const char *port,
    struct mac_list *macs, size_t *others, struct rpc_error *e)
{
	const char *mac = json_string_value(json_object_get(entry, mac_key));
	const char *intf = json_string_value(json_object_get(entry, port_key));
	uint8_t m[6];

	if (!mac || !intf || !mac_parse_any(mac, strlen(mac), m))
		return bad(e, "a MAC table entry has no %s and %s fencer can read", mac_key, port_key);
	if (strcasecmp(intf, port) == 0)
		mac_list_add(macs, m);
	else
		(*others)++;
	return RPC_OK;
}

enum rpc_result eos_port_macs(const json_t *result, const char *port, struct mac_list *macs, size_t *others,
    struct rpc_error *e)
{
	const json_t *entries = json_object_get(json_object_get(result, "unicastTable"), "tableEntries"), *x;
	size_t i;

	*others = 0;
	if (!json_is_array(entries))
		return bad(e, "the answer has no unicastTable with tableEntries");
	json_array_foreach(entries, i, x)
		if (take_mac(x, "macAddress", "interface", port, macs, others, e) != RPC_OK)
			return RPC_BAD;
	return RPC_OK;
}

/* ---- NX-API ---------------------------------------------------------------- */

static enum rpc_result nxapi_error(const json_t *err, int index, struct rpc_error *e)
{
	const json_t *code = json_object_get(err, "code"), *msg = json_object_get(err, "message");
	const json_t *dmsg = json_object_get(json_object_get(err, "data"), "msg");

	if (!json_is_integer(code) || !json_is_string(msg))
		return bad(e, "the answer's error has no code and message");
	e->code = (long)json_integer_value(code);
	e->index = index;
	e->msg[0] = '\0';
	append_words(e->msg, sizeof e->msg, json_string_value(msg));
	if (json_is_string(dmsg) && json_string_value(dmsg)[0]) {
		append_clean(e->msg, sizeof e->msg, ": ");
		append_words(e->msg, sizeof e->msg, json_string_value(dmsg));
	}
	return RPC_ERROR;
}

/* Sort the answers into out by id (1 to n): each once. */
static enum rpc_result nxapi_sort(const json_t *arr, size_t n, json_t *out, struct rpc_error *e)
{
	const json_t *a, *id, *err, *res;
	size_t i;

	json_array_foreach(arr, i, a) {
		json_int_t k;

		if (!json_is_object(a) || !json_is_integer(id = json_object_get(a, "id")))
			return bad(e, "answer %zu has no id", i + 1);
		k = json_integer_value(id);
		if (k < 1 || (size_t)k > n || !json_is_null(json_array_get(out, (size_t)k - 1)))
			return bad(e, "answer %zu has id %lld, not one of the requests' or twice", i + 1, (long long)k);
		if ((err = json_object_get(a, "error")))
			return json_is_object(err) ? nxapi_error(err, (int)k - 1, e) :
			    bad(e, "the error of answer %zu is not an object", i + 1);
		if (!(res = json_object_get(a, "result")))
			return bad(e, "answer %zu has neither a result nor an error", i + 1);
		/* A configuration command's result is null: kept as an empty
		 * object, so that null still marks an id not answered. */
		json_array_set_new(out, (size_t)k - 1, json_is_null(res) ? json_object() : json_incref((json_t *)res));
	}
	for (i = 0; i < n; i++)
		if (json_is_null(json_array_get(out, i)))
			return bad(e, "request %zu has no answer", i + 1);
	return RPC_OK;
}

enum rpc_result nxapi_answer(const char *body, size_t len, size_t n, json_t **results, struct rpc_error *e)
{
	json_t *j = load(body, len, e), *arr, *out = NULL;
	enum rpc_result rc;

	*results = NULL;
	if (!j)
		return RPC_BAD;
	if (json_is_object(j)) {
		arr = json_array();
		json_array_append(arr, j);
	} else {
		arr = json_incref(j);
	}
	if (!json_is_array(arr) || json_array_size(arr) != n) {
		rc = bad(e, "the answer has %zu answers for %zu requests", json_is_array(arr) ? json_array_size(arr) : 0, n);
	} else {
		out = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(out, json_null());
		if ((rc = nxapi_sort(arr, n, out, e)) == RPC_OK)
			*results = json_incref(out);
	}
	json_decref(out);
	json_decref(arr);
	json_decref(j);
	return rc;
}

/* The row of port: the one whose interface is port, or the only one. */
static const json_t *nxos_row(const json_t *rows, const char *port)
{
	const json_t *r;
	size_t i;

	if (json_is_object(rows))
		return rows;
	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, "interface"));

		if (name && strcasecmp(name, port) == 0)
			return r;
	}
	return json_array_size(rows) == 1 ? json_array_get(rows, 0) : NULL;
}

enum rpc_result nxos_port_state(const json_t *result, const char *port, enum port_state *st, struct rpc_error *e)
{
	const json_t *body = json_object_get(result, "body");
	const json_t *rows = json_object_get(json_object_get(body, "TABLE_interface"), "ROW_interface");
	const json_t *row = nxos_row(rows, port);
	const char *admin, *state, *why;

	*st = PORT_UNKNOWN;
	if (!row)
		return bad(e, "the answer has no TABLE_interface row for %s", port);
	admin = json_string_value(json_object_get(row, "admin_state"));
	state = json_string_value(json_object_get(row, "state"));
	why = json_string_value(json_object_get(row, "state_rsn_desc"));
	if (admin && (strcmp(admin, "down") == 0 || strcmp(admin, "up") == 0)) {
		*st = strcmp(admin, "down") == 0 ? PORT_DOWN : PORT_UP;
		return RPC_OK;
	}
	if (admin)
		return bad(e, "admin_state of %s is not up or down", port);
	if (state && strcmp(state, "up") == 0) {
		*st = PORT_UP;
		return RPC_OK;
	}
	if (state && strcmp(state, "down") == 0 && why) {
		*st = strcasecmp(why, "Administratively down") == 0 ? PORT_DOWN : PORT_UP;
		return RPC_OK;
	}
	return bad(e, "the row of %s has no admin_state, nor a state with its reason", port);
}

enum rpc_result nxos_port_macs(const json_t *result, const char *port, struct mac_list *macs, size_t *others,
    struct rpc_error *e)
{
	const json_t *body = json_object_get(result, "body"), *table, *rows, *x;
	size_t i;

	*others = 0;
	if (json_is_string(body) && !json_string_value(body)[0])
		return RPC_OK;
	if (!json_is_object(body))
		return bad(e, "the answer has no body");
	if (!(table = json_object_get(body, "TABLE_mac_address")))
		return json_object_size(body) == 0 ? RPC_OK : bad(e, "the answer's body has no TABLE_mac_address");
	rows = json_object_get(table, "ROW_mac_address");
	if (json_is_object(rows))
		return take_mac(rows, "disp_mac_addr", "disp_port", port, macs, others, e);
	if (!json_is_array(rows))
		return bad(e, "the answer's TABLE_mac_address has no ROW_mac_address");
	json_array_foreach(rows, i, x)
		if (take_mac(x, "disp_mac_addr", "disp_port", port, macs, others, e) != RPC_OK)
			return RPC_BAD;
	return RPC_OK;
}

enum rpc_result nxos_version(const json_t *result, char *info, size_t len, struct rpc_error *e)
{
	const json_t *body = json_object_get(result, "body");
	const char *v = json_string_value(json_object_get(body, "nxos_ver_str"));

	if (!v)
		v = json_string_value(json_object_get(body, "sys_ver_str"));
	return version_info(json_string_value(json_object_get(body, "chassis_id")), "NX-OS", v, info, len, e);
}

/* ---- ArubaOS-Switch REST --------------------------------------------------- */

enum rpc_result aruba_version(const char *body, size_t len, int *major, struct rpc_error *e)
{
	json_t *j = load(body, len, e), *list, *v;
	size_t i;

	*major = 0;
	if (!j)
		return RPC_BAD;
	list = json_object_get(j, "version_element");
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(json_object_get(v, "version"));
		int n;
		char dot;

		if (s && sscanf(s, "v%d%c", &n, &dot) == 2 && dot == '.' && n > *major && n < 100)
			*major = n;
	}
	json_decref(j);
	return *major ? RPC_OK : bad(e, "the answer lists no REST version (version_element)");
}

enum rpc_result aruba_cookie(const char *body, size_t len, char *cookie, size_t n, struct rpc_error *e)
{
	json_t *j = load(body, len, e);
	const char *c;
	enum rpc_result rc = RPC_OK;

	if (!j)
		return RPC_BAD;
	c = json_string_value(json_object_get(j, "cookie"));
	if (!c || strncmp(c, "sessionId=", 10) != 0 || !c[10] || strlen(c) >= n ||
	    strspn(c + 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.") != strlen(c + 10))
		rc = bad(e, "the answer holds no session cookie (sessionId=...) fencer can send back");
	else
		snprintf(cookie, n, "%s", c);
	json_decref(j);
	return rc;
}

enum rpc_result aruba_port_state(const char *body, size_t len, const char *port, enum port_state *st,
    struct rpc_error *e)
{
	json_t *j = load(body, len, e), *en;
	const char *id;
	enum rpc_result rc = RPC_OK;

	*st = PORT_UNKNOWN;
	if (!j)
		return RPC_BAD;
	id = json_string_value(json_object_get(j, "id"));
	en = json_object_get(j, "is_port_enabled");
	if (!id || strcmp(id, port) != 0)
		rc = bad(e, "the answer is not about port %s", port);
	else if (!json_is_boolean(en))
		rc = bad(e, "the answer has no is_port_enabled for port %s", port);
	else
		*st = json_is_true(en) ? PORT_UP : PORT_DOWN;
	json_decref(j);
	return rc;
}

/* Decode base64 into out (n bytes, NUL-terminated); false on a character
 * that is not base64. */
static bool base64_text(const char *in, char *out, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long acc = 0;
	size_t o = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		const char *p = strchr(alphabet, *in);

		if (*in == '\n' || *in == '\r')
			continue;
		if (!p)
			return false;
		acc = (acc << 6 | (unsigned long)(p - alphabet)) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (o + 1 < n)
				out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	return true;
}

enum rpc_result aruba_cli(const char *body, size_t len, struct rpc_error *e)
{
	json_t *j = load(body, len, e);
	const char *status, *words, *result;
	char printed[RPC_MSG_MAX];
	enum rpc_result rc = RPC_OK;

	if (!j)
		return RPC_BAD;
	status = json_string_value(json_object_get(j, "status"));
	words = json_string_value(json_object_get(j, "error_msg"));
	result = json_string_value(json_object_get(j, "result_base64_encoded"));
	e->code = 0;
	e->index = 0;
	e->msg[0] = '\0';
	if (!status) {
		rc = bad(e, "the answer has no status");
	} else if (strcmp(status, "CCS_SUCCESS") != 0) {
		append_words(e->msg, sizeof e->msg, status);
		if (words && words[0]) {
			append_clean(e->msg, sizeof e->msg, ": ");
			append_words(e->msg, sizeof e->msg, words);
		}
		rc = RPC_ERROR;
	} else if (result && !base64_text(result, printed, sizeof printed)) {
		rc = bad(e, "result_base64_encoded is not base64");
	} else if (result && printed[strspn(printed, " \t\r\n")]) {
		/* A command whose success is silent said something: its words. */
		append_words(e->msg, sizeof e->msg, printed + strspn(printed, " \t\r\n"));
		rc = RPC_ERROR;
	}
	json_decref(j);
	return rc;
}

void aruba_words(const char *body, size_t len, char *out, size_t n)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, 0, &je);
	const char *m = json_string_value(json_object_get(j, "message"));
	size_t i = 0;

	out[0] = '\0';
	if (m) {
		append_words(out, n, m);
	} else {
		for (; i < len && body[i] && body[i] != '\n' && i + 1 < n; i++)
			out[i] = ((unsigned char)body[i] < ' ' || body[i] == 0x7f) ? ' ' : body[i];
		out[i] = '\0';
	}
	json_decref(j);
}
