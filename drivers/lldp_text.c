/* LLDP neighbours from "Key : value" blocks (see lldp_text.h). Pure. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/lldp_text.h"

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '-' || *s == '*'))
		s++;
	return s;
}

/* "  Key      : value" at l..end: the value, trimmed, into buf (when buf). */
static bool field(const char *l, const char *end, const char *key, char *buf, size_t len)
{
	const char *s = skip_blanks(l, end), *colon;
	size_t k = strlen(key);

	if ((size_t)(end - s) < k || strncasecmp(s, key, k) != 0)
		return false;
	for (colon = s + k; colon < end && *colon == ' '; colon++)
		;
	if (colon >= end || *colon != ':')
		return false;
	for (s = colon + 1; s < end && *s == ' '; s++)
		;
	while (end > s && end[-1] == ' ')
		end--;
	if (buf)
		snprintf(buf, len, "%.*s", (int)(end - s), s);
	return true;
}

/* 0001-0203-0405 -> 00:01:02:03:04:05, in place; anything else is kept. */
static void mac_colons(char *v)
{
	char out[18];

	if (strlen(v) != 14 || v[4] != '-' || v[9] != '-')
		return;
	for (int i = 0, o = 0; i < 14; i++) {
		if (i == 4 || i == 9)
			continue;
		if (!isxdigit((unsigned char)v[i]))
			return;
		out[o++] = (char)tolower((unsigned char)v[i]);
		if (o % 3 == 2 && o < 17)
			out[o++] = ':';
	}
	out[17] = '\0';
	memcpy(v, out, 18);
}

static void neighbor_end(struct lldp_list *out, struct lldp_neighbor *nb)
{
	if (nb->chassis[0] || nb->sysname[0] || nb->port_id[0]) {
		mac_colons(nb->chassis);
		mac_colons(nb->port_id);
		lldp_list_add(out, nb);
	}
	memset(nb, 0, sizeof *nb);
}

bool lldp_text_neighbors(const char *text, const struct lldp_text_keys *k, struct lldp_list *out)
{
	struct lldp_neighbor nb = { 0 };
	const char *l = strchr(text, '\n');
	bool header = false;

	for (l = l ? l + 1 : NULL; l && *l;) {
		const char *end = strchr(l, '\n'), *s;

		if (!end)
			break;		/* the prompt */
		s = skip_blanks(l, end);
		if ((size_t)(end - s) >= strlen(k->header) && strncasecmp(s, k->header, strlen(k->header)) == 0)
			header = true;
		if (field(l, end, k->start, NULL, 0) || (nb.chassis[0] && field(l, end, k->chassis, NULL, 0)))
			neighbor_end(out, &nb);
		if (!field(l, end, k->chassis, nb.chassis, sizeof nb.chassis) &&
		    !field(l, end, k->port_id, nb.port_id, sizeof nb.port_id) &&
		    !field(l, end, k->port_descr, nb.port_descr, sizeof nb.port_descr))
			field(l, end, k->sysname, nb.sysname, sizeof nb.sysname);
		l = end + 1;
	}
	neighbor_end(out, &nb);
	return header;
}
