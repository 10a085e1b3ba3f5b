/* The one list of switch drivers: adding a driver is one file (its ops and
 * its keys), its line here (declared and listed) and its part of
 * fencer.conf(5). */
#include <string.h>

#include "fencer/driver.h"

extern const struct driver driver_cisco_ios;	/* drivers/cisco_ios.c */
extern const struct driver driver_snmp;		/* drivers/snmp.c */
extern const struct driver driver_threecom;	/* drivers/3com.c */
extern const struct driver driver_exec;		/* drivers/exec.c */
extern const struct driver driver_junos;	/* drivers/junos.c */
extern const struct driver driver_eos;		/* drivers/eos.c */
extern const struct driver driver_nxos;		/* drivers/nxos.c */
extern const struct driver driver_aruba_os_switch;	/* drivers/aruba_os_switch.c */
extern const struct driver driver_comware;	/* drivers/comware.c */
extern const struct driver driver_dell_os;	/* drivers/dell_os.c */

static const struct driver *const drivers[] = {
	&driver_cisco_ios,
	&driver_snmp,
	&driver_threecom,
	&driver_exec,
	&driver_junos,
	&driver_eos,
	&driver_nxos,
	&driver_aruba_os_switch,
	&driver_comware,
	&driver_dell_os,
	NULL
};

const struct driver *driver_find(const char *name)
{
	for (size_t i = 0; drivers[i]; i++)
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	return NULL;
}

const struct driver *const *driver_list(void)
{
	return drivers;
}

const char *driver_names(void)
{
	static char buf[256];

	if (!buf[0])
		for (size_t i = 0; drivers[i]; i++) {
			if (i)
				strcat(buf, ", ");
			strcat(buf, drivers[i]->name);
		}
	return buf;
}
