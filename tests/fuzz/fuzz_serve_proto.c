/* libFuzzer target: one request line of fencer serve's control socket
 * (fencer/serve_proto.h), as any root process may send it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/serve_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct serve_request r;
	char err[256];
	int rc = serve_request_parse((const char *)data, size, &r, err, sizeof err);

	/* What got through names a command the service runs, and arguments
	 * it can hand on: NUL-free strings of bounded length. */
	if (rc == 0 && !serve_command_known(r.command))
		abort();
	for (int i = 0; rc == 0 && i < r.nargs; i++)
		if (strlen(r.args[i]) > SERVE_ARG_MAX)
			abort();
	if (rc < 0 && !err[0])
		abort();
	serve_request_free(&r);
	return 0;
}
