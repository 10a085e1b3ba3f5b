/* Read a Linux bridge's forwarding table over rtnetlink. */
#ifndef FENCER_FDB_H
#define FENCER_FDB_H

#include "fencer/fdb_parse.h"

/* Dump the FDB of bridge `name`, calling fn for each host entry.
 * 0, or -1 with err set. */
int fdb_read(const char *name, fdb_entry_fn fn, void *arg, char *err, size_t errlen);

#endif
