/*
 * The command line's side of fencer serve (docs/serve.md): ask the
 * service, and run standalone whenever it does not do the job. The
 * service is a speed-up, never a dependency: absent, stale socket, slower
 * than serve-wait to accept, refusing, dying or falling silent in the
 * middle of a run, each ends here with "run standalone", which takes the
 * run lock as always (a service killed mid-run released it with its
 * last descriptor).
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/log.h"
#include "fencer/serve_proto.h"

/* The service sends a line every 250 ms while it runs a request; this
 * long without one, it hangs. */
#define SILENCE_MS 2000
#define ANSWER_MAX (4 << 20)		/* the end line carries the report */

struct conn {
	int fd;
	char *buf;
	size_t len, cap;
	pid_t pid;			/* the service's, from SO_PEERCRED */
};

static bool served(const char *name)
{
	static const char *const names[] = { "promote", "demote", "fence", "unfence", "flush", "check", "sessions",
		NULL };

	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Connected, to a service of root or of this user, within dl; -1 means
 * no service (absent, stale socket file, another owner). */
static int conn_open(struct conn *c, const char *path, const struct deadline *dl)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct ucred cr;
	socklen_t l = sizeof cr;

	if (!path || strlen(path) >= sizeof a.sun_path)
		return -1;
	memcpy(a.sun_path, path, strlen(path) + 1);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	if (connect(c->fd, (const struct sockaddr *)&a, sizeof a) < 0) {
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };
		int e = 0;
		socklen_t el = sizeof e;

		if (errno != EAGAIN && errno != EINPROGRESS)
			goto fail;
		if (poll(&p, 1, (int)deadline_left_ms(dl)) <= 0 ||
		    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0 || e)
			goto fail;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0 || (cr.uid != 0 && cr.uid != geteuid())) {
		log_warnx("%s is held by uid %ld, not root: not asking it", path, (long)cr.uid);
		goto fail;
	}
	c->pid = cr.pid;
	return 0;
fail:
	close(c->fd);
	c->fd = -1;
	return -1;
}

static bool conn_send(struct conn *c, const char *line, const struct deadline *dl)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };

		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EAGAIN && poll(&p, 1, (int)deadline_left_ms(dl)) > 0)
			continue;
		else if (!(n < 0 && errno == EINTR))
			return false;
	}
	return true;
}

/* The next line, waiting at most wait_ms for each piece: 1 a line (in
 * *line, the caller frees), 0 the service closed, -1 silence or error. */
static int conn_line(struct conn *c, long wait_ms, char **line)
{
	for (;;) {
		char *nl = c->buf ? memchr(c->buf, '\n', c->len) : NULL;
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - c->buf);

			*line = xmalloc(len + 1);
			memcpy(*line, c->buf, len);
			(*line)[len] = '\0';
			memmove(c->buf, nl + 1, c->len - len - 1);
			c->len -= len + 1;
			return 1;
		}
		if (c->len >= ANSWER_MAX)
			return -1;
		if (c->cap - c->len < 4096) {
			c->cap = c->cap ? c->cap * 2 : 8192;
			c->buf = xrealloc(c->buf, c->cap, 1);
		}
		if (poll(&p, 1, (int)(wait_ms > 0 ? wait_ms : 0)) <= 0)
			return -1;
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (n > 0)
			c->len += (size_t)n;
	}
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
}

/* The service's answer to the request: 1 done (*rc), 0 run standalone. */
static int follow(struct cli *cli, struct conn *c, int *rc)
{
	for (;;) {
		char *line = NULL;
		int got = conn_line(c, SILENCE_MS, &line);
		json_t *o, *v;

		if (got == 0) {
			log_warnx("fencer serve ended before the end of the run: running standalone");
			return 0;
		}
		if (got < 0) {
			/* It holds the run lock: without it gone, standalone would
			 * wait for a run that never ends. */
			log_warnx("fencer serve (pid %ld) sent nothing for %d ms: killed, running standalone",
			    (long)c->pid, SILENCE_MS);
			if (c->pid > 1)
				kill(c->pid, SIGKILL);
			return 0;
		}
		o = json_loads(line, 0, NULL);
		free(line);
		if (!o)
			continue;
		if ((v = json_object_get(o, "timeline")) && json_is_string(v) && cli->verbose > 0 && !cli->json)
			fprintf(stderr, "%s\n", json_string_value(v));
		if (json_is_true(json_object_get(o, "end"))) {
			const char *out = json_string_value(json_object_get(o, "stdout"));
			const char *err = json_string_value(json_object_get(o, "stderr"));

			*rc = (int)json_integer_value(json_object_get(o, "exit_code"));
			fputs(err ? err : "", stderr);
			fputs(out ? out : "", stdout);
			fflush(stdout);
			json_decref(o);
			return 1;
		}
		if ((v = json_object_get(o, "error"))) {
			log_warnx("fencer serve refused: %s: running standalone", json_string_value(v));
			json_decref(o);
			return 0;
		}
		json_decref(o);
	}
}

/* Accepted within the budget (serve-wait, from the connect on). */
static bool accepted(struct conn *c, const struct deadline *dl)
{
	char *line = NULL;
	json_t *o;
	bool ok;

	if (conn_line(c, deadline_left_ms(dl), &line) != 1)
		return false;
	o = json_loads(line, 0, NULL);
	free(line);
	ok = o && json_is_true(json_object_get(o, "accepted"));
	if (o && !ok && json_object_get(o, "error"))
		log_warnx("fencer serve refused: %s: running standalone",
		    json_string_value(json_object_get(o, "error")));
	json_decref(o);
	return ok;
}

bool serve_client_run(struct cli *cli, const char *name, int *rc)
{
	struct conn c = { .fd = -1 };
	struct deadline dl;
	char *req, config[PATH_MAX];
	int done = 0;

	if (!served(name) || !cli->cfg || !cli->cfg->socket)
		return false;
	deadline_start(&dl, cli->cfg->serve_wait_ms);
	if (conn_open(&c, cli->cfg->socket, &dl) < 0)
		return false;
	/* the service runs its own configuration: it says which, resolved */
	if (!realpath(cli->config_path, config))
		snprintf(config, sizeof config, "%s", cli->config_path);
	req = serve_request_format(name, cli->args, cli->nargs, cli->verbose, cli->json, &cli->invoked, config);
	if (req) {
		size_t len = strlen(req);

		req = xrealloc(req, len + 2, 1);
		memcpy(req + len, "\n", 2);
	}
	if (!req || !conn_send(&c, req, &dl) || !accepted(&c, &dl)) {
		if (req && strcmp(name, "sessions") != 0)
			log_info("fencer serve did not accept within %ld ms: running standalone",
			    cli->cfg->serve_wait_ms);
	} else {
		done = follow(cli, &c, rc);
	}
	free(req);
	conn_close(&c);
	return done == 1;
}
