/*
 * fencer serve's request lines (fencer/serve_proto.h). Anything not
 * exactly a request is refused with what is wrong: the socket is root's,
 * but a request that half-parses must never start a fence.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/log.h"
#include "fencer/serve_proto.h"

static const char *const commands[] = { "promote", "demote", "fence", "unfence", "flush", "check", "sessions",
	NULL };

bool serve_command_known(const char *command)
{
	for (size_t i = 0; commands[i]; i++)
		if (strcmp(commands[i], command) == 0)
			return true;
	return false;
}

static int fail(char *err, size_t len, const char *msg)
{
	snprintf(err, len, "%s", msg);
	return -1;
}

/* A string without NUL inside, at most max bytes. */
static const char *plain_string(const json_t *v, size_t max)
{
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	return json_string_length(v) == strlen(s) && strlen(s) <= max ? s : NULL;
}

static int parse_args(const json_t *a, struct serve_request *r, char *err, size_t len)
{
	size_t i;
	json_t *v;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return fail(err, len, "\"args\" is not an array of strings");
	if (json_array_size(a) > SERVE_ARGS_MAX)
		return fail(err, len, "too many \"args\"");
	json_array_foreach(a, i, v) {
		const char *s = plain_string(v, SERVE_ARG_MAX);

		if (!s)
			return fail(err, len, "an argument is not a string of at most 1024 bytes");
		r->args[r->nargs++] = xstrdup(s);
	}
	return 0;
}

static int parse_object(json_t *o, struct serve_request *r, char *err, size_t len)
{
	const char *cmd, *boot, *key;
	json_t *v, *us, *verbose;

	if (!json_is_object(o))
		return fail(err, len, "a request is one JSON object");
	json_object_foreach(o, key, v)
		if (strcmp(key, "fencer") && strcmp(key, "command") && strcmp(key, "args") && strcmp(key, "verbose") &&
		    strcmp(key, "json") && strcmp(key, "boot_id") && strcmp(key, "invoked_us") && strcmp(key, "config"))
			return fail(err, len, "unknown key in the request");
	v = json_object_get(o, "fencer");
	if (!json_is_integer(v) || json_integer_value(v) != SERVE_PROTO)
		return fail(err, len, "\"fencer\" must be 1 (the protocol's version)");
	cmd = plain_string(json_object_get(o, "command"), sizeof r->command - 1);
	if (!cmd || !serve_command_known(cmd))
		return fail(err, len, "\"command\" is not one the service runs");
	snprintf(r->command, sizeof r->command, "%s", cmd);
	verbose = json_object_get(o, "verbose");
	if (verbose && (!json_is_integer(verbose) || json_integer_value(verbose) < 0 ||
	    json_integer_value(verbose) > 9))
		return fail(err, len, "\"verbose\" must be an integer from 0 to 9");
	r->verbose = verbose ? (int)json_integer_value(verbose) : 0;
	v = json_object_get(o, "json");
	if (v && !json_is_boolean(v))
		return fail(err, len, "\"json\" must be true or false");
	r->json = v && json_is_true(v);
	v = json_object_get(o, "boot_id");
	boot = v ? plain_string(v, sizeof r->invoked.boot_id - 1) : "";
	us = json_object_get(o, "invoked_us");
	if (!boot || (us && (!json_is_integer(us) || json_integer_value(us) < 0)))
		return fail(err, len, "\"boot_id\" or \"invoked_us\" is malformed");
	snprintf(r->invoked.boot_id, sizeof r->invoked.boot_id, "%s", boot);
	r->invoked.mono_us = us ? (long long)json_integer_value(us) : 0;
	v = json_object_get(o, "config");
	if (v && !plain_string(v, sizeof r->config - 1))
		return fail(err, len, "\"config\" is not a path");
	snprintf(r->config, sizeof r->config, "%s", v ? json_string_value(v) : "");
	return parse_args(json_object_get(o, "args"), r, err, len);
}

int serve_request_parse(const char *line, size_t len, struct serve_request *r, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o;
	int rc;

	memset(r, 0, sizeof *r);
	if (len > SERVE_LINE_MAX)
		return fail(err, errlen, "request too long");
	if (memchr(line, '\0', len))
		return fail(err, errlen, "a NUL byte in the request");
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fail(err, errlen, "not JSON");
	rc = parse_object(o, r, err, errlen);
	json_decref(o);
	return rc;
}

void serve_request_free(struct serve_request *r)
{
	for (int i = 0; i < r->nargs; i++)
		free(r->args[i]);
	r->nargs = 0;
}

char *serve_request_format(const char *command, const char *const *args, int nargs, int verbose, bool json,
    const struct invocation *inv, const char *config)
{
	json_t *o = json_pack("{s:i, s:s, s:[], s:i, s:b, s:s, s:I, s:s?}", "fencer", SERVE_PROTO, "command",
	    command, "args", "verbose", verbose, "json", json, "boot_id", inv->boot_id, "invoked_us",
	    (json_int_t)inv->mono_us, "config", config);
	json_t *a = json_object_get(o, "args");
	char *s;

	if (!o)
		return NULL;		/* a path that is not UTF-8 */
	for (int i = 0; i < nargs; i++)
		if (json_array_append_new(a, json_string(args[i])) < 0) {
			json_decref(o);		/* not UTF-8: the caller runs standalone */
			return NULL;
		}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
