#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/deadline.h"
#include "fencer/log.h"
#include "fencer/state.h"

#define LOCK_FALLBACK_DIR "/run"

long long wall_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void fsync_dir(const char *path)
{
	char dir[4096];
	char *slash;
	int fd;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

int state_open(const char *path, int flags)
{
	struct stat st;
	int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0640);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;		/* "Invalid argument": a FIFO, a device, a folder */
		return -1;
	}
	return fd;
}

FILE *state_fopen(const char *path)
{
	int fd = state_open(path, O_RDONLY);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

/* The temporary file gets a name nobody can guess and is created, never
 * opened: a link or a file planted under a predicted name is not written
 * through. */
int atomic_write(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	return atomic_write_mode(path, data, len, 0640, err, errlen);
}

int atomic_write_mode(const char *path, const char *data, size_t len, unsigned mode, char *err, size_t errlen)
{
	char tmp[4096];
	int fd = -1;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= sizeof tmp) {
		errno = ENAMETOOLONG;
		tmp[0] = '\0';
		goto fail;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		tmp[0] = '\0';
		goto fail;
	}
	if (fchmod(fd, (mode_t)mode) < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	fsync_dir(path);
	return 0;
fail:
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	return -1;
}

static char *xdup(const char *s)
{
	return xstrdup(s ? s : "");
}

void fenced_set(struct fenced *f, const char *node, const char *sw, const char *port, const char *since,
    const char *state, int level)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].sw, sw) == 0 && strcmp(f->v[i].port, port) == 0) {
			/* keep the first "since": when it really went down */
			free(f->v[i].state);
			f->v[i].state = xdup(state);
			f->v[i].level = level;
			return;
		}
	f->v = xrealloc(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n++] = (struct fenced_port){ xdup(node), xdup(sw), xdup(port), xdup(since), xdup(state), level };
}

void fenced_add(struct fenced *f, const char *node, const char *sw, const char *port, const char *since)
{
	if (!fenced_find(f, sw, port))
		fenced_set(f, node, sw, port, since, FENCED_VERIFIED, 1);
}

const struct fenced_port *fenced_find(const struct fenced *f, const char *sw, const char *port)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].sw, sw) == 0 && strcmp(f->v[i].port, port) == 0)
			return &f->v[i];
	return NULL;
}

static void port_free(struct fenced_port *p)
{
	free(p->node);
	free(p->sw);
	free(p->port);
	free(p->since);
	free(p->state);
}

bool fenced_remove(struct fenced *f, const char *sw, const char *port)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].sw, sw) == 0 && strcmp(f->v[i].port, port) == 0) {
			port_free(&f->v[i]);
			memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof *f->v);
			f->n--;
			return true;
		}
	return false;
}

void fenced_free(struct fenced *f)
{
	for (size_t i = 0; i < f->n; i++)
		port_free(&f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

int fenced_load(const char *state_dir, struct fenced *f, char *err, size_t errlen)
{
	char path[4096];
	json_error_t jerr;
	json_t *doc, *ports, *p;
	size_t i;
	int fd;

	memset(f, 0, sizeof *f);
	snprintf(path, sizeof path, "%s/fenced.json", state_dir);
	if ((fd = state_open(path, O_RDONLY)) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	doc = json_loadfd(fd, 0, &jerr);
	close(fd);
	if (!doc) {
		snprintf(err, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	ports = json_object_get(doc, "ports");
	if (!json_is_array(ports)) {
		snprintf(err, errlen, "%s: no \"ports\" array", path);
		json_decref(doc);
		return -1;
	}
	json_array_foreach(ports, i, p) {
		const char *sw = json_string_value(json_object_get(p, "switch"));
		const char *port = json_string_value(json_object_get(p, "port"));

		const char *state = json_string_value(json_object_get(p, "state"));
		json_int_t level = json_integer_value(json_object_get(p, "level"));

		/* a record of a fencer before states: only verified ports; before
		 * levels: level 1, the only one there was */
		if (sw && port)
			fenced_set(f, json_string_value(json_object_get(p, "node")), sw, port,
			    json_string_value(json_object_get(p, "since")), state ? state : FENCED_VERIFIED,
			    level >= 1 && level <= 99 ? (int)level : 1);
	}
	json_decref(doc);
	return 0;
}

int fenced_save(const char *state_dir, const struct fenced *f, char *err, size_t errlen)
{
	char path[4096], *text;
	json_t *doc = json_object(), *ports = json_array();
	int rc;

	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(ports, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
		    "node", f->v[i].node, "switch", f->v[i].sw, "port", f->v[i].port,
		    "since", f->v[i].since, "state", f->v[i].state, "level", f->v[i].level));
	json_object_set_new(doc, "ports", ports);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	mkdir(state_dir, 0750);
	snprintf(path, sizeof path, "%s/fenced.json", state_dir);
	rc = atomic_write(path, text, strlen(text), err, errlen);
	free(text);
	return rc;
}

int lock_take(const char *state_dir, long wait_ms, bool *waited, char *err, size_t errlen)
{
	struct deadline dl;
	char path[4096];
	int fd;

	*waited = false;
	mkdir(state_dir, 0750);
	snprintf(path, sizeof path, "%s/lock", state_dir);
	if ((fd = state_open(path, O_RDWR | O_CREAT)) < 0 && (fd = state_open(path, O_RDONLY)) < 0) {
		/* A read-only or full state-dir must not stop the fencing: lock in
		 * /run instead, named after the state-dir so that every run that
		 * shares the state-dir shares the lock. */
		unsigned long h = 5381;

		for (const char *c = state_dir; *c; c++)
			h = h * 33 + (unsigned char)*c;
		log_warn("cannot open %s; locking %s/fencer-%lx.lock instead", path, LOCK_FALLBACK_DIR, h);
		snprintf(path, sizeof path, "%s/fencer-%lx.lock", LOCK_FALLBACK_DIR, h);
		if ((fd = state_open(path, O_RDWR | O_CREAT)) < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			return -1;
		}
	}
	deadline_start(&dl, wait_ms);
	/* Poll rather than block: the wait must end at the deadline, and a
	 * holder killed with -9 releases the lock with its last fd. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", path, strerror(errno));
			goto fail;
		}
		*waited = true;
		if (deadline_passed(&dl)) {
			snprintf(err, errlen, "another fencer run still holds %s after %ld ms", path, wait_ms);
			goto fail;
		}
		usleep(2000);
	}
	return fd;
fail:
	close(fd);
	return -1;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* state-dir/NAME as JSON: the small records below share this. */
static int state_json_save(const char *state_dir, const char *name, json_t *doc)
{
	char path[4096], err[256], *text = json_dumps(doc, JSON_COMPACT);
	int rc;

	json_decref(doc);
	if (!text)
		return -1;
	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	rc = atomic_write(path, text, strlen(text), err, sizeof err);
	free(text);
	return rc;
}

static json_t *state_json_load(const char *state_dir, const char *name)
{
	char path[4096];
	json_error_t jerr;
	json_t *doc;
	int fd;

	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	if ((fd = state_open(path, O_RDONLY)) < 0)
		return NULL;
	doc = json_loadfd(fd, 0, &jerr);
	close(fd);
	return doc;
}

int last_result_save(const char *state_dir, const struct last_result *lr)
{
	return state_json_save(state_dir, "last-promote.json", json_pack("{s:I, s:I, s:i, s:s}",
	    "finished_ms", (json_int_t)lr->finished_ms, "duration_ms", (json_int_t)lr->duration_ms,
	    "exit_code", lr->exit_code, "summary", lr->summary));
}

int last_result_load(const char *state_dir, struct last_result *lr)
{
	json_t *doc = state_json_load(state_dir, "last-promote.json");
	const char *summary;

	if (!doc)
		return -1;
	lr->finished_ms = json_integer_value(json_object_get(doc, "finished_ms"));
	lr->duration_ms = (long)json_integer_value(json_object_get(doc, "duration_ms"));
	lr->exit_code = (int)json_integer_value(json_object_get(doc, "exit_code"));
	summary = json_string_value(json_object_get(doc, "summary"));
	snprintf(lr->summary, sizeof lr->summary, "%s", summary ? summary : "");
	json_decref(doc);
	return 0;
}

void invocation_now(struct invocation *inv)
{
	struct timespec ts;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	inv->boot_id[0] = '\0';
	if (f) {
		if (!fgets(inv->boot_id, sizeof inv->boot_id, f))
			inv->boot_id[0] = '\0';
		inv->boot_id[strcspn(inv->boot_id, "\n")] = '\0';
		fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	inv->mono_us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool invocation_after(const struct invocation *a, const struct invocation *b)
{
	return a->boot_id[0] && strcmp(a->boot_id, b->boot_id) == 0 && a->mono_us > b->mono_us;
}

int transition_load(const char *state_dir, char *command, size_t len, struct invocation *inv)
{
	json_t *doc = state_json_load(state_dir, "last-transition.json");
	const char *c, *boot;

	if (!doc)
		return -1;
	c = json_string_value(json_object_get(doc, "command"));
	boot = json_string_value(json_object_get(doc, "boot_id"));
	snprintf(command, len, "%s", c ? c : "");
	snprintf(inv->boot_id, sizeof inv->boot_id, "%s", boot ? boot : "");
	inv->mono_us = json_integer_value(json_object_get(doc, "invoked_mono_us"));
	json_decref(doc);
	return 0;
}

int transition_save(const char *state_dir, const char *command, const struct invocation *inv)
{
	return state_json_save(state_dir, "last-transition.json", json_pack("{s:s, s:s, s:I}", "command",
	    command, "boot_id", inv->boot_id, "invoked_mono_us", (json_int_t)inv->mono_us));
}

/* ---- wiring.json ------------------------------------------------------------- */

void wiring_record_add(struct wiring_record *r, const struct wiring_entry *e)
{
	r->v = xrealloc(r->v, r->n + 1, sizeof *r->v);
	r->v[r->n++] = *e;
}

void wiring_record_free(struct wiring_record *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static void copy_field(char *dst, size_t len, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	snprintf(dst, len, "%s", v ? v : "");
}

int wiring_record_load(const char *state_dir, struct wiring_record *r)
{
	char path[4096];
	json_t *doc, *ports, *p;
	size_t i;

	memset(r, 0, sizeof *r);
	snprintf(path, sizeof path, "%s/wiring.json", state_dir);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (!(doc = state_json_load(state_dir, "wiring.json")))
		return -1;
	ports = json_object_get(doc, "ports");
	json_array_foreach(ports, i, p) {
		struct wiring_entry e = { 0 };

		copy_field(e.sw, sizeof e.sw, p, "switch");
		copy_field(e.port, sizeof e.port, p, "port");
		copy_field(e.node, sizeof e.node, p, "node");
		copy_field(e.status, sizeof e.status, p, "status");
		copy_field(e.leads_to, sizeof e.leads_to, p, "leads_to");
		copy_field(e.reason, sizeof e.reason, p, "reason");
		copy_field(e.time, sizeof e.time, p, "time");
		copy_field(e.checked.boot_id, sizeof e.checked.boot_id, p, "boot_id");
		e.checked.mono_us = json_integer_value(json_object_get(p, "checked_mono_us"));
		wiring_record_add(r, &e);
	}
	json_decref(doc);
	return 0;
}

int wiring_record_save(const char *state_dir, const struct wiring_record *r)
{
	json_t *ports = json_array();

	for (size_t i = 0; i < r->n; i++) {
		const struct wiring_entry *e = &r->v[i];

		json_array_append_new(ports, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
		    "switch", e->sw, "port", e->port, "node", e->node, "status", e->status, "leads_to", e->leads_to,
		    "reason", e->reason, "time", e->time, "boot_id", e->checked.boot_id, "checked_mono_us",
		    (json_int_t)e->checked.mono_us));
	}
	mkdir(state_dir, 0750);
	return state_json_save(state_dir, "wiring.json", json_pack("{s:o}", "ports", ports));
}
