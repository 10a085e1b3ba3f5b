#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "fencer/snmp_init.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void snmp_lib_init_once(void)
{
	/* The defaults store must be set before init_snmp reads anything. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_QUICK_PRINT, 1);
	/* No MIB directory: nothing to parse, no "Cannot find module" noise. */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, "");
	netsnmp_set_mib_directory("");
	/* Even with the above, init_snmp looks for TLS certificates under every
	 * configuration directory (/etc/snmp, ~/.snmp...) and opens
	 * /var/lib/snmp/cert_indexes: point both at a path that cannot exist. */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, "/dev/null/fencer");
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, "/dev/null/fencer");
	/* Errors come back through the session, not on stderr: with no
	 * handler at all net-snmp would fall back to stderr. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_EMERG);
	init_snmp("fencer");
}

void snmp_lib_init(void)
{
	pthread_once(&once, snmp_lib_init_once);
}

/* ---- SNMPv3 ---------------------------------------------------------------- */

struct proto {
	const char *name;
	const oid *oid;
	size_t len;
};

static const struct proto auth_protos[] = {
	{ "md5", usmHMACMD5AuthProtocol, OID_LENGTH(usmHMACMD5AuthProtocol) },
	{ "sha", usmHMACSHA1AuthProtocol, OID_LENGTH(usmHMACSHA1AuthProtocol) },
	{ "sha256", usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol) },
	{ "sha512", usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol) },
	{ NULL, NULL, 0 }
};

/* aes256 is the Blumenthal draft (net-snmp's and snmpd's AES256), not
 * Cisco's variant. */
static const struct proto priv_protos[] = {
	{ "des", usmDESPrivProtocol, OID_LENGTH(usmDESPrivProtocol) },
	{ "aes", usmAESPrivProtocol, OID_LENGTH(usmAESPrivProtocol) },
	{ "aes256", usmAES256PrivProtocol, OID_LENGTH(usmAES256PrivProtocol) },
	{ NULL, NULL, 0 }
};

static const struct proto *proto_find(const struct proto *t, const char *name)
{
	for (; name && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* A password into a USM key (Ku), with the session's auth protocol. */
static int make_key(netsnmp_session *s, const char *what, const char *pw, u_char *key, size_t *keylen,
    size_t maxlen, char *err, size_t errlen)
{
	int rc;

	if (strlen(pw) < USM_LENGTH_P_MIN) {
		snprintf(err, errlen, "the %s password is shorter than %d characters, the SNMPv3 minimum", what,
		    USM_LENGTH_P_MIN);
		return -1;
	}
	*keylen = maxlen;
	rc = generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen, (const u_char *)pw, strlen(pw),
	    key, keylen);
	if (rc != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot make the SNMPv3 %s key: %s", what, snmp_api_errstring(rc));
		return -1;
	}
	return 0;
}

int fencer_v3_setup(netsnmp_session *s, const char *user, const char *auth_proto, const char *auth_pw,
    const char *priv_proto, const char *priv_pw, char *err, size_t errlen)
{
	const struct proto *auth = proto_find(auth_protos, auth_proto);
	const struct proto *priv = priv_pw ? proto_find(priv_protos, priv_proto) : NULL;

	if (!user || !auth || !auth_pw || (priv_pw && !priv)) {
		snprintf(err, errlen, "incomplete SNMPv3 settings");
		return -1;
	}
	s->version = SNMP_VERSION_3;
	s->securityName = (char *)user;
	s->securityNameLen = strlen(user);
	s->securityAuthProto = (oid *)auth->oid;
	s->securityAuthProtoLen = auth->len;
	if (make_key(s, "auth", auth_pw, s->securityAuthKey, &s->securityAuthKeyLen, USM_AUTH_KU_LEN, err,
	    errlen) < 0)
		return -1;
	s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (!priv)
		return 0;
	s->securityPrivProto = (oid *)priv->oid;
	s->securityPrivProtoLen = priv->len;
	if (make_key(s, "priv", priv_pw, s->securityPrivKey, &s->securityPrivKeyLen, USM_PRIV_KU_LEN, err,
	    errlen) < 0)
		return -1;
	s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	return 0;
}
