/* snmp driver: placeholder until the real one lands; fails loudly. */
#include "fencer/driver.h"

static int snmp_open(struct sw *sw, const struct deadline *dl)
{
	(void)dl;
	return sw_fail(sw, SWE_UNSUPPORTED, "the snmp driver is not built in this version of fencer");
}

const struct driver driver_snmp = {
	.name = "snmp",
	.default_port = 161,
	.open = snmp_open,
};
