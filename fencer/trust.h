/* The files fencer trusts: its configuration, its secrets, the programs it
 * runs and its state folder. fencer runs as root and does what they say, so
 * each of them, and every folder on the way to it, must belong to root or to
 * the user fencer runs as and be writable by nobody else (ssh's StrictModes,
 * OpenBSD's check_file_secrecy). fencer.conf(5) states the rule. */
#ifndef FENCER_TRUST_H
#define FENCER_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum trust_kind {
	TRUST_CONFIG,		/* group and others may read, never write */
	TRUST_SECRET,		/* group and others have no access at all */
	TRUST_PROGRAM,		/* TRUST_CONFIG, and executable */
};

/* Check every folder met on the way to path and every symbolic link
 * followed, and return the path with no link left in it (in resolved, of
 * len bytes). The last component itself is not looked at: it need not
 * exist. 0, or -1 with err set. */
int trust_path(const char *path, char *resolved, size_t len, char *err, size_t errlen);

/* trust_path, then open the file (O_NOFOLLOW on the resolved path,
 * O_NONBLOCK: a FIFO never blocks, O_CLOEXEC) and check the open file: a
 * regular file, its owner, its mode by kind, at most max bytes. Returns the
 * descriptor, or -1 with err set (errno ENOENT when it does not exist). */
int trust_open(const char *path, enum trust_kind, off_t max, char *err, size_t errlen);

/* A folder fencer writes in (state-dir): trust_path, and the folder itself,
 * when it exists, belongs to root or this user and is writable by nobody
 * else. A folder that does not exist yet passes: fencer creates it. */
int trust_folder(const char *path, char *err, size_t errlen);

/* Read a whole trusted file of at most max bytes into buf (NUL-terminated,
 * buf holds max + 1). Returns the length, or -1 with err set. */
ssize_t trust_read(const char *path, enum trust_kind, char *buf, size_t max, char *err, size_t errlen);

#endif
