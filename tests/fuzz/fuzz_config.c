/* libFuzzer target: the configuration parser on arbitrary bytes. Errors are
 * expected; crashes, leaks and undefined behaviour are not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fencer/config.h"
#include "fencer/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct cfg_errors errs = { 0 };
	struct config *c;
	FILE *fp;

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fencer-fuzz-config-%ld.conf", (long)getpid());
	if (!(fp = fopen(path, "w")))
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	chmod(path, 0600);
	c = config_load(path, &errs);
	config_free(c);
	cfg_errors_free(&errs);
	redact_clear();		/* the secrets a run read are its own */
	return 0;
}
