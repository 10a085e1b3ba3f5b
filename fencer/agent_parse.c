#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fencer/agent_parse.h"

void agent_opts_init(struct agent_opts *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->action, sizeof o->action, "off");	/* the agents' default */
}

/* Copy a value, refusing what could not be a name or a path: control
 * characters never reach a switch or a log line. */
static int set(char *dst, size_t len, const char *v, size_t vlen)
{
	if (vlen >= len)
		return -1;
	for (size_t i = 0; i < vlen; i++)
		if (iscntrl((unsigned char)v[i]))
			return -1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	return 0;
}

static int assign(struct agent_opts *o, const char *key, size_t klen, const char *v, size_t vlen)
{
#define IS(name) (klen == strlen(name) && strncmp(key, name, klen) == 0)
	if (IS("action") || IS("option"))	/* "option" is the old name */
		return set(o->action, sizeof o->action, v, vlen);
	if (IS("port") || IS("plug"))
		return set(o->port, sizeof o->port, v, vlen);
	if (IS("config"))
		return set(o->config, sizeof o->config, v, vlen);
	if (IS("nodename"))
		return set(o->nodename, sizeof o->nodename, v, vlen);
	if (IS("verbose")) {
		o->verbose = 1;
		return 0;
	}
#undef IS
	return 0;	/* unknown keys are ignored, as the agents do */
}

int agent_parse_line(struct agent_opts *o, const char *line)
{
	const char *end = line + strlen(line), *eq, *k, *v;

	while (*line == ' ' || *line == '\t')
		line++;
	while (end > line && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (line == end || *line == '#')
		return 0;
	eq = memchr(line, '=', (size_t)(end - line));
	if (!eq || eq == line) {
		o->bad_lines++;
		return -1;
	}
	k = line;
	v = eq + 1;
	if (assign(o, k, (size_t)(eq - k), v, (size_t)(end - v)) < 0) {
		o->bad_lines++;
		return -1;
	}
	return 0;
}

int agent_parse_input(struct agent_opts *o, const char *data, size_t len)
{
	char line[AGENT_LINE_MAX + 1];
	int bad = o->bad_lines;

	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) : len;

		if (n > AGENT_LINE_MAX || memchr(data, '\0', n)) {
			o->bad_lines++;
		} else {
			memcpy(line, data, n);
			line[n] = '\0';
			agent_parse_line(o, line);
		}
		data += n + (nl != NULL);
		len -= n + (nl != NULL);
	}
	return o->bad_lines - bad;
}

static int short_opt(struct agent_opts *o, char opt, const char *v)
{
	if (!v)
		return -1;
	switch (opt) {
	case 'o': return set(o->action, sizeof o->action, v, strlen(v));
	case 'n': return set(o->port, sizeof o->port, v, strlen(v));
	case 'c': return set(o->config, sizeof o->config, v, strlen(v));
	default: return -1;
	}
}

int agent_parse_args(struct agent_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--", 2) == 0) {
			const char *eq = strchr(a + 2, '=');
			char key[64];

			if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
				o->verbose = 1;
				continue;
			}
			snprintf(key, sizeof key, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a + 2)), a + 2);
			if (eq ? assign(o, key, strlen(key), eq + 1, strlen(eq + 1)) < 0 :
			    (i + 1 >= argc || assign(o, key, strlen(key), argv[i + 1], strlen(argv[i + 1])) < 0))
				return -1;
			if (!eq)
				i++;
		} else if (a[0] == '-' && a[1] && !a[2]) {
			if (a[1] == 'v') {
				o->verbose = 1;
				continue;
			}
			if (short_opt(o, a[1], i + 1 < argc ? argv[i + 1] : NULL) < 0)
				return -1;
			i++;
		} else {
			return -1;
		}
	}
	return 0;
}
