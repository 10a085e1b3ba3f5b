/* cisco-ios driver: placeholder until the real one lands; fails loudly. */
#include "fencer/driver.h"

static int cisco_ios_open(struct sw *sw, const struct deadline *dl)
{
	(void)dl;
	return sw_fail(sw, SWE_UNSUPPORTED, "the cisco-ios driver is not built in this version of fencer");
}

const struct driver driver_cisco_ios = {
	.name = "cisco-ios",
	.default_port = 22,
	.open = cisco_ios_open,
};
