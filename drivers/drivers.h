/* Every driver's ops table, for the registry. */
#ifndef FENCER_DRIVERS_H
#define FENCER_DRIVERS_H

#include "fencer/driver.h"

extern const struct driver driver_exec;
extern const struct driver driver_cisco_ios;
extern const struct driver driver_snmp;
extern const struct driver driver_threecom;

#endif
