/* net-snmp library set-up, shared by everything in fencer that speaks SNMP
 * (the snmp and 3com drivers, the trap notifier). */
#ifndef FENCER_SNMP_INIT_H
#define FENCER_SNMP_INIT_H

/* Initialise net-snmp once per process, from any thread, any number of
 * times: no MIB files, no snmp.conf, no persistent state under /var/lib/snmp
 * or ~/.snmp (fencer is a short-lived tool run as root by an HA daemon; it
 * must not leave or depend on files there). Everything is numeric OIDs. */
void snmp_lib_init(void);

#endif
