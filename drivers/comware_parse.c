/* HPE/H3C Comware CLI output parsing (see comware_parse.h). Pure functions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/comware_parse.h"

/* ---- prompts -------------------------------------------------------------- */

static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* The view of [host-VIEW]: what an interface or other view adds. */
static bool view_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':';
}

bool comware_prompt_parse(const char *line, const char *host, struct swcli_prompt *p)
{
	size_t n = strlen(line), h, hl = host ? strlen(host) : 0;
	char open, close;

	if (n < 3 || n > SWCLI_HOST_MAX + 80)
		return false;
	open = line[0];
	close = line[n - 1];
	if (!((open == '<' && close == '>') || (open == '[' && close == ']')))
		return false;
	for (size_t i = 1; i < n - 1; i++)
		if (!view_char(line[i]))
			return false;
	if (hl) {
		/* The known name, then the end or a view after a '-'. */
		if (hl >= n - 1 || strncmp(line + 1, host, hl) != 0 || (line[1 + hl] != close && line[1 + hl] != '-'))
			return false;
		h = hl;
	} else {
		/* Unknown name: it ends at the first character no name has,
		 * or (in [...]) at the first '-' a view follows. */
		for (h = 0; h < n - 2 && host_char(line[1 + h]) && !(open == '[' && line[1 + h] == '-'); h++)
			;
		if (h == 0 || h >= SWCLI_HOST_MAX)
			return false;
	}
	if (open == '<') {
		if (line[1 + h] != '>')
			return false;
		p->mode = CW_USER;
	} else {
		p->mode = line[1 + h] == ']' ? CW_SYSTEM : CW_SUB;
		if (p->mode == CW_SUB && 1 + h + 1 >= n - 1)
			return false;	/* "[name-]" */
	}
	snprintf(p->host, sizeof p->host, "%.*s", (int)h, line + 1);
	return true;
}

/* ---- errors --------------------------------------------------------------- */

static bool month_at(const char *s)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec" };

	for (size_t i = 0; i < 12; i++)
		if (strncmp(s, months[i], 3) == 0 && s[3] == ' ')
			return true;
	return false;
}

/* A log or trap line the terminal shows (`%Nov 29 10:00:00:123 2026 ...`,
 * `#Nov 29 ...`, `%@12%Nov 29 ...` with a sequence number). */
static bool log_line(const char *l, size_t n)
{
	const char *s = l;

	if (n < 5 || (*s != '%' && *s != '#'))
		return false;
	s++;
	if (*s == '@') {
		s++;
		while (isdigit((unsigned char)*s))
			s++;
		if (*s++ != '%')
			return false;
	}
	return (size_t)(s - l) + 4 <= n && month_at(s);
}

static bool info_line(const char *l, size_t n)
{
	static const char sysview[] = "System View: return to User View with Ctrl+Z.";
	size_t i = 0;

	while (i < n && l[i] == ' ')
		i++;
	return i == n || (n - i >= sizeof sysview - 1 && strncmp(l + i, sysview, sizeof sysview - 1) == 0);
}

/* text without its log lines (and, with info, its blank and info lines),
 * the echo line and the prompt kept. Caller frees. */
static char *without(const char *text, bool info)
{
	size_t len = strlen(text);
	char *out = malloc(len + 1), *o = out;
	const char *l = text, *echo_end = strchr(text, '\n');

	if (!out)
		return NULL;
	if (!echo_end) {
		memcpy(out, text, len + 1);
		return out;
	}
	memcpy(o, text, (size_t)(echo_end - text) + 1);
	o += echo_end - text + 1;
	for (l = echo_end + 1; *l;) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);

		if (!end || !(log_line(l, n) || (info && info_line(l, n)))) {
			memcpy(o, l, n + (end != NULL));
			o += n + (end != NULL);
		}
		if (!end)
			break;
		l = end + 1;
	}
	*o = '\0';
	return out;
}

bool comware_find_error(const char *text, struct ios_error *e)
{
	char *t = without(text, false);
	bool found;

	if (!t) {
		snprintf(e->msg, sizeof e->msg, "out of memory");
		e->caret = -1;
		e->word[0] = '\0';
		return true;
	}
	found = ios_find_error(t, e);
	free(t);
	return found;
}

bool comware_find_unexpected(const char *text, struct ios_error *e)
{
	char *t = without(text, true);
	bool found;

	if (!t) {
		snprintf(e->msg, sizeof e->msg, "out of memory");
		e->caret = -1;
		e->word[0] = '\0';
		return true;
	}
	found = ios_find_unexpected(t, e);
	free(t);
	return found;
}

/* ---- interface names ------------------------------------------------------ */

/* How the brief and MAC tables abbreviate the interface types. */
static const struct {
	const char *abbr, *full;
} abbreviations[] = {
	{ "GE", "GigabitEthernet" },
	{ "XGE", "Ten-GigabitEthernet" },
	{ "FGE", "FortyGigE" },
	{ "HGE", "HundredGigE" },
	{ "WGE", "TwentyFiveGigE" },
	{ "MGE", "M-GigabitEthernet" },
	{ "BAGG", "Bridge-Aggregation" },
	{ "RAGG", "Route-Aggregation" },
	{ "Eth", "Ethernet" },
	{ "Vlan", "Vlan-interface" },
};

static size_t type_len(const char *s)
{
	size_t n = 0;

	while (isalpha((unsigned char)s[n]) || s[n] == '-')
		n++;
	return n;
}

static const char *full_type(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
		if (strlen(abbreviations[i].abbr) == n && strncasecmp(s, abbreviations[i].abbr, n) == 0)
			return abbreviations[i].full;
	return NULL;
}

static bool type_same(const char *a, size_t la, const char *b, size_t lb)
{
	const char *fa = full_type(a, la), *fb = full_type(b, lb);
	size_t n = la < lb ? la : lb;

	if (fa && strlen(fa) == lb && strncasecmp(fa, b, lb) == 0)
		return true;
	if (fb && strlen(fb) == la && strncasecmp(fb, a, la) == 0)
		return true;
	/* GigabitEthernet and Gig...: one a prefix of the other, when no
	 * abbreviation of the table is in play. */
	return !fa && !fb && n > 0 && strncasecmp(a, b, n) == 0;
}

bool comware_port_same(const char *a, const char *b)
{
	size_t la = type_len(a), lb = type_len(b);

	return la && lb && a[la] && type_same(a, la, b, lb) && strcasecmp(a + la, b + lb) == 0;
}

/* ---- tables --------------------------------------------------------------- */

/* The next output line (after the echo line, before the prompt). */
static bool next_line(const char **it, const char **line, size_t *n)
{
	const char *end;

	if (!*it || !**it || !(end = strchr(*it, '\n')))
		return false;
	*line = *it;
	*n = (size_t)(end - *it);
	*it = end + 1;
	return true;
}

static const char *output_of(const char *text)
{
	const char *echo_end = strchr(text, '\n');

	return echo_end ? echo_end + 1 : NULL;
}

/* The k-th blank-separated word of l (n bytes) into buf; false if none. */
static bool word(const char *l, size_t n, int k, char *buf, size_t len)
{
	size_t i = 0;

	for (int w = 0; i < n; w++) {
		size_t s;

		while (i < n && l[i] == ' ')
			i++;
		s = i;
		while (i < n && l[i] != ' ')
			i++;
		if (i == s)
			break;
		if (w == k) {
			snprintf(buf, len, "%.*s", (int)(i - s), l + s);
			return true;
		}
	}
	if (len)
		buf[0] = '\0';
	return false;
}

enum port_state comware_brief_state(const char *text, const char *port)
{
	const char *it = output_of(text), *l;
	size_t n;

	while (next_line(&it, &l, &n)) {
		char name[80], link[16];

		if (n == 0 || l[0] == ' ' || !word(l, n, 0, name, sizeof name) || !word(l, n, 1, link, sizeof link))
			continue;
		if (!comware_port_same(name, port))
			continue;
		if (strcmp(link, "ADM") == 0)
			return PORT_DOWN;
		if (strcmp(link, "UP") == 0 || strcmp(link, "DOWN") == 0 || strcmp(link, "Stby") == 0)
			return PORT_UP;
	}
	return PORT_UNKNOWN;
}

static bool mac_header(const char *l, size_t n)
{
	char w0[16], w1[16];

	return word(l, n, 0, w0, sizeof w0) && word(l, n, 1, w1, sizeof w1) && strcasecmp(w0, "MAC") == 0 &&
	    (strcasecmp(w1, "Address") == 0 || strcasecmp(w1, "ADDR") == 0);
}

bool comware_mac_table(const char *text)
{
	const char *it = output_of(text), *l;
	size_t n;

	while (next_line(&it, &l, &n))
		if (mac_header(l, n))
			return true;
	return false;
}

/* H-H-H (0001-0203-0405), Comware's form, or any form mac_parse_any reads. */
static bool mac_word(const char *w, uint8_t mac[6])
{
	size_t len = strlen(w);
	char dotted[15];

	if (len == 14 && w[4] == '-' && w[9] == '-') {
		memcpy(dotted, w, 15);
		dotted[4] = dotted[9] = '.';
		return mac_parse_any(dotted, 14, mac);
	}
	return mac_parse_any(w, len, mac);
}

bool comware_port_macs(const char *text, const char *port, struct mac_list *macs, size_t *others)
{
	const char *it = output_of(text), *l;
	bool header = false;
	size_t n;

	*others = 0;
	while (next_line(&it, &l, &n)) {
		char w[80], where[80];
		uint8_t mac[6];

		if (!header) {
			header = mac_header(l, n);
			continue;
		}
		/* MAC, VLAN, state, port: the fourth word names the port. */
		if (!word(l, n, 0, w, sizeof w) || !mac_word(w, mac) || !word(l, n, 3, where, sizeof where))
			continue;
		if (comware_port_same(where, port))
			mac_list_add(macs, mac);
		else
			++*others;
	}
	return header;
}
