/* Announce (fencer.conf(5), [announce]): gratuitous ARP, unsolicited NA and RARP
 * floods so that switches relearn where the hosts are, and `fencer learn`. */
#ifndef FENCER_ANNOUNCE_H
#define FENCER_ANNOUNCE_H

#include <stdbool.h>

struct config;
struct run;

/* Whether this build has announce support. */
extern const bool announce_available;

/* Send the first round now; the later rounds go on in the background
 * (their outcome still reaches the journal), and with [announce] refresh
 * one round again every interval until announce_stop. 0 ok, -1 failed
 * (the reason is in the run's events). */
int announce_start(const struct config *, struct run *);
/* All rounds in the foreground (`fencer announce`); with run->dry_run, list
 * the frames instead. */
int announce_run(const struct config *, struct run *);
/* `fencer learn`: long-running passive learner. Returns an exit status. */
int learn_run(const struct config *);
/* Stop the background rounds of an earlier promote, if they still run (a
 * node being demoted must not go on claiming the hosts). */
void announce_stop(const struct config *);

struct announce_config;
/* When round r (0-based) starts, in ms after round 0: QEMU's schedule, the
 * gap before round r being min(initial + (r - 1) * step, max). */
long announce_offset_ms(const struct announce_config *, int round);

#endif
