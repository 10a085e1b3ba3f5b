/* Read a Linux bridge's forwarding table over rtnetlink. */
#ifndef FENCER_FDB_H
#define FENCER_FDB_H

#include "fencer/fdb_parse.h"

/* One datagram of a dump reply, parsed as fdb_parse does. */
typedef enum fdb_parse_status (*nl_datagram_fn)(const void *buf, size_t len, void *ctx, int *nl_errno);

/* Send req (an rtnetlink dump request, reqlen bytes) and give each reply
 * datagram to parse until the dump is done: 0, or -1 with errno set. */
int nl_dump(const void *req, size_t reqlen, nl_datagram_fn parse, void *ctx);

/* Dump the FDB of bridge `name`, calling fn for each host entry.
 * 0, or -1 with err set. */
int fdb_read(const char *name, fdb_entry_fn fn, void *arg, char *err, size_t errlen);

#endif
