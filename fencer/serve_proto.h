/* fencer serve's requests (docs/serve.md, fencer(8) SERVE): one JSON
 * object on one line, from the command line to the service. Pure: no
 * I/O, so that it is unit-tested and fuzzed alone (tests/fuzz). */
#ifndef FENCER_SERVE_PROTO_H
#define FENCER_SERVE_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/state.h"

#define SERVE_PROTO 1			/* "fencer": the protocol's version */
#define SERVE_LINE_MAX 16384		/* a request longer is refused unread */
#define SERVE_ARGS_MAX 64
#define SERVE_ARG_MAX 1024

struct serve_request {
	char command[24];		/* promote demote fence unfence flush check sessions */
	char *args[SERVE_ARGS_MAX];
	int nargs;
	int verbose;
	bool json;
	struct invocation invoked;	/* when the client was started */
	char config[4096];		/* the configuration the client read, resolved
					 * ("": not said); the service runs only its own */
};

/* Parse one request line (len bytes, without its newline). 0, or -1 with
 * err saying what is wrong; free the request in both cases. */
int serve_request_parse(const char *line, size_t len, struct serve_request *, char *err, size_t errlen);
void serve_request_free(struct serve_request *);
/* The line the command line sends (no newline); caller frees. NULL when
 * an argument cannot be sent (not UTF-8): run standalone. */
char *serve_request_format(const char *command, const char *const *args, int nargs, int verbose, bool json,
    const struct invocation *, const char *config);
/* Whether the service runs this command for the command line. */
bool serve_command_known(const char *command);

#endif
