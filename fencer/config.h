/* Configuration: the INI file of fencer.conf(5), parsed with libinih
 * into typed structs and validated completely before anything acts. */
#ifndef FENCER_CONFIG_H
#define FENCER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fencer/log.h"
#include "fencer/wiring.h"

struct driver;

struct strlist {
	char **v;
	size_t n;
};

enum fence_policy { FENCE_ABORT, FENCE_CONTINUE };
enum flush_mode { FLUSH_PORT, FLUSH_ALL, FLUSH_NONE };
enum drift_policy { DRIFT_ALERT, DRIFT_REFENCE };

/* exec driver: `option = KEY VALUE` or `option-file = KEY FILE` (a secret). */
struct sw_option {
	char *key;
	char *value;		/* NULL when file is set */
	char *file;
	int line;
};

struct sw_config {
	char *name;
	int line;
	const struct driver *driver;
	bool driver_named;		/* driver = was given (known or not) */
	char *address;
	int port;			/* 0: the driver's default */
	char *user;
	char *identity;			/* ssh private key (secret) */
	char *password_file;
	char *enable_secret_file;
	char *known_hosts;
	long timeout_ms;		/* per operation, inside the run's deadline */
	enum flush_mode flush;
	bool check_write;		/* check tries the write a fence makes, changing nothing */
	bool check_wiring;		/* check reads MAC tables and LLDP (fencer/wiring.h) */
	bool check_wiring_given;	/* check-wiring = was set: else, whether the driver can */
	/* SNMP */
	char *snmp_version;		/* "1", "2c" or "3" */
	char *community_file;
	char *auth_protocol;		/* md5 sha sha256 sha512 */
	char *auth_password_file;
	char *priv_protocol;		/* des aes aes256 */
	char *priv_password_file;
	int retries;
	/* exec */
	char *agent;
	struct sw_option *options;
	size_t noptions;
	/* junos */
	long commit_confirmed_ms;	/* commit confirmed, rolled back unless confirmed; 0 = plain commit */
	/* eos, nxos, aruba-os-switch (drivers/https_session.h): the switch's certificate */
	char *ca_file;			/* CAs that may sign it (else the system's) */
	char *pinned_key;		/* sha256//BASE64 of its public key */
};

/* Fencing levels (fencer.conf(5), FENCING LEVELS): a node's port = lines
 * are level 1, the claim a promote races for; level = N SWITCH PORT lines
 * (N from 2) are fence-only paths to the node, tried in order when the
 * level before could not be verified. */
#define LEVEL_MAX 9

struct port_ref {
	struct sw_config *sw;
	char *port;
	int line;
	int level;			/* 1: a port = line; 2 to LEVEL_MAX: a level = line */
	bool has_mac;
	uint8_t mac[6];			/* the node's MAC on this link, for the wiring check */
};

struct node_config {
	char *name;
	int line;
	int priority;			/* the higher wins a fence race */
	struct port_ref *ports;		/* every level's, in the file's order */
	size_t nports;
	int nlevels;			/* the highest level: 1 without level = lines */
	struct mac_list macs;		/* the MACs of its port lines: its own */
};

struct host_mac {
	uint8_t mac[6];
	char *ifname;			/* member port the host lives behind */
	uint16_t vlan;			/* its VLAN, 0: untagged */
	int line;
};

#define VLAN_IDS 4096			/* 0 (untagged) and 1-4094; 4095 is reserved */

struct announce_config {
	bool present;
	struct strlist interfaces;
	char *bridge;
	bool learned;
	struct strlist addresses;	/* IPv4 and IPv6 literals */
	struct host_mac *macs;
	size_t nmacs;
	int rounds;
	long initial_ms, step_ms, max_ms;
	long rate;			/* frames per second; 0 = unpaced */
	long learn_interval_ms;		/* fencer learn: write macs.json this often */
	long learn_age_ms;		/* forget a MAC not seen for this long */
	long refresh_ms;		/* one round again this often while master; 0 = off */
	/* vlans =: the VLANs to announce, a bit per VLAN ID, bit 0 the hosts
	 * seen untagged; without the key (vlans_set false), every VLAN. */
	bool vlans_set;
	uint8_t vlans[VLAN_IDS / 8];
};

/* Whether [announce] announces the hosts of vlan (0: untagged). */
static inline bool announce_vlan_wanted(const struct announce_config *a, unsigned vlan)
{
	return !a->vlans_set || (vlan < VLAN_IDS - 1 && (a->vlans[vlan / 8] >> (vlan % 8) & 1));
}

struct notify_config {
	bool present;
	struct strlist mail_to;
	char *mail_from;
	char *smtp_url;
	char *smtp_user;
	char *smtp_password_file;
	char *ca_file;
	struct strlist webhooks;
	struct strlist traps;
	char *trap_version;		/* "2c" or "3" */
	char *trap_community_file;
	char *trap_user;
	char *trap_auth_protocol;
	char *trap_auth_password_file;
	char *trap_priv_protocol;
	char *trap_priv_password_file;
	long timeout_ms;
};

struct config {
	char *file;
	char *node;
	char *peer;
	long deadline_ms;
	enum fence_policy on_fence_failure;
	bool unfence_self;		/* promote brings this node's own ports up */
	long race_window_ms;		/* a claim is watched at least this long */
	enum fence_policy on_wiring_mismatch;	/* promote: a port a check proved miswired */
	long wiring_max_age_ms;		/* promote uses a wiring check this recent */
	char *activate;
	char *deactivate;
	char *state_dir;
	char *metrics_file;
	struct sw_config **switches;
	size_t nswitches;
	struct node_config **nodes;
	size_t nnodes;
	struct announce_config announce;
	struct notify_config notify;
	/* fencer serve (docs/serve.md): its control socket, how long the
	 * command line waits for it, the warm sessions' keepalive, the
	 * periodic read-only probes and what a drift triggers. */
	char *socket;
	long serve_wait_ms;
	long keepalive_ms;		/* 0: off */
	long check_interval_ms;		/* 0: off */
	enum drift_policy on_drift;
};

/* ---- keys ---------------------------------------------------------------
 * A section's keys are a table of struct cfg_key: [fencer], [node],
 * [announce] and [notify] have theirs in config.c; a [switch] takes the
 * common keys of config.c and the keys of its driver (struct driver,
 * keys), so that each driver says which keys it accepts and a key of
 * another driver is refused ("community-file is not a key of driver
 * cisco-ios"). */

/* What a key's value must be, and what the field at its offset holds. */
enum cfg_type {
	K_NONE,
	K_STRING,		/* char *: any text */
	K_NAME,			/* char *: letters, digits and _ . - (name_valid) */
	K_USER,			/* char *: a login name (user_valid) */
	K_ADDRESS,		/* char *: an IP address or a host name */
	K_WORD,			/* char *: one of words */
	K_ENUM,			/* int (an enum): the index of the value in words */
	K_DURATION,		/* long: milliseconds, written 500ms or 3s */
	K_INT,			/* int: 0 to 100 */
	K_BOOL,			/* bool: yes or no */
	K_FILE,			/* char *: a path, relative to the configuration's folder */
	K_CONFFILE,		/* char *: a file fencer believes (known hosts, a CA) */
	K_PROGRAM,		/* char *: a program fencer runs */
	K_SECRET,		/* char *: a secret file, at most max bytes of secret */
	K_KEYFILE,		/* char *: an SSH private key */
	K_LIST,			/* struct strlist: words, the key may be repeated */
	K_OPTION,		/* struct sw_option: exec's option = KEY VALUE */
	K_OPTION_FILE,		/* struct sw_option: exec's option-file = KEY FILE */
	K_SPECIAL,		/* set by special (config.c), which owns owns */
};

struct cfg_parser;

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t off;			/* of the field in the section's struct */
	bool repeat;			/* may be given more than once */
	const char *def;		/* the default, as a file would write it */
	long max;			/* K_SECRET: the longest secret its reader takes */
	long min;			/* K_DURATION: the shortest duration it takes, in ms */
	bool can_off;			/* K_DURATION: "off" is taken too, as 0 */
	const char *const *words;	/* K_WORD, K_ENUM: the values it takes */
	const char *what;		/* K_WORD, K_ENUM: its name in an error, if not name */
	void (*special)(struct cfg_parser *, void *obj, const char *value);
	enum cfg_type owns;		/* K_SPECIAL: what its field at off holds, to free */
};

/* A key of a driver's [switch] section: SW_KEY("retries", K_INT, retries,
 * .def = "1"); a table ends with CFG_KEYS_END. */
#define SW_KEY(n, t, field, ...) \
	{ .name = (n), .type = (t), .off = offsetof(struct sw_config, field), __VA_ARGS__ }
#define CFG_KEYS_END { .name = NULL }

/* The SNMPv3 protocols a switch or a trap receiver may name. */
extern const char *const snmp_auth_protocols[];	/* md5 sha sha256 sha512 */
extern const char *const snmp_priv_protocols[];	/* des aes aes256 */

/* What one configuration may hold: a file past these is refused with a
 * clear error, never read into memory without end (fencer.conf(5)). */
#define CONFIG_MAX_BYTES (16L * 1024 * 1024)
#define CONFIG_MAX_ENTRIES 100000	/* switches, nodes, ports, values of one list */
#define CONFIG_MAX_ERRORS 100		/* reported; the rest are counted */

/* Collected errors, each "FILE:LINE: message". */
struct cfg_errors {
	const char *file;
	struct strlist lines;
	size_t dropped;			/* past CONFIG_MAX_ERRORS */
};

void cfg_error(struct cfg_errors *, int line, const char *fmt, ...) PRINTF(3, 4);
/* Every error found, the ones not kept included. */
size_t cfg_error_count(const struct cfg_errors *);

/* Parse and validate. On any error returns NULL and fills errs. */
struct config *config_load(const char *path, struct cfg_errors *errs);
void config_free(struct config *);
void cfg_errors_free(struct cfg_errors *);

struct sw_config *config_switch(const struct config *, const char *name);
struct node_config *config_node(const struct config *, const char *name);

/* Value parsers, shared with the command line and the fence agent. */
bool parse_duration(const char *s, long *ms);
bool port_name_valid(const char *s);
/* A switch login name: letters, digits and _ . - @ \ only. */
bool user_valid(const char *s);
bool name_valid(const char *s);		/* switch and node names */
bool parse_mac(const char *s, uint8_t mac[6]);

/* The longest secret each reader takes, in bytes of its file: the
 * configuration is checked against them, so that configtest refuses what a
 * fence would. */
#define SECRET_SNMP_MAX 255		/* communities, SNMPv3 and SMTP passwords */
#define SECRET_LINE_MAX 1023		/* SSH password, enable secret, agent options */
#define SECRET_KEY_MAX 65536		/* an SSH private key (identity) */

/* Read a secret file: its first line, refused unless the file is one fencer
 * trusts (fencer/trust.h: a regular file of root or this user that group
 * and others cannot access, in trusted folders), not empty, at most len - 1
 * bytes. The secret is remembered, to be masked wherever it comes back
 * (fencer/redact.h). 0, or -1 with err set and buf wiped. */
int secret_read(const char *path, char *buf, size_t len, char *err, size_t errlen);

#endif
