/* Placeholder until announce.c exists: every call fails, loudly. */
#include "fencer/announce.h"
#include "fencer/journal.h"
#include "fencer/log.h"

const bool announce_available = false;

int announce_start(const struct config *cfg, struct run *run)
{
	return announce_run(cfg, run);
}

int announce_run(const struct config *cfg, struct run *run)
{
	(void)cfg;
	run_note(run, "announce", OUT_FAILED, "announce is not built in this version of fencer");
	return -1;
}

int learn_run(const struct config *cfg)
{
	(void)cfg;
	log_warnx("learn: not built in this version of fencer");
	return 1;
}
