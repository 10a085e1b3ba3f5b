/* The files fencer trusts (fencer/trust.h): owners and modes of a file and
 * of every folder on the way to it, symbolic links, the sticky exception,
 * what is not a regular file, sizes. Ownership cases need root (chown to
 * nobody) and are skipped without it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "fencer/trust.h"

#define NOBODY 65534

static char err[1024];

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

/* tmpdir/name as a folder of that mode (and owner, when uid >= 0). */
static const char *folder(const char *name, unsigned mode, int uid)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, mode), 0);
	if (uid >= 0)
		assert_int_equal(chown(p, (uid_t)uid, (gid_t)-1), 0);
	return p;
}

static int opens(const char *path, enum trust_kind kind)
{
	int fd = trust_open(path, kind, 4096, err, sizeof err);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -1;
}

static void test_modes_by_kind(void **state)
{
	const char *secret = tu_write("s.pw", "x\n", 0600);
	const char *conf = tu_write("f.conf", "[fencer]\n", 0644);
	const char *loose = tu_write("g.conf", "[fencer]\n", 0664);
	const char *prog = tu_write("agent", "#!/bin/sh\n", 0755);
	const char *noexec = tu_write("agent2", "#!/bin/sh\n", 0644);

	(void)state;
	assert_int_equal(opens(secret, TRUST_SECRET), 0);
	assert_int_equal(opens(conf, TRUST_CONFIG), 0);
	assert_int_equal(opens(conf, TRUST_SECRET), -1);	/* others may read it */
	assert_non_null(strstr(err, "chmod 600"));
	assert_int_equal(opens(loose, TRUST_CONFIG), -1);
	assert_non_null(strstr(err, "writable by group or others (mode 664)"));
	assert_non_null(strstr(err, "chmod go-w"));
	assert_int_equal(opens(prog, TRUST_PROGRAM), 0);
	assert_int_equal(opens(noexec, TRUST_PROGRAM), -1);
	assert_non_null(strstr(err, "not executable"));
}

static void test_owner_of_the_file(void **state)
{
	const char *secret = tu_write("nobody.pw", "x\n", 0600);

	(void)state;
	need_root();
	assert_int_equal(chown(secret, NOBODY, (gid_t)-1), 0);
	assert_int_equal(opens(secret, TRUST_SECRET), -1);
	assert_non_null(strstr(err, "belongs to uid 65534"));
	assert_non_null(strstr(err, "chown root"));
}

/* A folder on the way: owned by someone else, writable by others, or
 * sticky (/tmp): only root's sticky folder is safe. */
static void test_folders_on_the_way(void **state)
{
	char path[600];
	const char *theirs = folder("theirs", 0755, NOBODY);
	const char *open = folder("open", 0777, -1);
	const char *tmp = folder("tmp", 01777, -1);
	const char *their_tmp = folder("their-tmp", 01777, NOBODY);
	const char *group = folder("group", 0775, -1);

	(void)state;
	need_root();
	snprintf(path, sizeof path, "%s/f.conf", theirs);
	tu_write("theirs/f.conf", "[fencer]\n", 0600);
	assert_int_equal(opens(path, TRUST_CONFIG), -1);
	assert_non_null(strstr(err, "folder"));
	assert_non_null(strstr(err, "belongs to uid 65534"));
	snprintf(path, sizeof path, "%s/f.conf", open);
	tu_write("open/f.conf", "[fencer]\n", 0600);
	assert_int_equal(opens(path, TRUST_CONFIG), -1);
	assert_non_null(strstr(err, "is writable by group or others (mode 0777)"));
	snprintf(path, sizeof path, "%s/f.conf", group);
	tu_write("group/f.conf", "[fencer]\n", 0600);
	assert_int_equal(opens(path, TRUST_CONFIG), -1);
	snprintf(path, sizeof path, "%s/f.conf", tmp);
	tu_write("tmp/f.conf", "[fencer]\n", 0600);
	assert_int_equal(opens(path, TRUST_CONFIG), 0);		/* like /tmp */
	snprintf(path, sizeof path, "%s/f.conf", their_tmp);
	tu_write("their-tmp/f.conf", "[fencer]\n", 0600);
	assert_int_equal(opens(path, TRUST_CONFIG), -1);
}

/* Links are followed when their owner is trusted; the target's folders are
 * checked too, and a link planted by someone else is refused. */
static void test_links(void **state)
{
	char link[600], target[600], bad[600];
	const char *open = folder("open", 0777, -1);

	(void)state;
	need_root();
	snprintf(target, sizeof target, "%s/real.pw", tu_tmpdir());
	tu_write("real.pw", "x\n", 0600);
	snprintf(link, sizeof link, "%s/link.pw", tu_tmpdir());
	assert_int_equal(symlink("real.pw", link), 0);		/* relative */
	assert_int_equal(opens(link, TRUST_SECRET), 0);
	assert_int_equal(lchown(link, NOBODY, (gid_t)-1), 0);
	assert_int_equal(opens(link, TRUST_SECRET), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_non_null(strstr(err, "belongs to uid 65534"));
	/* A trusted link into a folder anyone may write. */
	tu_write("open/x.pw", "x\n", 0600);
	snprintf(bad, sizeof bad, "%s/via.pw", tu_tmpdir());
	snprintf(target, sizeof target, "%s/x.pw", open);
	assert_int_equal(symlink(target, bad), 0);
	assert_int_equal(opens(bad, TRUST_SECRET), -1);
	assert_non_null(strstr(err, "writable by group or others"));
	/* A loop ends. */
	snprintf(link, sizeof link, "%s/loop", tu_tmpdir());
	assert_int_equal(symlink("loop", link), 0);
	assert_int_equal(opens(link, TRUST_SECRET), -1);
}

static void test_dot_dot_and_relative(void **state)
{
	char path[600], cwd[512];

	(void)state;
	folder("d", 0755, -1);
	tu_write("f.conf", "[fencer]\n", 0600);
	snprintf(path, sizeof path, "%s/d/../f.conf", tu_tmpdir());
	assert_int_equal(opens(path, TRUST_CONFIG), 0);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tu_tmpdir()), 0);
	assert_int_equal(opens("f.conf", TRUST_CONFIG), 0);
	assert_int_equal(opens("d/../f.conf", TRUST_CONFIG), 0);
	assert_int_equal(chdir(cwd), 0);
}

static void on_alarm(int sig)
{
	(void)sig;
	fail_msg("opening a FIFO blocked");
}

/* A FIFO, a folder, a device: refused at once, never waited on. */
static void test_not_a_regular_file(void **state)
{
	char fifo[600];

	(void)state;
	snprintf(fifo, sizeof fifo, "%s/fifo.pw", tu_tmpdir());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, on_alarm);
	alarm(10);
	assert_int_equal(opens(fifo, TRUST_SECRET), -1);
	alarm(0);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(opens(tu_tmpdir(), TRUST_CONFIG), -1);
	assert_int_equal(opens("/dev/null", TRUST_CONFIG), -1);
}

static void test_size_and_read(void **state)
{
	const char *big = tu_write("big.pw", "0123456789A", 0600);
	char buf[16];

	(void)state;
	assert_int_equal(trust_open(big, TRUST_SECRET, 10, err, sizeof err), -1);
	assert_non_null(strstr(err, "larger than 10 bytes"));
	assert_int_equal(trust_read(big, TRUST_SECRET, buf, 10, err, sizeof err), -1);
	assert_int_equal(trust_read(big, TRUST_SECRET, buf, 11, err, sizeof err), 11);
	assert_string_equal(buf, "0123456789A");
	assert_int_equal(trust_open("/nonexistent/x", TRUST_SECRET, 10, err, sizeof err), -1);
	assert_int_equal(errno, ENOENT);
}

/* The state folder: it need not exist yet; when it does, nobody else may
 * write in it, sticky or not. */
static void test_state_folder(void **state)
{
	char path[600];

	(void)state;
	snprintf(path, sizeof path, "%s/not-yet", tu_tmpdir());
	assert_int_equal(trust_folder(path, err, sizeof err), 0);
	assert_int_equal(trust_folder(folder("mine", 0750, -1), err, sizeof err), 0);
	assert_int_equal(trust_folder(folder("open", 0777, -1), err, sizeof err), -1);
	assert_int_equal(trust_folder(folder("sticky", 01777, -1), err, sizeof err), -1);
	assert_int_equal(trust_folder(tu_write("file", "", 0600), err, sizeof err), -1);
	assert_non_null(strstr(err, "not a folder"));
	need_root();
	assert_int_equal(trust_folder(folder("theirs", 0700, NOBODY), err, sizeof err), -1);
	assert_non_null(strstr(err, "belongs to uid 65534"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_modes_by_kind, teardown),
		cmocka_unit_test_teardown(test_owner_of_the_file, teardown),
		cmocka_unit_test_teardown(test_folders_on_the_way, teardown),
		cmocka_unit_test_teardown(test_links, teardown),
		cmocka_unit_test_teardown(test_dot_dot_and_relative, teardown),
		cmocka_unit_test_teardown(test_not_a_regular_file, teardown),
		cmocka_unit_test_teardown(test_size_and_read, teardown),
		cmocka_unit_test_teardown(test_state_folder, teardown),
	};

	return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}
