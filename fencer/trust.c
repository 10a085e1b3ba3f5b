/*
 * The files fencer trusts. A path is walked one component at a time from
 * the root, as the kernel would resolve it: every folder met must belong to
 * root or to the user fencer runs as and be writable by nobody else, and
 * every symbolic link followed must belong to one of them too (its target
 * is then walked the same way). A folder others may write is safe only when
 * it is sticky and root's, as /tmp: there nobody can rename or remove what
 * is not theirs (OpenSSH and systemd make the same exception). The walk
 * ends with a path that holds no link, which is opened with O_NOFOLLOW and
 * checked again through the open descriptor: what is checked is what is
 * read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fencer/trust.h"

#define MAX_LINKS 40		/* the kernel's own limit */

static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* "uid 65534 (nobody)" */
static const char *user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *found = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof tmp, &found) == 0 && found)
		snprintf(buf, len, "uid %u (%s)", (unsigned)uid, found->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/* "root", or "root or uid 1000 (alice), who runs fencer" */
static const char *allowed_owners(char *buf, size_t len)
{
	char me[300];

	if (geteuid() == 0)
		snprintf(buf, len, "root");
	else
		snprintf(buf, len, "root or %s, who runs fencer", user_name(geteuid(), me, sizeof me));
	return buf;
}

static int not_owned(const char *what, const char *path, uid_t uid, char *err, size_t errlen)
{
	char who[300], ok[400];

	snprintf(err, errlen, "%s %s belongs to %s, not to %s: its owner could make fencer do anything; "
	    "run chown %sroot %s", what, path, user_name(uid, who, sizeof who),
	    allowed_owners(ok, sizeof ok), strcmp(what, "symbolic link") == 0 ? "-h " : "", path);
	return -1;
}

/* A folder on the way to a trusted file. sticky_ok: the root-owned sticky
 * exception applies (it does not for the state folder itself, where others
 * could still create the names fencer is about to use). */
static int folder_ok(const char *dir, const struct stat *st, bool sticky_ok, char *err, size_t errlen)
{
	if (!owner_ok(st->st_uid))
		return not_owned("folder", dir, st->st_uid, err, errlen);
	if ((st->st_mode & 022) && !(sticky_ok && (st->st_mode & S_ISVTX) && st->st_uid == 0)) {
		snprintf(err, errlen, "folder %s is writable by group or others (mode %04o): anyone who can "
		    "write there can replace what fencer reads; run chmod go-w %s",
		    dir, (unsigned)(st->st_mode & 07777), dir);
		return -1;
	}
	return 0;
}

static int walk_error(const char *path, int e, char *err, size_t errlen)
{
	snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
	errno = e;
	return -1;
}

/* Take the next component of *rest into comp: 1, 0 when none is left, -1
 * when it is longer than a name may be. */
static int next_component(const char **rest, char *comp, size_t len)
{
	const char *s = *rest;
	size_t n;

	while (*s == '/')
		s++;
	if (!(n = strcspn(s, "/")))
		return 0;
	if (n >= len)
		return -1;
	memcpy(comp, s, n);
	comp[n] = '\0';
	*rest = s + n;
	return 1;
}

static bool only_slashes(const char *s)
{
	return s[strspn(s, "/")] == '\0';
}

/* Follow the link at `at` (in done): the walk goes on with its target,
 * then what was left of the path. */
static int follow_link(const char *at, const struct stat *st, char *done, char *todo, size_t todolen,
    const char *rest, char *err, size_t errlen)
{
	char target[PATH_MAX], left[PATH_MAX * 2];
	ssize_t n;

	if (!owner_ok(st->st_uid))
		return not_owned("symbolic link", at, st->st_uid, err, errlen);
	if ((n = readlink(at, target, sizeof target - 1)) < 0)
		return walk_error(at, errno, err, errlen);
	target[n] = '\0';
	snprintf(left, sizeof left, "%s", rest);
	if ((size_t)snprintf(todo, todolen, "%s/%s", target, left) >= todolen)
		return walk_error(at, ENAMETOOLONG, err, errlen);
	if (target[0] == '/')
		done[0] = '\0';
	return 0;
}

static int resolved_as(char *resolved, size_t len, const char *walked, const char *rest,
    const char *path, char *err, size_t errlen)
{
	if ((size_t)snprintf(resolved, len, "%s%s", *walked ? walked : "/", rest) >= len)
		return walk_error(path, ENAMETOOLONG, err, errlen);
	return 0;
}

int trust_path(const char *path, char *resolved, size_t len, char *err, size_t errlen)
{
	char todo[PATH_MAX * 2], done[PATH_MAX] = "", comp[NAME_MAX + 1], next[PATH_MAX + NAME_MAX + 2];
	const char *rest;
	int links = 0, more;
	struct stat st;

	if (path[0] == '/')
		snprintf(todo, sizeof todo, "%s", path);
	else if (!getcwd(done, sizeof done))
		return walk_error(path, errno, err, errlen);
	else if ((size_t)snprintf(todo, sizeof todo, "%s/%s", done, path) >= sizeof todo)
		return walk_error(path, ENAMETOOLONG, err, errlen);
	done[0] = '\0';
	if (stat("/", &st) < 0 || folder_ok("/", &st, true, err, errlen) < 0)
		return -1;
	rest = todo;
	while ((more = next_component(&rest, comp, sizeof comp)) > 0) {
		bool last = only_slashes(rest);

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {	/* done holds no link: cut it */
			if (done[0])
				*strrchr(done, '/') = '\0';
			continue;
		}
		if ((size_t)snprintf(next, sizeof next, "%s/%s", done, comp) >= PATH_MAX)
			return walk_error(path, ENAMETOOLONG, err, errlen);
		if (lstat(next, &st) < 0) {
			if (errno == ENOENT)	/* nothing there yet to trust or fear */
				return resolved_as(resolved, len, next, rest, path, err, errlen);
			return walk_error(next, errno, err, errlen);
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > MAX_LINKS)
				return walk_error(path, ELOOP, err, errlen);
			if (follow_link(next, &st, done, todo, sizeof todo, rest, err, errlen) < 0)
				return -1;
			rest = todo;
			continue;
		}
		if (last)
			return resolved_as(resolved, len, next, "", path, err, errlen);
		if (!S_ISDIR(st.st_mode))
			return walk_error(next, ENOTDIR, err, errlen);
		if (folder_ok(next, &st, true, err, errlen) < 0)
			return -1;
		memcpy(done, next, strlen(next) + 1);
	}
	if (more < 0)
		return walk_error(path, ENAMETOOLONG, err, errlen);
	return resolved_as(resolved, len, done, "", path, err, errlen);
}

static const char *kind_noun(enum trust_kind kind)
{
	return kind == TRUST_SECRET ? "secret file" : kind == TRUST_PROGRAM ? "program" : "file";
}

/* The open file itself: what it is, whose, who may change or read it. */
static int file_ok(const char *path, const struct stat *st, enum trust_kind kind, off_t max,
    char *err, size_t errlen)
{
	const char *what = kind_noun(kind);
	unsigned mode = (unsigned)(st->st_mode & 07777);

	if (!S_ISREG(st->st_mode))
		snprintf(err, errlen, "%s %s is not a regular file", what, path);
	else if (!owner_ok(st->st_uid))
		return not_owned(what, path, st->st_uid, err, errlen);
	else if (kind == TRUST_SECRET && (mode & 077))
		snprintf(err, errlen, "secret file %s is accessible by group or others (mode %03o): "
		    "run chmod 600 %s", path, mode, path);
	else if (kind != TRUST_SECRET && (mode & 022))
		snprintf(err, errlen, "%s %s is writable by group or others (mode %03o): anyone who can "
		    "edit it can %s; run chmod go-w %s", what, path, mode,
		    kind == TRUST_PROGRAM ? "run anything as the user fencer runs as" : "shut your switch ports",
		    path);
	else if (kind == TRUST_PROGRAM && !(mode & 0100))
		snprintf(err, errlen, "program %s is not executable: run chmod u+x %s", path, path);
	else if (max >= 0 && st->st_size > max)
		snprintf(err, errlen, "%s %s is larger than %lld bytes", what, path, (long long)max);
	else
		return 0;
	return -1;
}

int trust_open(const char *path, enum trust_kind kind, off_t max, char *err, size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;
	int fd, e;

	if (trust_path(path, real, sizeof real, err, errlen) < 0)
		return -1;
	if ((fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot read %s %s: %s", kind_noun(kind), path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0 || file_ok(path, &st, kind, max, err, errlen) < 0) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int trust_folder(const char *path, char *err, size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;

	if (trust_path(path, real, sizeof real, err, errlen) < 0)
		return -1;
	if (lstat(real, &st) < 0)
		return errno == ENOENT ? 0 : walk_error(path, errno, err, errlen);
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a folder", path);
		return -1;
	}
	return folder_ok(path, &st, false, err, errlen);
}

ssize_t trust_read(const char *path, enum trust_kind kind, char *buf, size_t max, char *err, size_t errlen)
{
	size_t used = 0;
	ssize_t n = 0;
	int fd = trust_open(path, kind, (off_t)max, err, errlen);

	if (fd < 0)
		return -1;
	/* Up to one byte past max: a file that grew since fstat is caught. */
	while (used <= max && ((n = read(fd, buf + used, max + 1 - used)) > 0 || (n < 0 && errno == EINTR)))
		used += n > 0 ? (size_t)n : 0;
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "cannot read %s %s: %s", kind_noun(kind), path, strerror(errno));
		return -1;
	}
	if (used > max) {
		snprintf(err, errlen, "%s %s is larger than %zu bytes", kind_noun(kind), path, max);
		return -1;
	}
	buf[used] = '\0';
	return (ssize_t)used;
}
