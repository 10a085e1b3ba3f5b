#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char dir[256];

const char *tu_tmpdir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/fencer-unit-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

void tu_cleanup(void)
{
	char cmd[300];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	dir[0] = '\0';
}

char *tu_write_n(const char *name, const char *data, size_t len, unsigned mode)
{
	static char paths[16][512];
	static int next;
	char *path = paths[next++ % 16];
	FILE *fp;

	snprintf(path, 512, "%s/%s", tu_tmpdir(), name);
	unlink(path);
	fp = fopen(path, "w");
	if (!fp)
		abort();
	if (len && fwrite(data, 1, len, fp) != len)
		abort();
	fclose(fp);
	chmod(path, mode);
	return path;
}

char *tu_write(const char *name, const char *text, unsigned mode)
{
	return tu_write_n(name, text, strlen(text), mode);
}

struct config *tu_config(const char *text, struct cfg_errors *errs)
{
	return config_load(tu_write("fencer.conf", text, 0600), errs);
}

int tu_has_error(const struct cfg_errors *e, int line, const char *part)
{
	char tag[32];

	snprintf(tag, sizeof tag, ":%d: ", line);
	for (size_t i = 0; i < e->lines.n; i++)
		if (strstr(e->lines.v[i], tag) && strstr(e->lines.v[i], part))
			return 1;
	tu_print_errors(e);
	return 0;
}

void tu_print_errors(const struct cfg_errors *e)
{
	for (size_t i = 0; i < e->lines.n; i++)
		fprintf(stderr, "  error: %s\n", e->lines.v[i]);
}
