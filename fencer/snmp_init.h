/* net-snmp library set-up, shared by everything in fencer that speaks SNMP
 * (the snmp and 3com drivers, the trap notifier). */
#ifndef FENCER_SNMP_INIT_H
#define FENCER_SNMP_INIT_H

#include <stddef.h>

/* Initialise net-snmp once per process, from any thread, any number of
 * times: no MIB files, no snmp.conf, no persistent state under /var/lib/snmp
 * or ~/.snmp (fencer is a short-lived tool run as root by an HA daemon; it
 * must not leave or depend on files there). Everything is numeric OIDs. */
void snmp_lib_init(void);

/* SNMPv3 on a session that snmp_sess_init prepared, for a switch and for
 * a trap receiver alike: the user, the protocols by their fencer.conf(5)
 * names (fencer/config.h: snmp_auth_protocols, snmp_priv_protocols) and
 * the keys (Ku) made from the passwords; priv NULL: authNoPriv. 0, or -1
 * with err set ("the auth password is shorter than 8 characters, ...").
 * The caller wipes s->securityAuthKey and s->securityPrivKey once
 * snmp_sess_open has taken its own copies. */
struct snmp_session;
int fencer_v3_setup(struct snmp_session *s, const char *user, const char *auth_proto, const char *auth_pw,
    const char *priv_proto, const char *priv_pw, char *err, size_t errlen);

#endif
