/* Dell OS6 / OS10 CLI output parsing (see dell_parse.h). Pure functions. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/dell_parse.h"
#include "drivers/ios_parse.h"

static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

static bool mode_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '/' || c == '.' || c == ':';
}

/* name>  name#  name(config)#  name(config-if-Gi1/0/1)#  name(conf-if-eth1/1/1)# */
bool dell_prompt_parse(const char *line, const char *host, struct swcli_prompt *p)
{
	size_t n = strlen(line), h = 0;
	const char *paren;
	char last;

	if (n < 2 || n > SWCLI_HOST_MAX + 60)
		return false;
	last = line[n - 1];
	if (last != '>' && last != '#')
		return false;
	while (h < n - 1 && host_char(line[h]))
		h++;
	if (h == 0 || h >= SWCLI_HOST_MAX)
		return false;
	if (host && *host && (strlen(host) != h || strncmp(line, host, h) != 0))
		return false;
	paren = line + h;
	if (*paren == '(') {
		const char *close = line + n - 2;

		if (last != '#' || *close != ')' || strncmp(paren, "(conf", 5) != 0)
			return false;
		for (const char *c = paren + 1; c < close; c++)
			if (!mode_char(*c))
				return false;
		p->mode = close == paren + 7 && strncmp(paren, "(config)", 8) == 0 ? DELL_CONFIG : DELL_CONFIG_SUB;
	} else if (paren == line + n - 1) {
		p->mode = last == '>' ? DELL_USER : DELL_PRIV;
	} else {
		return false;
	}
	snprintf(p->host, sizeof p->host, "%.*s", (int)h, line);
	return true;
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	return s;
}

static bool line_is(const char *s, const char *end, const char *what)
{
	size_t n = (size_t)(end - s), w = strlen(what);

	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n == w && strncmp(s, what, w) == 0;
}

/* OS6 writes the block flush left and ends it with `exit`; OS10 indents
 * it and ends it with `!`. */
enum port_state dell_state_from_running(const char *text)
{
	enum port_state st = PORT_UNKNOWN;
	const char *echo_end = strchr(text, '\n');
	bool inside = false;

	for (const char *l = echo_end ? echo_end + 1 : NULL; l && *l;) {
		const char *end = strchr(l, '\n'), *s;

		if (!end)
			break;		/* the prompt */
		s = skip_blanks(l, end);
		if (end - s > 10 && strncmp(s, "interface ", 10) == 0) {
			inside = true;
			st = PORT_UP;
		} else if (inside && (line_is(s, end, "exit") || line_is(s, end, "!") || line_is(s, end, "end"))) {
			inside = false;
		} else if (inside && line_is(s, end, "shutdown")) {
			st = PORT_DOWN;
		} else if (inside && line_is(s, end, "no shutdown")) {
			st = PORT_UP;
		}
		l = end + 1;
	}
	return st;
}

enum port_state dell_state_from_config(const char *text, const char *port)
{
	const char *echo_end = strchr(text, '\n');

	for (const char *l = echo_end ? echo_end + 1 : NULL; l && *l;) {
		const char *end = strchr(l, '\n'), *last;
		size_t first;

		if (!end)
			break;
		first = strcspn(l, " \n");
		if (first > 0 && first < 64) {
			char name[64];

			snprintf(name, sizeof name, "%.*s", (int)first, l);
			for (last = end; last > l && last[-1] == ' '; last--)
				;
			if (ios_port_same(name, port)) {
				const char *w = last;

				while (w > l && w[-1] != ' ')
					w--;
				if (last - w == 4 && strncasecmp(w, "Down", 4) == 0)
					return PORT_DOWN;
				if (last - w == 2 && strncasecmp(w, "Up", 2) == 0)
					return PORT_UP;
			}
		}
		l = end + 1;
	}
	return PORT_UNKNOWN;
}
