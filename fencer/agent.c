/* fence_fencer: the Pacemaker fence-agent protocol (placeholder). */
#include <stdio.h>

#include "fencer/cli.h"
#include "fencer/engine.h"

int agent_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "fence_fencer: the fence-agent protocol is not built in this version of fencer\n");
	return 1;
}
