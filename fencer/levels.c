/* Fencing levels: the order they are tried in and what they came to
 * (fencer/levels.h). */
#include <stdio.h>
#include <string.h>

#include "fencer/levels.h"

void levels_init(struct levels *lv, int nlevels)
{
	*lv = (struct levels){ .n = nlevels < 1 ? 1 : nlevels > LEVEL_MAX ? LEVEL_MAX : nlevels };
}

void levels_done(struct levels *lv, int level, size_t n, size_t bad)
{
	if (level < 1 || level > lv->n || level > LEVEL_MAX)
		return;
	lv->v[level] = (struct level_result){ .tried = true, .n = n, .bad = bad > n ? n : bad };
	lv->at = level;
	/* Fencing nothing is not fencing: a level without a port never counts. */
	if (n && !bad && !lv->fenced_by)
		lv->fenced_by = level;
}

void levels_no_time(struct levels *lv, int level)
{
	if (level < 1 || level > lv->n || level > LEVEL_MAX)
		return;
	lv->v[level] = (struct level_result){ .no_time = true };
	lv->at = level;
}

int levels_next(const struct levels *lv)
{
	if (lv->fenced_by || lv->at >= lv->n)
		return 0;
	if (lv->at && lv->v[lv->at].no_time)
		return 0;	/* the levels after it have no time either */
	return lv->at + 1;
}

static size_t level_part(const struct levels *lv, int k, char *buf, size_t len)
{
	const struct level_result *r = &lv->v[k];
	int w;

	if (r->no_time)
		w = snprintf(buf, len, "level %d not tried: no time left of the deadline", k);
	else if (!r->n)
		w = snprintf(buf, len, "level %d has no port to fence", k);
	else
		w = snprintf(buf, len, "level %d: %zu of %zu port%s not verified down", k, r->bad, r->n,
		    r->n == 1 ? "" : "s");
	return w < 0 ? 0 : (size_t)w;
}

void levels_describe(const struct levels *lv, const char *node, char *buf, size_t len)
{
	size_t off;
	int w;

	if (lv->fenced_by) {
		const struct level_result *r = &lv->v[lv->fenced_by];

		if (lv->n == 1)
			snprintf(buf, len, "%s fenced (%zu port%s)", node, r->n, r->n == 1 ? "" : "s");
		else
			snprintf(buf, len, "%s fenced at level %d (%zu port%s)", node, lv->fenced_by, r->n,
			    r->n == 1 ? "" : "s");
		return;
	}
	if (lv->n == 1) {
		/* as before levels: "fw2: 1 of 2 ports not verified down" */
		snprintf(buf, len, "%s: %zu of %zu port%s not verified down", node, lv->v[1].bad, lv->v[1].n,
		    lv->v[1].n == 1 ? "" : "s");
		return;
	}
	w = snprintf(buf, len, "%s not fenced at any of %d levels: ", node, lv->n);
	off = w < 0 ? 0 : (size_t)w;
	for (int k = 1; k <= lv->n && off < len; k++) {
		if (!lv->v[k].tried && !lv->v[k].no_time)
			continue;
		if (k > 1 && off + 2 < len) {
			memcpy(buf + off, "; ", 3);
			off += 2;
		}
		off += level_part(lv, k, buf + off, len - off);
	}
}
