/* libFuzzer target: the fence-agent stdin parser, line by line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/agent_parse.h"
#include "fencer/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_opts o;
	char *buf = malloc(size + 1), *save = NULL;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	agent_opts_init(&o);
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		agent_parse_line(&o, line);
	/* Whatever got through must be safe to hand to a switch. */
	if (o.port[0] && strchr(o.port, '\n'))
		abort();
	(void)port_name_valid(o.port);
	free(buf);
	return 0;
}
