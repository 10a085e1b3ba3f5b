/* The bridge forwarding table as the kernel reports it over rtnetlink
 * (RTM_NEWNEIGH messages of an AF_BRIDGE dump). Parsing is a pure function
 * of the received bytes, apart from the socket work in fdb.c. */
#ifndef FENCER_FDB_PARSE_H
#define FENCER_FDB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fdb_entry {
	uint8_t mac[6];
	int port_ifindex;	/* the bridge port the MAC was learned on */
	uint16_t vlan;		/* NDA_VLAN of a VLAN-filtering bridge; 0 without */
};

/* Called for each entry that names a host: learned or static on a port of
 * the bridge with ifindex `bridge`, unicast, not one of the bridge's own
 * (permanent, "local") addresses. */
typedef void (*fdb_entry_fn)(const struct fdb_entry *, void *arg);

enum fdb_parse_status { FDB_MORE, FDB_DONE, FDB_ERROR };

struct nlmsghdr;

/* A dump's control messages, the same for every dump fencer reads:
 * FDB_DONE at NLMSG_DONE; at NLMSG_ERROR, FDB_ERROR with *nl_errno the
 * kernel's positive errno (EBADMSG when malformed), or FDB_MORE for an
 * ack. *data is set when h is neither: the caller's to parse. */
enum fdb_parse_status nl_control(const struct nlmsghdr *h, int *nl_errno, bool *data);

/* One message of a dump reply, for nl_walk: FDB_MORE to go on. */
typedef enum fdb_parse_status (*nl_msg_fn)(const struct nlmsghdr *, void *ctx, int *nl_errno);

/* Each message of one datagram of a dump reply to fn, in order, until
 * one says other than FDB_MORE; a message whose length does not fit is
 * malformed (FDB_ERROR, *nl_errno = EBADMSG). */
enum fdb_parse_status nl_walk(const void *buf, size_t len, nl_msg_fn fn, void *ctx, int *nl_errno);

/* Parse one datagram of a dump reply. FDB_DONE at NLMSG_DONE; FDB_ERROR on
 * NLMSG_ERROR (*nl_errno = the kernel's positive errno) or malformed input
 * (*nl_errno = EBADMSG). */
enum fdb_parse_status fdb_parse(const void *buf, size_t len, int bridge,
    fdb_entry_fn fn, void *arg, int *nl_errno);

#endif
