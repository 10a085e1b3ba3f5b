/* Open addressing with linear probing, FNV-1a hashes, at most half full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/alloc.h"
#include "fencer/log.h"
#include "fencer/name_map.h"

struct slot {
	char *key;
	void *value;
	uint64_t hash;
};

struct name_map {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct name_map *name_map_new(void)
{
	struct name_map *m = xcalloc(1, sizeof *m);

	m->slots = xcalloc(16, sizeof *m->slots);
	m->cap = 16;
	return m;
}

void name_map_free(struct name_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const struct name_map *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void grow(struct name_map *m)
{
	struct name_map bigger = { xcalloc(m->cap * 2, sizeof *m->slots), m->cap * 2, m->n };

	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(&bigger, m->slots[i].key, m->slots[i].hash) = m->slots[i];
	free(m->slots);
	*m = bigger;
}

void *name_map_get(const struct name_map *m, const char *key)
{
	return find(m, key, hash(key))->value;
}

void *name_map_put(struct name_map *m, const char *key, void *value)
{
	uint64_t h = hash(key);
	struct slot *s = find(m, key, h);

	if (s->key)
		return s->value;
	s->key = xstrdup(key);
	s->value = value;
	s->hash = h;
	if (++m->n * 2 > m->cap)
		grow(m);
	return NULL;
}

size_t name_map_size(const struct name_map *m)
{
	return m->n;
}
