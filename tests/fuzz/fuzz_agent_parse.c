/* libFuzzer target: the fence-agent stdin as pacemaker-fenced sends it:
 * split into lines (one too long or holding a NUL byte refused whole), each
 * line parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/agent_parse.h"
#include "fencer/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_opts o;

	agent_opts_init(&o);
	agent_parse_input(&o, (const char *)data, size);
	/* Whatever got through must be safe to hand to a switch. */
	if (strpbrk(o.port, "\n\r") || strpbrk(o.action, "\n\r") || strpbrk(o.config, "\n\r"))
		abort();
	(void)port_name_valid(o.port);
	return 0;
}
