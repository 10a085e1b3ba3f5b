/* Cisco IOS CLI output parsing (see ios_parse.h). Pure functions only. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/ios_parse.h"

#define RENDER_COLS 1024

/* ---- rendering ------------------------------------------------------------ */

struct render {
	char *out;
	size_t outlen, used;
	char line[RENDER_COLS];
	size_t len, cur;
	int esc;		/* 0 text, 1 after ESC, 2 inside CSI */
};

/* Make room for n bytes by dropping whole lines from the start: the tail
 * (the prompt, the last output) is what matters. */
static void render_room(struct render *r, size_t n)
{
	size_t drop;
	char *nl;

	if (r->used + n + 1 <= r->outlen)
		return;
	drop = r->used + n + 1 - r->outlen;
	if (drop > r->used)
		drop = r->used;
	nl = memchr(r->out + drop, '\n', r->used - drop);
	drop = nl ? (size_t)(nl - r->out) + 1 : r->used;
	memmove(r->out, r->out + drop, r->used - drop);
	r->used -= drop;
}

static void render_flush(struct render *r, bool newline)
{
	size_t n = r->len;

	while (n > 0 && (r->line[n - 1] == ' ' || r->line[n - 1] == '\0'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (r->line[i] == '\0')
			r->line[i] = ' ';	/* a cursor jump right left a gap */
	if (n + 1 + 1 > r->outlen)
		n = r->outlen >= 2 ? r->outlen - 2 : 0;
	render_room(r, n + newline);
	memcpy(r->out + r->used, r->line, n);
	r->used += n;
	if (newline)
		r->out[r->used++] = '\n';
	r->out[r->used] = '\0';
}

static void render_byte(struct render *r, unsigned char c)
{
	if (r->esc == 1) {
		r->esc = c == '[' ? 2 : 0;
		return;
	}
	if (r->esc == 2) {
		if (c >= 0x40 && c <= 0x7e)
			r->esc = 0;
		return;
	}
	if (c == 0x1b) {
		r->esc = 1;
	} else if (c == '\n') {
		render_flush(r, true);
		r->len = r->cur = 0;
	} else if (c == '\r') {
		r->cur = 0;
	} else if (c == '\b') {
		if (r->cur > 0)
			r->cur--;
	} else if (c == '\t' || c >= 0x20) {
		if (c == 0x7f)
			return;
		if (r->cur >= sizeof r->line)
			return;
		if (r->cur > r->len)
			memset(r->line + r->len, '\0', r->cur - r->len);
		r->line[r->cur++] = c == '\t' ? ' ' : (char)c;
		if (r->cur > r->len)
			r->len = r->cur;
	}
}

size_t ios_render(const char *raw, size_t len, char *out, size_t outlen)
{
	struct render r = { .out = out, .outlen = outlen };

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (outlen < 2)
		return 0;
	for (size_t i = 0; i < len; i++)
		render_byte(&r, (unsigned char)raw[i]);
	render_flush(&r, false);
	return r.used;
}

/* ---- prompts -------------------------------------------------------------- */

static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* name>  name#  name(config)#  name(config-if)#  name(config-subif)# */
bool ios_prompt_parse(const char *line, const char *host, struct ios_prompt *p)
{
	size_t n = strlen(line), h = 0;
	const char *paren;
	char last;

	if (n < 2 || n > IOS_HOST_MAX + 40)
		return false;
	last = line[n - 1];
	if (last != '>' && last != '#')
		return false;
	while (h < n - 1 && host_char(line[h]))
		h++;
	if (h == 0 || h >= IOS_HOST_MAX)
		return false;
	if (host && *host && (strlen(host) != h || strncmp(line, host, h) != 0))
		return false;
	paren = line + h;
	if (*paren == '(') {
		const char *close = strchr(paren, ')');

		if (last != '#' || !close || close != line + n - 2 || strncmp(paren, "(config", 7) != 0)
			return false;
		for (const char *c = paren + 1; c < close; c++)
			if (!isalnum((unsigned char)*c) && *c != '-')
				return false;
		p->mode = close == paren + 7 ? IOS_MODE_CONFIG : IOS_MODE_CONFIG_SUB;
	} else if (paren == line + n - 1) {
		p->mode = last == '>' ? IOS_MODE_USER : IOS_MODE_PRIV;
	} else {
		return false;
	}
	snprintf(p->host, sizeof p->host, "%.*s", (int)h, line);
	return true;
}

static const char *last_line(const char *text)
{
	const char *nl = strrchr(text, '\n');

	return nl ? nl + 1 : text;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

enum ios_tail ios_tail(const char *text, const char *host, struct ios_prompt *p)
{
	const char *line = skip_blanks(last_line(text));
	size_t n = strlen(line);

	if (strcmp(line, "--More--") == 0)
		return IOS_TAIL_MORE;
	if (n >= 9 && strcmp(line + n - 9, "Password:") == 0)
		return IOS_TAIL_PASSWORD;
	if (line == last_line(text) && ios_prompt_parse(line, host, p))
		return IOS_TAIL_PROMPT;
	return IOS_TAIL_NONE;
}

/* ---- errors --------------------------------------------------------------- */

/* %FACILITY-SEVERITY-MNEMONIC: at s. */
static bool syslog_tag(const char *s)
{
	const char *p = s + 1;
	int dashes = 0;

	if (*s != '%')
		return false;
	while (isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-')
		dashes += *p++ == '-';
	return p > s + 1 && *p == ':' && dashes >= 2;
}

/* A syslog message on the terminal (`%LINK-3-UPDOWN: ...`,
 * `%SYS-5-CONFIG_I: ...`) starts with % too, but is no error; with
 * `service timestamps` or sequence numbers it comes after them
 * (`*Mar  1 00:01:02.345: %LINK-5-CHANGED: ...`). */
static bool syslog_line(const char *l, size_t n)
{
	if (syslog_tag(l))
		return true;
	for (const char *p = l; p + 2 < l + n; p++)
		if (p[0] == ':' && p[1] == ' ' && syslog_tag(p + 2))
			return true;
	return false;
}

/* A caret line: blanks and one '^'; returns its column or -1. */
static int caret_column(const char *l, size_t n)
{
	int col = -1;

	for (size_t i = 0; i < n; i++) {
		if (l[i] == '^' && col < 0)
			col = (int)i;
		else if (l[i] != ' ')
			return -1;
	}
	return col;
}

static void word_at(const char *echo, size_t echolen, int col, char *buf, size_t len)
{
	size_t s = (size_t)col, e;

	buf[0] = '\0';
	if (col < 0 || s >= echolen || echo[s] == ' ')
		return;
	while (s > 0 && echo[s - 1] != ' ')
		s--;
	for (e = s; e < echolen && echo[e] != ' '; e++)
		;
	snprintf(buf, len, "%.*s", (int)(e - s), echo + s);
}

bool ios_find_error(const char *text, struct ios_error *e)
{
	const char *echo = text, *echo_end = strchr(text, '\n');
	const char *prev = NULL, *l;
	size_t prevlen = 0;

	e->msg[0] = e->word[0] = '\0';
	e->caret = -1;
	if (!echo_end)
		return false;
	for (l = echo_end + 1; *l;) {
		const char *end = strchr(l, '\n');
		size_t n;

		if (!end)
			break;		/* the last line is the prompt */
		n = (size_t)(end - l);
		if (l[0] == '%' && !syslog_line(l, n)) {
			snprintf(e->msg, sizeof e->msg, "%.*s", (int)n, l);
			if (prev)
				e->caret = caret_column(prev, prevlen);
			word_at(echo, (size_t)(echo_end - echo), e->caret, e->word, sizeof e->word);
			return true;
		}
		if (n > 0) {
			prev = l;
			prevlen = n;
		}
		l = end + 1;
	}
	return false;
}

/* What a silent command may print without failing. */
static bool benign_line(const char *l, size_t n)
{
	static const char banner[] = "Enter configuration commands, one per line.";
	size_t i = 0;

	while (i < n && l[i] == ' ')
		i++;
	return i == n || syslog_line(l, n) || strncmp(l + i, banner, sizeof banner - 1) == 0;
}

bool ios_find_unexpected(const char *text, struct ios_error *e)
{
	const char *echo_end = strchr(text, '\n');

	if (ios_find_error(text, e))
		return true;
	for (const char *l = echo_end ? echo_end + 1 : text; echo_end && *l;) {
		const char *end = strchr(l, '\n');

		if (!end)
			break;		/* the prompt */
		if (!benign_line(l, (size_t)(end - l))) {
			snprintf(e->msg, sizeof e->msg, "%.*s", (int)(end - l), l);
			return true;
		}
		l = end + 1;
	}
	return false;
}

/* strcasestr within the first n bytes of l. */
static bool strncasestr_n(const char *l, size_t n, const char *what)
{
	size_t w = strlen(what);

	for (size_t i = 0; i + w <= n; i++)
		if (strncasecmp(l + i, what, w) == 0)
			return true;
	return false;
}

bool ios_mac_table(const char *text)
{
	const char *l = strchr(text, '\n');	/* after the echo line */

	return l && strcasestr(l, "mac address ") != NULL;
}

int ios_privilege_level(const char *text)
{
	static const char key[] = "Current privilege level is ";
	const char *p = strstr(text, key);
	int level = 0;

	if (!p)
		return -1;
	for (p += sizeof key - 1; isdigit((unsigned char)*p) && level < 1000; p++)
		level = level * 10 + (*p - '0');
	return level;
}

/* ---- interface names -------------------------------------------------------- */

/* The letters a name starts with: "GigabitEthernet" of "Gi0/1" is "Gi". */
static size_t type_len(const char *s)
{
	size_t n = 0;

	while (isalpha((unsigned char)s[n]) || s[n] == '-')
		n++;
	return n;
}

/* Gi0/9 and GigabitEthernet0/1 are of one type: one type is a
 * case-insensitive prefix of the other. */
static bool same_type(const char *a, const char *b)
{
	size_t la = type_len(a), lb = type_len(b), n = la < lb ? la : lb;

	return n > 0 && strncasecmp(a, b, n) == 0;
}

static void list_add(char *buf, size_t len, size_t *shown, const char *name, size_t n)
{
	size_t used = strlen(buf);

	if (used + n + 3 >= len)
		return;
	snprintf(buf + used, len - used, "%s%.*s", *shown ? ", " : "", (int)n, name);
	(*shown)++;
}

/* A name of an interface: a letter first, a digit somewhere (the
 * header's "Interface" has none). */
static bool interface_word(const char *l, size_t n)
{
	if (!n || n >= 64 || !isalpha((unsigned char)*l))
		return false;
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)l[i]))
			return true;
	return false;
}

size_t ios_near_ports(const char *text, const char *port, char *buf, size_t len)
{
	size_t total = 0, shown = 0;
	bool any_same = false;

	if (len)
		buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		const char *l = strchr(text, '\n');	/* after the echo line */

		while (l && *++l) {
			const char *end = strchr(l, '\n');
			size_t n = strcspn(l, " \n");

			if (!end)
				break;		/* the prompt */
			if (interface_word(l, n)) {
				if (pass == 0) {
					total++;
					any_same = any_same || same_type(l, port);
				} else if (!any_same || same_type(l, port)) {
					list_add(buf, len, &shown, l, n);
				}
			}
			l = end;
		}
	}
	return total;
}

bool ios_port_same(const char *a, const char *b)
{
	size_t la = type_len(a), lb = type_len(b);

	return same_type(a, b) && a[la] && strcasecmp(a + la, b + lb) == 0;
}

/* ---- MAC tables and LLDP ---------------------------------------------------- */

/* The lines of a command's output: after the echo line, before the prompt. */
struct out_lines {
	const char *l;
};

static bool next_line(struct out_lines *it, const char **line, size_t *n)
{
	const char *end;

	if (!it->l || !*it->l || !(end = strchr(it->l, '\n')))
		return false;	/* the last line is the prompt */
	*line = it->l;
	*n = (size_t)(end - it->l);
	it->l = end + 1;
	return true;
}

static struct out_lines output_of(const char *text)
{
	const char *echo_end = strchr(text, '\n');

	return (struct out_lines){ echo_end ? echo_end + 1 : NULL };
}

/* A MAC token somewhere in the line, and the last token (the port). */
static bool table_entry(const char *l, size_t n, uint8_t mac[6], char *port, size_t plen)
{
	bool found = false;
	size_t i = 0;

	port[0] = '\0';
	while (i < n) {
		size_t s, e;

		while (i < n && l[i] == ' ')
			i++;
		s = i;
		while (i < n && l[i] != ' ')
			i++;
		e = i;
		if (e == s)
			break;
		if (!found && mac_parse_any(l + s, e - s, mac))
			found = true;
		else
			snprintf(port, plen, "%.*s", (int)(e - s), l + s);
	}
	return found && port[0];
}

bool ios_port_macs(const char *text, const char *port, struct mac_list *macs, size_t *others)
{
	struct out_lines it = output_of(text);
	bool header = false;
	const char *l;
	size_t n;

	*others = 0;
	while (next_line(&it, &l, &n)) {
		char where[64];
		uint8_t mac[6];

		if (!header && (strncasestr_n(l, n, "mac address") || strncasestr_n(l, n, "destination address")))
			header = true;
		else if (header && table_entry(l, n, mac, where, sizeof where)) {
			if (ios_port_same(where, port))
				mac_list_add(macs, mac);
			else
				++*others;
		}
	}
	return header;
}

/* "Key: value" at l (n bytes): the value, trimmed, into buf. */
static bool field(const char *l, size_t n, const char *key, char *buf, size_t len)
{
	size_t k = strlen(key), s;

	if (n < k || strncasecmp(l, key, k) != 0)
		return false;
	for (s = k; s < n && l[s] == ' '; s++)
		;
	while (n > s && l[n - 1] == ' ')
		n--;
	snprintf(buf, len, "%.*s", (int)(n - s), l + s);
	return true;
}

static void neighbor_end(struct lldp_list *out, struct lldp_neighbor *nb, bool *open)
{
	if (*open && (nb->chassis[0] || nb->sysname[0] || nb->port_id[0]))
		lldp_list_add(out, nb);
	memset(nb, 0, sizeof *nb);
	*open = false;
}

bool ios_lldp_neighbors(const char *text, struct lldp_list *out)
{
	struct out_lines it = output_of(text);
	struct lldp_neighbor nb = { 0 };
	bool open = false, total = false;
	char local[64];
	const char *l;
	size_t n;

	while (next_line(&it, &l, &n)) {
		if (field(l, n, "Local Intf:", local, sizeof local) ||
		    (open && nb.chassis[0] && strncasecmp(l, "Chassis id:", 11) == 0)) {
			neighbor_end(out, &nb, &open);
			open = true;
		}
		if (field(l, n, "Chassis id:", nb.chassis, sizeof nb.chassis) ||
		    field(l, n, "Port id:", nb.port_id, sizeof nb.port_id) ||
		    field(l, n, "Port Description:", nb.port_descr, sizeof nb.port_descr) ||
		    field(l, n, "System Name:", nb.sysname, sizeof nb.sysname))
			open = true;
		else if (n >= 23 && strncasecmp(l, "Total entries displayed", 23) == 0)
			total = true;
	}
	neighbor_end(out, &nb, &open);
	return total;
}

/* ---- port state ------------------------------------------------------------- */

enum port_state ios_state_from_running(const char *text)
{
	enum port_state st = PORT_UNKNOWN;
	bool inside = false;

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t n = strcspn(l, "\n");

		if (n > 10 && strncmp(l, "interface ", 10) == 0) {
			inside = true;
			st = PORT_UP;
		} else if (inside && (l[0] == '!' || (n == 3 && strncmp(l, "end", 3) == 0))) {
			inside = false;
		} else if (inside && n == 9 && strncmp(l, " shutdown", 9) == 0) {
			st = PORT_DOWN;
		}
	}
	return st;
}

enum port_state ios_state_from_interfaces(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t n = strcspn(l, "\n");
		char line[512];
		const char *is;

		if (l[0] == ' ' || n == 0)
			continue;
		snprintf(line, sizeof line, "%.*s", (int)n, l);
		/* "GigabitEthernet0/1 is administratively down, line protocol is down" */
		if (!(is = strstr(line, " is ")) || !strstr(line, ", line protocol is "))
			continue;
		is += 4;
		if (strncmp(is, "administratively down,", 22) == 0)
			return PORT_DOWN;
		if (strncmp(is, "up,", 3) == 0 || strncmp(is, "down,", 5) == 0)
			return PORT_UP;
	}
	return PORT_UNKNOWN;
}

void ios_first_output_line(const char *text, char *buf, size_t len)
{
	const char *l = strchr(text, '\n');

	buf[0] = '\0';
	while (l && *++l) {
		const char *end = strchr(l, '\n');
		const char *s = skip_blanks(l);

		if (!end)
			return;		/* the prompt */
		if (s < end) {
			snprintf(buf, len, "%.*s", (int)(end - s), s);
			return;
		}
		l = end;
	}
}
