/* 3com driver: placeholder until the real one lands; fails loudly. */
#include "fencer/driver.h"

static int threecom_open(struct sw *sw, const struct deadline *dl)
{
	(void)dl;
	return sw_fail(sw, SWE_UNSUPPORTED, "the 3com driver is not built in this version of fencer");
}

const struct driver driver_threecom = {
	.name = "3com",
	.default_port = 161,
	.open = threecom_open,
};
