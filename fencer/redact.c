/*
 * Masking works on a map of the text: every byte covered by some secret
 * (overlapping secrets included) is marked, then each run of marked bytes
 * becomes one REDACTED. Secrets are kept in buckets by their first byte, so
 * a text is scanned once whatever the number of secrets.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/log.h"
#include "fencer/name_map.h"
#include "fencer/redact.h"

struct secret {
	char *text;
	size_t len;
};

struct bucket {
	struct secret *v;
	size_t n, cap;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct bucket buckets[256];
static struct name_map *known;		/* the same secrets, to keep each once */

void redact_add(const char *secret)
{
	struct bucket *b;
	char *copy;

	if (!secret || !*secret)
		return;
	pthread_mutex_lock(&mu);
	if (!known)
		known = name_map_new();
	if (name_map_put(known, secret, "") != NULL)
		goto out;
	b = &buckets[(unsigned char)secret[0]];
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		b->v = xrealloc(b->v, b->cap, sizeof *b->v);
	}
	copy = xstrdup(secret);
	b->v[b->n++] = (struct secret){ copy, strlen(copy) };
out:
	pthread_mutex_unlock(&mu);
}

/* Mark the bytes of text[0..n) that a secret covers; with cut, also a tail
 * that is the start of a secret. Returns the number of runs marked. */
static size_t mark(const char *text, size_t n, bool cut, unsigned char *covered)
{
	size_t runs = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bucket *b = &buckets[(unsigned char)text[i]];

		for (size_t k = 0; k < b->n; k++) {
			size_t len = b->v[k].len;

			if (len <= n - i ? memcmp(text + i, b->v[k].text, len) == 0 :
			    cut && memcmp(text + i, b->v[k].text, n - i) == 0)
				memset(covered + i, 1, len <= n - i ? len : n - i);
		}
	}
	for (size_t i = 0; i < n; i++)
		runs += covered[i] && (i == 0 || !covered[i - 1]);
	return runs;
}

static char *masked_copy(const char *text, bool cut)
{
	size_t n = strlen(text), runs, o = 0;
	unsigned char *covered = calloc(n ? n : 1, 1);
	char *out = NULL;

	/* Not xalloc: fatalx logs through here (fencer/alloc.h). */
	if (!covered)
		return NULL;
	pthread_mutex_lock(&mu);
	runs = mark(text, n, cut, covered);
	pthread_mutex_unlock(&mu);
	if (!(out = malloc(n + runs * strlen(REDACTED) + 1)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		if (!covered[i])
			out[o++] = text[i];
		else if (i == 0 || !covered[i - 1]) {
			memcpy(out + o, REDACTED, strlen(REDACTED));
			o += strlen(REDACTED);
		}
	}
	out[o] = '\0';
done:
	free(covered);
	return out;
}

char *redact_dup(const char *text)
{
	char *out;

	if (!text)
		return NULL;
	if (!(out = masked_copy(text, false)))
		fatalx("out of memory");
	return out;
}

void redact_buf(char *buf, size_t size, bool cut)
{
	char *out;

	if (!size)
		return;
	if (!(out = masked_copy(buf, cut))) {
		buf[0] = '\0';		/* never the secret, whatever else fails */
		return;
	}
	strncpy(buf, out, size - 1);
	buf[size - 1] = '\0';
	free(out);
}

void redact_clear(void)
{
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < 256; i++) {
		for (size_t k = 0; k < buckets[i].n; k++)
			free(buckets[i].v[k].text);
		free(buckets[i].v);
		buckets[i] = (struct bucket){ 0 };
	}
	name_map_free(known);
	known = NULL;
	pthread_mutex_unlock(&mu);
}
