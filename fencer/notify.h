/* Notifications (mail, webhook, SNMP trap, syslog) of a run's outcome. */
#ifndef FENCER_NOTIFY_H
#define FENCER_NOTIFY_H

#include <stdbool.h>

struct config;
struct run;

extern const bool notify_available;

/* Send the run's outcome through every channel of [notify], in parallel,
 * bounded by [notify] timeout. Called after every other step; failures are
 * recorded in the run and never change what was done. 0 all delivered (or
 * nothing configured), -1 some channel failed. */
int notify_send(const struct config *, struct run *, const char *outcome, int exit_code);

#endif
