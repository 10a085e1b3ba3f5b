/*
 * fencer serve (docs/serve.md): one event loop (poll) over the control
 * socket, its clients, the signals and the timers; a thread per request
 * it runs, which runs it as the command line does (cli_act: the same
 * lock, deadline, journal and exit status) with the warm sessions of
 * fencer/session_cache.h; a thread for the periodic probes.
 *
 * What the loop does itself never blocks for long: reading requests
 * (bounded length, bounded time), a heartbeat line to the clients whose
 * request runs, and the timers. The configuration a request runs with is
 * swapped (SIGHUP) only while no request, probe or keepalive runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/cli.h"
#include "fencer/config.h"
#include "fencer/engine.h"
#include "fencer/journal.h"
#include "fencer/log.h"
#include "fencer/notify.h"
#include "fencer/serve_proto.h"
#include "fencer/session_cache.h"
#include "fencer/state.h"

#define MAX_CLIENTS 128		/* more at once are refused, each with a line */
#define REQUEST_WAIT_MS 5000	/* a client silent that long is closed */
#define ALIVE_MS 250		/* the heartbeat of a running request */
#define TICK_MS 1000		/* keepalive and reconnection timer */
#define SEND_WAIT_MS 200	/* a client that does not read is given up */

struct service;

struct req {
	struct service *svc;
	int fd;
	pthread_mutex_t wmu;		/* one line at a time on fd */
	bool gone;			/* under wmu: the client stopped reading */
	bool done;			/* under svc->mu */
	long last_sent_ms;		/* under wmu */
	struct serve_request r;
	pthread_t tid;
	struct req *next;
};

struct client {
	int fd;
	char *buf;
	size_t len;
	long since_ms;
};

struct service {
	struct config *cfg;
	struct config *pending;		/* parsed on SIGHUP, swapped in when idle */
	char *path;			/* socket = at start (a reload keeps it) */
	int lfd, sfd;
	struct client clients[MAX_CLIENTS];
	size_t nclients;
	pthread_mutex_t mu;		/* reqs, running, probing, drifts */
	struct req *reqs;
	unsigned running;		/* client requests running */
	bool probing;			/* the probe thread runs (and its re-fence) */
	struct strlist drifts;		/* "switch port since" alerted already */
	struct sess_cache cache;
	long next_tick_ms, next_probe_ms;
};

static struct service *the_service;	/* for the session cache's alarm */

/* ---- writing lines ---------------------------------------------------------- */

/* A JSON value as one line; strings that are not UTF-8 (a switch's own
 * words may not be) are sent with their other bytes as '?'. */
static char *line_of(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return s;
}

static json_t *text(const char *s)
{
	json_t *v = json_string(s ? s : "");
	char *copy;

	if (v)
		return v;
	copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return v;
}

/* Send a whole line, waiting at most SEND_WAIT_MS for room each time. */
static bool send_all(int fd, const char *s, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, s + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && poll(&p, 1, SEND_WAIT_MS) > 0)
			continue;
		return false;
	}
	return true;
}

static void send_json_fd(int fd, json_t *o)
{
	char *s = line_of(o);

	if (s) {
		size_t len = strlen(s);

		s = xrealloc(s, len + 2, 1);
		s[len] = '\n';
		send_all(fd, s, len + 1);
	}
	free(s);
}

static void req_send(struct req *q, json_t *o)
{
	char *s = line_of(o);
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	s = xrealloc(s, len + 2, 1);
	s[len] = '\n';
	pthread_mutex_lock(&q->wmu);
	if (!q->gone && !send_all(q->fd, s, len + 1))
		q->gone = true;
	q->last_sent_ms = mono_ms();
	pthread_mutex_unlock(&q->wmu);
	free(s);
}

static void refuse(int fd, int code, const char *fmt, ...) PRINTF(3, 4);
static void refuse(int fd, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	send_json_fd(fd, json_pack("{s:o, s:i}", "error", text(msg), "exit_code", code));
}

/* ---- alarms: the journal, syslog, the notifications ------------------------- */

/* One line of the service's own in the journal (command "serve"), and a
 * notification: someone must look. */
static void alarm_note(const struct config *cfg, const char *step, const char *sw, const char *port,
    const char *msg)
{
	char where[300];
	struct run run;
	long t0;

	snprintf(where, sizeof where, "%s%s%s%s", sw ? " " : "", sw ? sw : "", port ? " " : "", port ? port : "");
	log_syslog(LOG_CRIT, "%s%s: %s", step, where, msg);
	log_warnx("%s%s: %s", step, where, msg);
	run_init(&run, cfg, "serve", false);
	run_open_journal(&run);
	t0 = run_begin(&run, step, sw, port);
	run_end(&run, step, sw, port, t0, OUT_FAILED, msg);
	notify_send(cfg, &run, step, EXIT_FAILED);
	run_close(&run);
}

static void session_alarm(const struct sw_config *sw, enum sw_error kind, const char *err)
{
	char msg[600];

	snprintf(msg, sizeof msg, "the service cannot keep a session (%s): %s", sw_error_name(kind), err);
	alarm_note(the_service->cfg, kind == SWE_HOSTKEY ? "hostkey" : "session", sw->name, NULL, msg);
}

/* ---- running a request ---------------------------------------------------------- */

/* The timeline as it happens: the line -v prints, and the journal's object. */
static void req_observe(void *ctx, const char *line, const char *event)
{
	struct req *q = ctx;
	json_t *ev = json_loads(event, 0, NULL);

	req_send(q, json_pack("{s:o, s:o}", "timeline", text(line), "event", ev ? ev : json_object()));
}

static char *memstream_text(FILE *f, char **buf)
{
	if (f)
		fclose(f);
	return *buf ? *buf : xstrdup("");
}

static int req_run(struct req *q, struct config *cfg, char **out, char **err)
{
	size_t outlen = 0, errlen = 0;
	struct cli cli = { 0 };
	FILE *fo, *fe;
	int rc;

	*out = *err = NULL;
	fo = open_memstream(out, &outlen);
	fe = open_memstream(err, &errlen);
	if (!fo || !fe)
		fatalx("out of memory");
	cli.cmd = cli_find_command(q->r.command);
	cli.config_path = cfg->file;
	cli.cfg = cfg;
	cli.verbose = q->r.verbose;
	cli.json = q->r.json;
	cli.invoked = q->r.invoked;
	for (int i = 0; i < q->r.nargs; i++)
		cli.args[cli.nargs++] = q->r.args[i];
	cli.out = fo;
	cli.err = fe;
	cli.observe = req_observe;
	cli.observe_ctx = q;
	cli.no_serve = true;
	rc = strcmp(q->r.command, "check") == 0 ? cmd_check(&cli) : cli_act_named(&cli, q->r.command);
	*out = memstream_text(fo, out);
	*err = memstream_text(fe, err);
	return rc;
}

static void *req_main(void *arg)
{
	struct req *q = arg;
	struct service *s = q->svc;
	char *out, *err;
	int rc = req_run(q, s->cfg, &out, &err);

	req_send(q, json_pack("{s:b, s:i, s:o, s:o}", "end", 1, "exit_code", rc, "stdout", text(out), "stderr",
	    text(err)));
	free(out);
	free(err);
	pthread_mutex_lock(&s->mu);
	q->done = true;
	s->running--;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* What the command line checks before it asks (cmd_fence and the
 * others), checked again: the socket takes requests from other programs
 * too. 0, or -1 with err. */
static int request_valid(const struct config *cfg, const struct serve_request *r, char *err, size_t len)
{
	const char *a0 = r->nargs ? r->args[0] : NULL, *a1 = r->nargs > 1 ? r->args[1] : NULL;
	const struct sw_config *sw;

	char real[PATH_MAX];

	/* A command run with another -c is not ours to run: it runs standalone. */
	if (r->config[0] && (!realpath(cfg->file, real) || strcmp(real, r->config) != 0)) {
		snprintf(err, len, "the service runs %s, not %s", cfg->file, r->config);
		return -1;
	}
	if (strcmp(r->command, "fence") == 0 || strcmp(r->command, "unfence") == 0) {
		bool fence = r->command[0] == 'f';

		if (!a0 || r->nargs > 2 || !config_node(cfg, a0))
			snprintf(err, len, "%s takes a node of the configuration", r->command);
		else if (a1 && strcmp(a1, fence ? "--force" : "--all") != 0)
			snprintf(err, len, "unknown option '%s'", a1);
		else if (fence && !a1 && strcmp(a0, cfg->node) == 0)
			snprintf(err, len, "%s is this node: add --force if that is what you mean", a0);
		else
			return 0;
		return -1;
	}
	if (strcmp(r->command, "flush") == 0) {
		if (r->nargs > 1 || (a0 && (!(sw = config_switch(cfg, a0)) || !sw->driver->mac_flush))) {
			snprintf(err, len, "flush takes nothing or a switch that can flush");
			return -1;
		}
		return 0;
	}
	if (strcmp(r->command, "check") == 0) {
		if (r->nargs > 1 || (a0 && !config_switch(cfg, a0))) {
			snprintf(err, len, "check takes nothing or a switch of the configuration");
			return -1;
		}
		return 0;
	}
	if (strcmp(r->command, "sessions") == 0 && r->nargs) {
		snprintf(err, len, "sessions takes no arguments");
		return -1;
	}
	return 0;
}

static const char *state_word(enum sess_state st)
{
	return st == SESS_IDLE ? "open" : st == SESS_BUSY ? "busy" : "closed";
}

/* `fencer serve status`: the sessions, as JSON and as the table printed. */
static void answer_sessions(struct service *s, int fd)
{
	json_t *list = json_array();
	char *table = NULL;
	size_t tlen = 0;
	FILE *t = open_memstream(&table, &tlen);

	if (!t)
		fatalx("out of memory");
	/* cppcheck-suppress nullPointerRedundantCheck ; fatalx (log.h) does not return */
	fprintf(t, "%-16s %-7s %-7s %-9s %s\n", "SWITCH", "SESSION", "OPENED", "FAILURES", "LAST ERROR");
	pthread_mutex_lock(&s->cache.mu);
	for (size_t i = 0; i < s->cache.n; i++) {
		const struct sess_entry *e = &s->cache.v[i];

		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I, s:o}", "switch", e->cfg->name,
		    "session", state_word(e->state), "opened", (json_int_t)e->opened, "failures",
		    (json_int_t)e->failures, "error", text(e->failures ? e->err : "")));
		fprintf(t, "%-16s %-7s %-7ld %-9u %s\n", e->cfg->name, state_word(e->state), e->opened, e->failures,
		    e->failures ? e->err : "-");
	}
	pthread_mutex_unlock(&s->cache.mu);
	fclose(t);
	send_json_fd(fd, json_pack("{s:b, s:i, s:o, s:o, s:s}", "end", 1, "exit_code", 0, "sessions", list,
	    "stdout", text(table), "stderr", ""));
	free(table);
}

static void start_request(struct service *s, int fd, struct serve_request *r)
{
	struct req *q = xcalloc(1, sizeof *q);

	*q = (struct req){ .svc = s, .fd = fd, .r = *r, .last_sent_ms = mono_ms() };
	pthread_mutex_init(&q->wmu, NULL);
	req_send(q, json_pack("{s:b, s:i}", "accepted", 1, "pid", (int)getpid()));
	pthread_mutex_lock(&s->mu);
	s->running++;
	q->next = s->reqs;
	s->reqs = q;
	if (pthread_create(&q->tid, NULL, req_main, q) != 0) {
		q->done = true;
		s->running--;
		pthread_mutex_unlock(&s->mu);
		req_send(q, json_pack("{s:s, s:i}", "error", "cannot start a thread", "exit_code", EXIT_FAILED));
		q->tid = 0;
		return;
	}
	pthread_mutex_unlock(&s->mu);
}

/* One request line from a client: refused with why, answered at once
 * (sessions), or started; the client is the request's from then on. */
static void handle_line(struct service *s, int fd, const char *line, size_t len)
{
	struct serve_request r;
	char err[256];

	if (serve_request_parse(line, len, &r, err, sizeof err) < 0 ||
	    request_valid(s->cfg, &r, err, sizeof err) < 0) {
		log_warnx("control socket: request refused: %s", err);
		refuse(fd, EXIT_USAGE, "request refused: %s", err);
		serve_request_free(&r);
		close(fd);
		return;
	}
	if (strcmp(r.command, "sessions") == 0) {
		send_json_fd(fd, json_pack("{s:b, s:i}", "accepted", 1, "pid", (int)getpid()));
		answer_sessions(s, fd);
		serve_request_free(&r);
		close(fd);
		return;
	}
	start_request(s, fd, &r);
}

/* Join the requests that ended. */
static void reap(struct service *s)
{
	struct req **pp = &s->reqs;

	pthread_mutex_lock(&s->mu);
	while (*pp) {
		struct req *q = *pp;

		if (!q->done) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		pthread_mutex_unlock(&s->mu);
		if (q->tid)
			pthread_join(q->tid, NULL);
		close(q->fd);
		serve_request_free(&q->r);
		pthread_mutex_destroy(&q->wmu);
		free(q);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
}

/* A line every ALIVE_MS to each client whose request runs: its silence
 * means the service hangs (fencer/serve_client.c). */
static void heartbeats(struct service *s)
{
	long now = mono_ms();

	pthread_mutex_lock(&s->mu);
	for (struct req *q = s->reqs; q; q = q->next) {
		bool due;

		if (q->done)
			continue;
		pthread_mutex_lock(&q->wmu);
		due = !q->gone && now - q->last_sent_ms >= ALIVE_MS;
		pthread_mutex_unlock(&q->wmu);
		if (due)
			req_send(q, json_pack("{s:b}", "alive", 1));
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- the clients -------------------------------------------------------------- */

static void client_drop(struct service *s, size_t i, bool close_fd)
{
	if (close_fd)
		close(s->clients[i].fd);
	free(s->clients[i].buf);
	s->clients[i] = s->clients[--s->nclients];
}

/* Root, or the user the service runs as: the socket's mode says the same,
 * this holds when the mode was loosened. */
static bool peer_allowed(int fd, char *who, size_t len)
{
	struct ucred cr;
	socklen_t l = sizeof cr;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0) {
		snprintf(who, len, "unknown peer");
		return false;
	}
	snprintf(who, len, "uid %ld (pid %ld)", (long)cr.uid, (long)cr.pid);
	return cr.uid == 0 || cr.uid == geteuid();
}

static void accept_clients(struct service *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		char who[64];

		if (fd < 0)
			return;
		if (!peer_allowed(fd, who, sizeof who)) {
			log_warnx("control socket: %s refused: only root and the service's user may ask", who);
			refuse(fd, EXIT_FAILED, "refused: %s may not use fencer serve (root only)", who);
			close(fd);
		} else if (s->nclients == MAX_CLIENTS) {
			refuse(fd, EXIT_FAILED, "busy: %d clients already", MAX_CLIENTS);
			close(fd);
		} else {
			s->clients[s->nclients++] = (struct client){ .fd = fd, .buf = xmalloc(SERVE_LINE_MAX + 1),
				.since_ms = mono_ms() };
		}
	}
}

/* Read what came; the first whole line is the request. A client that
 * closes before its newline sent half a request: nothing runs. */
static void client_read(struct service *s, size_t i)
{
	struct client *c = &s->clients[i];
	ssize_t n = recv(c->fd, c->buf + c->len, SERVE_LINE_MAX + 1 - c->len, 0);
	char *nl;
	int fd = c->fd;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (c->len)
			log_warnx("control socket: a client left after %zu bytes, without a whole request", c->len);
		client_drop(s, i, true);
		return;
	}
	c->len += (size_t)n;
	if ((nl = memchr(c->buf, '\n', c->len))) {
		char *line = c->buf;
		size_t len = (size_t)(nl - c->buf);

		c->buf = NULL;
		client_drop(s, i, false);
		handle_line(s, fd, line, len);
		free(line);
	} else if (c->len > SERVE_LINE_MAX) {
		log_warnx("control socket: a request longer than %d bytes, refused", SERVE_LINE_MAX);
		refuse(fd, EXIT_USAGE, "request refused: longer than %d bytes", SERVE_LINE_MAX);
		client_drop(s, i, true);
	}
}

static void clients_expire(struct service *s)
{
	long now = mono_ms();

	for (size_t i = s->nclients; i-- > 0;)
		if (now - s->clients[i].since_ms > REQUEST_WAIT_MS) {
			refuse(s->clients[i].fd, EXIT_USAGE, "no whole request within %d ms", REQUEST_WAIT_MS);
			client_drop(s, i, true);
		}
}

/* ---- the control socket --------------------------------------------------------- */

static int socket_addr(const char *path, struct sockaddr_un *a)
{
	*a = (struct sockaddr_un){ .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a->sun_path)
		return -1;
	memcpy(a->sun_path, path, strlen(path) + 1);
	return 0;
}

/* A socket file left by a service that died is removed; one another
 * service answers on, or a file that is no socket, is not. */
static int clear_stale(const char *path, const struct sockaddr_un *a, char *err, size_t len)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : (snprintf(err, len, "%s: %s", path, strerror(errno)), -1);
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, len, "%s exists and is not a socket: remove it, or set socket = elsewhere", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (const struct sockaddr *)a, sizeof *a) == 0) {
		close(fd);
		snprintf(err, len, "another fencer serve answers on %s", path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	log_info("removing the stale control socket %s", path);
	return unlink(path) < 0 && errno != ENOENT ? (snprintf(err, len, "cannot remove %s: %s", path,
	    strerror(errno)), -1) : 0;
}

static int listen_on(const char *path, char *err, size_t len)
{
	struct sockaddr_un a;
	char dir[sizeof a.sun_path], *slash;
	mode_t old;
	int fd;

	if (socket_addr(path, &a) < 0) {
		snprintf(err, len, "socket path %s is too long", path);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			snprintf(err, len, "cannot make %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (clear_stale(path, &a, err, len) < 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		goto fail;
	old = umask(0177);	/* 0600 from the start, not after a chmod */
	if (bind(fd, (const struct sockaddr *)&a, sizeof a) < 0) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (chmod(path, 0600) < 0 || listen(fd, MAX_CLIENTS) < 0)
		goto fail;
	return fd;
fail:
	snprintf(err, len, "cannot listen on %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- the periodic probes: drift -------------------------------------------------- */

/* Read one port with the kept session (or a new one, kept after). */
static int read_port(const struct sw_config *swc, const char *port, enum port_state *st, char *err, size_t len)
{
	struct deadline dl;
	struct sw sw;
	long login, t0 = mono_ms();
	bool warm;
	int rc = -1;

	*st = PORT_UNKNOWN;
	sw_init(&sw, swc);
	deadline_start(&dl, swc->timeout_ms);
	sw.dl = &dl;
	if (!sw.drv->port_get) {
		sw_release(&sw);
		snprintf(err, len, "driver %s cannot read ports", sw.drv->name);
		return -1;
	}
	if ((warm = sess_take(&sw, &dl, &login)) || !sw.drv->open || sw.drv->open(&sw, &dl) == 0) {
		login = warm ? login : mono_ms() - t0;
		rc = sw.drv->port_get(&sw, port, st);
		sess_give(&sw, rc == 0 && sw.errkind == SWE_NONE, login);
	}
	if (rc < 0)
		snprintf(err, len, "%s", sw.err);
	sw_release(&sw);
	return rc;
}

static bool drift_alerted(struct service *s, const char *key)
{
	bool seen = false;

	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->drifts.n && !seen; i++)
		seen = strcmp(s->drifts.v[i], key) == 0;
	if (!seen) {
		s->drifts.v = xrealloc(s->drifts.v, s->drifts.n + 1, sizeof *s->drifts.v);
		s->drifts.v[s->drifts.n++] = xstrdup(key);
	}
	pthread_mutex_unlock(&s->mu);
	return seen;
}

/* A command the service runs for itself, with no client to tell: the
 * drift's fence, the metrics check. Its report in *out (caller frees). */
static int run_own(struct service *s, const char *command, const char *node, char **out)
{
	struct req q = { .svc = s, .fd = -1, .gone = true };
	char *err;
	int rc;

	pthread_mutex_init(&q.wmu, NULL);
	snprintf(q.r.command, sizeof q.r.command, "%s", command);
	if (node) {
		q.r.args[q.r.nargs++] = xstrdup(node);
		if (strcmp(node, s->cfg->node) == 0)
			q.r.args[q.r.nargs++] = xstrdup("--force");
	}
	invocation_now(&q.r.invoked);
	rc = req_run(&q, s->cfg, out, &err);
	free(err);
	serve_request_free(&q.r);
	pthread_mutex_destroy(&q.wmu);
	return rc;
}

/* on-drift = refence: a fence of the node, as `fencer fence NODE` runs it. */
static void refence(struct service *s, const char *node)
{
	char *out;
	int rc = run_own(s, "fence", node, &out);

	log_syslog(rc == EXIT_OK ? LOG_NOTICE : LOG_CRIT, "drift: %s fenced again: exit %d %s", node, rc, out);
	free(out);
}

/* A fenced port found up: read again under the run lock, with fenced.json
 * read again (an unfence may have just brought it up), before the alarm. */
static bool drift_confirmed(struct service *s, const struct fenced_port *fp)
{
	const struct config *cfg = s->cfg;
	const struct sw_config *swc = config_switch(cfg, fp->sw);
	enum port_state st = PORT_UNKNOWN;
	struct fenced f;
	char err[512];
	bool waited, still = false;
	int lock = lock_take(cfg->state_dir, cfg->deadline_ms, &waited, err, sizeof err);

	if (lock < 0)
		return false;
	if (fenced_load(cfg->state_dir, &f, err, sizeof err) == 0) {
		const struct fenced_port *again = fenced_find(&f, fp->sw, fp->port);

		still = again && strcmp(again->state, FENCED_VERIFIED) == 0 && swc &&
		    read_port(swc, fp->port, &st, err, sizeof err) == 0 && st == PORT_UP;
		fenced_free(&f);
	}
	lock_release(lock);
	return still;
}

static void drift_found(struct service *s, const struct fenced_port *fp)
{
	char key[512], msg[700];

	if (!drift_confirmed(s, fp))
		return;
	snprintf(key, sizeof key, "%s %s %s", fp->sw, fp->port, fp->since);
	if (drift_alerted(s, key) && s->cfg->on_drift == DRIFT_ALERT)
		return;		/* said once; refence tries again each time */
	snprintf(msg, sizeof msg, "port is up again while node %s is still fenced (fenced since %s): something "
	    "other than fencer brought it up; %s", fp->node, fp->since, s->cfg->on_drift == DRIFT_REFENCE ?
	    "fencing the node again (on-drift = refence)" : "fencer unfence NODE clears it (on-drift = alert)");
	alarm_note(s->cfg, "drift", fp->sw, fp->port, msg);
	if (s->cfg->on_drift == DRIFT_REFENCE)
		refence(s, fp->node);
}

/* With metrics-file, a full check keeps the textfile (and the CRITICAL
 * notice) current, as fencer-check.timer does, on the kept sessions. */
static void full_check(struct service *s)
{
	char *out;

	if (!s->cfg->metrics_file)
		return;
	run_own(s, "check", NULL, &out);
	free(out);
}

/* Every check-interval: every port fenced.json says is fenced, read; and
 * the full check of metrics-file. */
static void *probe_main(void *arg)
{
	struct service *s = arg;
	struct fenced f;
	char err[512];

	if (fenced_load(s->cfg->state_dir, &f, err, sizeof err) < 0) {
		log_warnx("probe: %s", err);
	} else {
		for (size_t i = 0; i < f.n; i++) {
			const struct sw_config *swc = config_switch(s->cfg, f.v[i].sw);
			enum port_state st;

			if (!swc || strcmp(f.v[i].state, FENCED_VERIFIED) != 0)
				continue;
			if (read_port(swc, f.v[i].port, &st, err, sizeof err) < 0)
				log_warnx("probe: switch %s port %s: %s", f.v[i].sw, f.v[i].port, err);
			else if (st == PORT_UP)
				drift_found(s, &f.v[i]);
		}
		fenced_free(&f);
	}
	full_check(s);
	pthread_mutex_lock(&s->mu);
	s->probing = false;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* ---- reload ------------------------------------------------------------------------------- */

static void reload_parse(struct service *s)
{
	struct cfg_errors errs = { 0 };
	struct config *c = config_load(s->cfg->file, &errs);
	char msg[1024];

	if (!c) {
		for (size_t i = 0; i < errs.lines.n; i++)
			log_warnx("%s", errs.lines.v[i]);
		snprintf(msg, sizeof msg, "SIGHUP: %zu error%s in %s (first: %s); the configuration loaded before "
		    "stays in force", cfg_error_count(&errs), cfg_error_count(&errs) == 1 ? "" : "s", s->cfg->file,
		    errs.lines.n ? errs.lines.v[0] : "?");
		alarm_note(s->cfg, "reload", NULL, NULL, msg);
		cfg_errors_free(&errs);
		return;
	}
	cfg_errors_free(&errs);
	config_free(s->pending);
	s->pending = c;
	log_info("SIGHUP: %s parsed; it takes over when no request runs", c->file);
}

/* Swap in the new configuration once nothing uses the old one. */
static void reload_apply(struct service *s)
{
	bool idle;

	pthread_mutex_lock(&s->mu);
	idle = s->running == 0 && !s->probing;
	pthread_mutex_unlock(&s->mu);
	if (!idle || !sess_all_idle(&s->cache))
		return;
	sess_cache_reconfigure(&s->cache, s->pending);
	config_free(s->cfg);
	s->cfg = s->pending;
	s->pending = NULL;
	log_info("configuration reloaded from %s: sessions to unchanged switches kept", s->cfg->file);
	log_syslog(LOG_NOTICE, "configuration reloaded from %s", s->cfg->file);
}

/* ---- the loop ----------------------------------------------------------------------------- */

static void timers(struct service *s)
{
	long now = mono_ms();

	if (s->pending)
		return;		/* nothing new starts before the swap */
	if (now >= s->next_tick_ms) {
		sess_maintain(&s->cache, s->cfg->keepalive_ms);
		s->next_tick_ms = now + TICK_MS;
	}
	if (s->cfg->check_interval_ms && now >= s->next_probe_ms) {
		pthread_t t;
		bool start;

		s->next_probe_ms = now + s->cfg->check_interval_ms;
		pthread_mutex_lock(&s->mu);
		start = !s->probing;
		s->probing = start;
		pthread_mutex_unlock(&s->mu);
		if (start && pthread_create(&t, NULL, probe_main, s) == 0) {
			pthread_detach(t);
		} else if (start) {
			pthread_mutex_lock(&s->mu);
			s->probing = false;
			pthread_mutex_unlock(&s->mu);
		}
	}
}

/* 1: stop; 0: go on. */
static int signals(struct service *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGHUP)
			reload_parse(s);
		else
			return 1;
	}
	return 0;
}

static void loop(struct service *s)
{
	struct pollfd p[MAX_CLIENTS + 2];
	bool stop = false;

	for (;;) {
		size_t n = 0;
		unsigned running;

		p[n++] = (struct pollfd){ .fd = s->sfd, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = stop ? -1 : s->lfd, .events = POLLIN };
		for (size_t i = 0; i < s->nclients; i++)
			p[n++] = (struct pollfd){ .fd = s->clients[i].fd, .events = POLLIN };
		if (poll(p, n, ALIVE_MS) < 0 && errno != EINTR)
			fatalx("poll: %s", strerror(errno));
		if ((p[0].revents & POLLIN) && signals(s))
			stop = true;
		for (size_t i = n; i-- > 2;)
			if (p[i].revents)
				client_read(s, i - 2);	/* drops move the last one here: walk down */
		if (p[1].revents & POLLIN)
			accept_clients(s);
		clients_expire(s);
		heartbeats(s);
		reap(s);
		if (s->pending)
			reload_apply(s);
		pthread_mutex_lock(&s->mu);
		running = s->running;
		pthread_mutex_unlock(&s->mu);
		if (stop && running == 0)
			return;
		if (!stop)
			timers(s);
	}
}

static int serve_status(struct cli *cli)
{
	int rc = EXIT_FAILED;

	cli->nargs = 0;		/* "status" is ours, not the request's */
	if (!serve_client_run(cli, "sessions", &rc)) {
		fprintf(stderr, "fencer: no fencer serve answers on %s\n", cli->cfg->socket);
		return EXIT_FAILED;
	}
	return rc;
}

static void service_free(struct service *s)
{
	struct stat st;

	if (s->lfd >= 0)
		close(s->lfd);
	if (stat(s->path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(s->path);
	/* the keepalive, open and probe threads end by their switch's timeout */
	for (;;) {
		bool probing;

		pthread_mutex_lock(&s->mu);
		probing = s->probing;
		pthread_mutex_unlock(&s->mu);
		if (!probing && sess_all_idle(&s->cache))
			break;
		usleep(20000);
	}
	session_cache = NULL;
	sess_cache_free(&s->cache);
	for (size_t i = 0; i < s->nclients; i++)
		close(s->clients[i].fd);
	for (size_t i = 0; i < s->drifts.n; i++)
		free(s->drifts.v[i]);
	free(s->drifts.v);
	config_free(s->pending);
	close(s->sfd);
	free(s->path);
}

int cmd_serve(struct cli *cli)
{
	struct service s = { .lfd = -1, .sfd = -1 };
	char err[512];
	sigset_t set;

	if (cli->nargs == 1 && strcmp(cli->args[0], "status") == 0)
		return serve_status(cli);
	if (cli->nargs)
		return cli_usage_error(cli, "serve takes nothing, or status");
	s.cfg = cli->cfg;
	s.path = xstrdup(cli->cfg->socket);
	pthread_mutex_init(&s.mu, NULL);
	/* The signals come through the loop; every thread started from here
	 * on has them blocked (a child program gets a clean mask: command.c). */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((s.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatalx("signalfd: %s", strerror(errno));
	if ((s.lfd = listen_on(s.path, err, sizeof err)) < 0) {
		fprintf(stderr, "fencer: %s\n", err);
		close(s.sfd);
		free(s.path);
		return EXIT_FAILED;
	}
	sess_cache_init(&s.cache, s.cfg);
	s.cache.alarm = session_alarm;
	the_service = &s;
	session_cache = &s.cache;
	s.next_probe_ms = mono_ms() + s.cfg->check_interval_ms;
	log_info("fencer serve: listening on %s, %zu switch%s kept warm", s.path, s.cache.n,
	    s.cache.n == 1 ? "" : "es");
	log_syslog(LOG_NOTICE, "serve: listening on %s", s.path);
	loop(&s);
	service_free(&s);
	cli->cfg = s.cfg;	/* main frees the one in force */
	log_syslog(LOG_NOTICE, "serve: stopped");
	return EXIT_OK;
}
