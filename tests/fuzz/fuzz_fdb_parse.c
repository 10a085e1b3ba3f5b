/* libFuzzer target: the bridge FDB dump parser on whatever arrives on the
 * rtnetlink socket, one datagram per input. Besides crashes, leaks and UB it
 * checks the contract of fdb_parse.h: only unicast host MACs are reported,
 * and an error always carries a positive errno for the caller to print. */
#include <stdint.h>
#include <stdlib.h>

#include "fencer/fdb_parse.h"

/* The seeds name this ifindex as NDA_MASTER, so they reach the callback. */
#define BRIDGE 7

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_entry(const struct fdb_entry *e, void *arg)
{
	size_t *n = arg;

	if (e->mac[0] & 1)
		abort();	/* a group address is never a host */
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	int nl_errno = -1;
	/* libFuzzer's buffer is a heap block of exactly `size` bytes, aligned
	 * like fdb_read's malloc'd receive buffer: ASan sees any read past it. */
	enum fdb_parse_status st = fdb_parse(data, size, BRIDGE, on_entry, &n, &nl_errno);

	if (st == FDB_ERROR ? nl_errno <= 0 : nl_errno != 0)
		abort();
	if (n > size / 16)
		abort();	/* each entry needs at least its own header */
	return 0;
}
