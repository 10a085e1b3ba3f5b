/* A hash map from names to pointers: the configuration's switches, nodes
 * and ports are found by name in constant time, so a file of any size is
 * read in time linear in its length. */
#ifndef FENCER_NAME_MAP_H
#define FENCER_NAME_MAP_H

#include <stddef.h>

struct name_map;

struct name_map *name_map_new(void);
void name_map_free(struct name_map *);
/* The value stored under key, or NULL. */
void *name_map_get(const struct name_map *, const char *key);
/* Store value (not NULL) under a copy of key, unless key is there already:
 * returns the value already stored then, NULL when added. */
void *name_map_put(struct name_map *, const char *key, void *value);
size_t name_map_size(const struct name_map *);

#endif
