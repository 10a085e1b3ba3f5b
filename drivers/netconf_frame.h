/*
 * NETCONF message framing over SSH (RFC 6242), pure: no I/O.
 *
 * NETCONF 1.0 (RFC 4742, and every hello) ends each message with the
 * end-of-message marker "]]>]]>"; NETCONF 1.1 (RFC 6242 section 4.2),
 * chosen when both hellos name urn:ietf:params:netconf:base:1.1, sends
 * each message as chunks "\n#LEN\n" + LEN bytes, ended by "\n##\n".
 */
#ifndef FENCER_NETCONF_FRAME_H
#define FENCER_NETCONF_FRAME_H

#include <stddef.h>

enum nc_framing { NC_EOM, NC_CHUNKED };

#define NC_EOM_MARK "]]>]]>"
/* RFC 6242 4.2: chunk-size is 1 to 4294967295, at most 10 digits. */
#define NC_CHUNK_MAX 4294967295UL

/* The frame's head and tail for a message of len bytes sent as one
 * chunk: head (at most 16 bytes with its NUL) goes before, tail after.
 * 0, or -1 for an empty message (a chunk is never empty). */
int nc_frame(enum nc_framing, size_t len, char head[16], const char **tail);

/* One message from the front of in (len bytes received so far), its
 * bytes copied to out (cap bytes; out is NUL-terminated, its length in
 * *outlen) and the bytes it took from in in *used.
 * 1: a whole message; 0: not yet, read more; -1: a framing error, said
 * in err (the message too long for out is one). Chunked: blanks before a
 * message's first chunk header are skipped (a newline after the hello). */
int nc_unframe(enum nc_framing, const char *in, size_t len, char *out, size_t cap, size_t *outlen,
    size_t *used, char *err, size_t errlen);

#endif
