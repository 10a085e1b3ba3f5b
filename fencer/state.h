/* Persistent state in state-dir: the ports fencer has shut (fenced.json),
 * the outcome of the last promote (last-promote.json, for a concurrent
 * promote to report), and the run lock. Files are written atomically:
 * temp file, fsync, rename, fsync of the folder. */
#ifndef FENCER_STATE_H
#define FENCER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What fencer knows of a port it shut. */
#define FENCED_VERIFIED "fenced"		/* read back down */
#define FENCED_SENT "sent, not verified"	/* the shutdown left, no read-back held */

struct fenced_port {
	char *node;
	char *sw;
	char *port;
	char *since;		/* RFC 3339: when the shutdown was first sent */
	char *state;		/* FENCED_VERIFIED or FENCED_SENT */
	int level;		/* the fencing level that shut it (1: a port = line) */
};

struct fenced {
	struct fenced_port *v;
	size_t n;
};

/* A missing file is an empty set; a corrupt one is an error (never guessed). */
int fenced_load(const char *state_dir, struct fenced *, char *err, size_t errlen);
int fenced_save(const char *state_dir, const struct fenced *, char *err, size_t errlen);
void fenced_add(struct fenced *, const char *node, const char *sw, const char *port, const char *since);
/* Add, or set the state of a port already there (its since is kept). */
void fenced_set(struct fenced *, const char *node, const char *sw, const char *port, const char *since,
    const char *state, int level);
bool fenced_remove(struct fenced *, const char *sw, const char *port);
const struct fenced_port *fenced_find(const struct fenced *, const char *sw, const char *port);
void fenced_free(struct fenced *);

/* Write a whole file atomically, mode 0640: a temporary file created under
 * a random name (O_EXCL), fsync, rename, fsync of the folder. */
int atomic_write(const char *path, const char *data, size_t len, char *err, size_t errlen);
/* The same with the mode given, whatever the umask. */
int atomic_write_mode(const char *path, const char *data, size_t len, unsigned mode, char *err, size_t errlen);
/* Open a file of state-dir (flags: O_RDONLY, O_RDWR | O_CREAT, ...) never
 * through a symbolic link and never blocking (O_NOFOLLOW, O_NONBLOCK,
 * O_CLOEXEC), and only a regular file: a FIFO planted there must not hang
 * a promote. -1 with errno set. */
int state_open(const char *path, int flags);
/* The same for reading, as a stream. */
FILE *state_fopen(const char *path);

/* The run lock: state-dir/lock, flock. lock_take waits up to wait_ms for a
 * run in progress; *waited says whether it had to. Returns the fd or -1. */
int lock_take(const char *state_dir, long wait_ms, bool *waited, char *err, size_t errlen);
void lock_release(int fd);

/* The last promote's outcome, so a promote that waited for another one can
 * report it instead of fencing again. */
struct last_result {
	long long finished_ms;	/* wall clock, ms since the epoch */
	long duration_ms;	/* from the start of the command to its end */
	int exit_code;
	char summary[512];
};
int last_result_save(const char *state_dir, const struct last_result *);
int last_result_load(const char *state_dir, struct last_result *);
long long wall_ms(void);

/* When a command was invoked: the monotonic clock, which no NTP step
 * moves, and the boot it counts from (/proc/sys/kernel/random/boot_id). */
struct invocation {
	char boot_id[40];		/* "" when the kernel did not say */
	long long mono_us;
};
void invocation_now(struct invocation *);
/* True only when both are of the same boot and `a` came after `b`: across
 * a reboot, or with no boot id, nothing is known to be later. */
bool invocation_after(const struct invocation *a, const struct invocation *b);

/* The last promote or demote that ran, by when it was invoked: keepalived
 * forks notify_backup and notify_master back to back without waiting, and
 * the two may reach the lock in either order. The one invoked last wins.
 * A record of another boot (or of a fencer that kept the wall clock) is
 * loaded with an empty boot id. */
int transition_load(const char *state_dir, char *command, size_t len, struct invocation *);
int transition_save(const char *state_dir, const char *command, const struct invocation *);

/* The wiring check's findings, port by port (state-dir/wiring.json), so
 * that a promote can use a recent one without asking a switch. */
struct wiring_entry {
	char sw[64];
	char port[80];
	char node[64];			/* the node the port was configured for */
	char status[16];		/* wiring_status_name(): ok, wrong, unknown */
	char leads_to[64];		/* the node the evidence showed, "" for none */
	char reason[512];
	char time[32];			/* RFC 3339, for people */
	struct invocation checked;	/* when, on this boot's monotonic clock */
};

struct wiring_record {
	struct wiring_entry *v;
	size_t n;
};

/* A missing file is an empty record; an unreadable one fails. */
int wiring_record_load(const char *state_dir, struct wiring_record *);
int wiring_record_save(const char *state_dir, const struct wiring_record *);
void wiring_record_add(struct wiring_record *, const struct wiring_entry *);
void wiring_record_free(struct wiring_record *);

#endif
