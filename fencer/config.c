/*
 * Configuration parser. libinih splits lines into sections and key/value
 * pairs; a line reader in front of it counts lines (so every error names
 * FILE:LINE), sees section headers (so empty and duplicate sections are
 * caught) and reports lines inih would silently skip. Keys are looked up in
 * one table per section kind (a [switch]'s: the common keys and every
 * driver's, each driver's own refused for the others when the section
 * ends); anything not in a table is an error, so a typo never silently
 * falls back to a default. Each key's default is in its table entry. Cross-references (a port naming a
 * switch, peer naming a node) are resolved after the whole file is read, and
 * every error is reported in one run. Names are found through hash maps and
 * arrays grow by doubling, so the time is linear in the file's length; the
 * file and what it holds are bounded (CONFIG_MAX_*).
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/config_values.h"
#include "fencer/driver.h"
#include "fencer/name_map.h"
#include "fencer/trust.h"

#define LINE_MAX_LEN 4096
#define MAX_SECTION_KEYS 64		/* keys of one section kind: bits of parser.seen */

enum section_kind { S_NONE, S_FENCER, S_SWITCH, S_NODE, S_ANNOUNCE, S_NOTIFY, S_IGNORED };

/* Kinds of entry bounded by CONFIG_MAX_ENTRIES, each reported once. */
enum entry_kind { E_SWITCH, E_NODE, E_PORT, E_LIST };

struct cfg_parser {
	struct config *cfg;
	struct cfg_errors *errs;
	FILE *fp;
	char *dir;			/* the config file's folder, for relative paths */
	int line;
	long bytes;			/* read so far */
	enum section_kind kind;
	void *obj;			/* the struct the current section fills */
	int fencer_line, announce_line, notify_line;
	uint64_t seen;			/* keys given in the current section, to catch repeats */
	/* The line of each key of the one-of-a-kind sections, so that a check
	 * made after the whole file is read cites the key's own line. */
	int key_line[S_IGNORED + 1][MAX_SECTION_KEYS];
	struct name_map *switches, *nodes;
	struct name_map *checked;	/* "kind max path" -> its verdict in verdicts */
	struct strlist verdicts;
	size_t nports;			/* of every node together */
	unsigned full;			/* bits of the entry kinds reported full */
};

/* ---- small helpers ---------------------------------------------------- */

/* Room for element n of an array that only ever grows by one: its size
 * doubles when n reaches a power of two, so that n appends cost O(n). */
static void *grow(void *v, size_t n, size_t size)
{
	if (n & (n - 1))
		return v;
	return xrealloc(v, n ? 2 * n : 1, size);
}

static void strlist_add(struct strlist *l, const char *s)
{
	l->v = grow(l->v, l->n, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void cfg_error(struct cfg_errors *e, int line, const char *fmt, ...)
{
	char msg[1024], full[1200];
	va_list ap;

	if (e->lines.n >= CONFIG_MAX_ERRORS) {
		e->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof full, "%s:%d: %s", e->file ? e->file : "-", line, msg);
	else
		snprintf(full, sizeof full, "%s: %s", e->file ? e->file : "-", msg);
	strlist_add(&e->lines, full);
}

size_t cfg_error_count(const struct cfg_errors *e)
{
	return e->lines.n + e->dropped;
}

void cfg_errors_free(struct cfg_errors *e)
{
	strlist_free(&e->lines);
	e->dropped = 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* ---- key tables ------------------------------------------------------- */

static void set_driver(struct cfg_parser *, void *, const char *);
static void set_port_number(struct cfg_parser *, void *, const char *);
static void add_node_port(struct cfg_parser *, void *, const char *);
static void add_node_level(struct cfg_parser *, void *, const char *);
static void set_priority(struct cfg_parser *, void *, const char *);
static void set_check_wiring(struct cfg_parser *, void *, const char *);
static void add_announce_mac(struct cfg_parser *, void *, const char *);
static void add_announce_address(struct cfg_parser *, void *, const char *);
static void add_announce_vlans(struct cfg_parser *, void *, const char *);
static void set_rounds(struct cfg_parser *, void *, const char *);
static void set_rate(struct cfg_parser *, void *, const char *);
static void add_trap(struct cfg_parser *, void *, const char *);
static void add_url(struct cfg_parser *, void *, const char *);
static void set_smtp_url(struct cfg_parser *, void *, const char *);
static void add_mail(struct cfg_parser *, void *, const char *);

/* Keys of struct st: F plain, D with a default, L a list, S a secret. */
#define F(n, t, st, f) { .name = (n), .type = (t), .off = offsetof(struct st, f) }
#define D(n, t, st, f, d) { .name = (n), .type = (t), .off = offsetof(struct st, f), .def = (d) }
#define L(n, t, st, f) { .name = (n), .type = (t), .off = offsetof(struct st, f), .repeat = true }
#define S(n, st, f, mx) { .name = (n), .type = K_SECRET, .off = offsetof(struct st, f), .max = (mx) }
/* One of words: K_ENUM into an enum field, K_WORD into a string. */
#define E(n, t, st, f, w, d) { .name = (n), .type = (t), .off = offsetof(struct st, f), .words = (w), .def = (d) }
/* A key with a setter of its own; the field at off holds what a key of type own holds. */
#define X(n, fn, rep) { .name = (n), .type = K_SPECIAL, .repeat = (rep), .special = (fn) }
#define XO(n, fn, rep, st, f, own) { .name = (n), .type = K_SPECIAL, .repeat = (rep), .special = (fn), \
	.off = offsetof(struct st, f), .owns = (own) }
#define END CFG_KEYS_END

static const char *const policies[] = { "abort", "continue", NULL };	/* enum fence_policy */
static const char *const flush_modes[] = { "port", "all", "none", NULL };	/* enum flush_mode */
static const char *const trap_versions[] = { "2c", "3", NULL };
static const char *const drift_policies[] = { "alert", "refence", NULL };	/* enum drift_policy */
_Static_assert(sizeof(enum fence_policy) == sizeof(int) && sizeof(enum flush_mode) == sizeof(int) &&
    sizeof(enum drift_policy) == sizeof(int),
    "K_ENUM writes an int");

static const struct cfg_key fencer_keys[] = {
	F("node", K_NAME, config, node),
	F("peer", K_NAME, config, peer),
	D("deadline", K_DURATION, config, deadline_ms, "5s"),
	E("on-fence-failure", K_ENUM, config, on_fence_failure, policies, "abort"),
	D("unfence-self", K_BOOL, config, unfence_self, "yes"),
	D("race-window", K_DURATION, config, race_window_ms, "200ms"),
	E("on-wiring-mismatch", K_ENUM, config, on_wiring_mismatch, policies, "abort"),
	D("wiring-max-age", K_DURATION, config, wiring_max_age_ms, "180s"),
	F("activate", K_STRING, config, activate),
	F("deactivate", K_STRING, config, deactivate),
	D("state-dir", K_FILE, config, state_dir, "/var/lib/fencer"),
	F("metrics-file", K_FILE, config, metrics_file),
	/* fencer serve (docs/serve.md) */
	D("socket", K_FILE, config, socket, "/run/fencer/fencer.sock"),
	{ .name = "serve-wait", .type = K_DURATION, .off = offsetof(struct config, serve_wait_ms),
	  .def = "50ms", .min = 1 },
	{ .name = "keepalive", .type = K_DURATION, .off = offsetof(struct config, keepalive_ms),
	  .def = "30s", .can_off = true, .min = 1000 },
	{ .name = "check-interval", .type = K_DURATION, .off = offsetof(struct config, check_interval_ms),
	  .def = "60s", .can_off = true, .min = 1000 },
	E("on-drift", K_ENUM, config, on_drift, drift_policies, "alert"),
	END
};

/* The keys of every [switch]; each driver adds its own (struct driver). */
static const struct cfg_key common_switch_keys[] = {
	X("driver", set_driver, false),
	F("address", K_ADDRESS, sw_config, address),
	X("port", set_port_number, false),
	D("timeout", K_DURATION, sw_config, timeout_ms, "3s"),
	E("flush", K_ENUM, sw_config, flush, flush_modes, "port"),
	D("check-write", K_BOOL, sw_config, check_write, "yes"),
	X("check-wiring", set_check_wiring, false),
	END
};

static const struct cfg_key node_keys[] = {
	X("port", add_node_port, true),
	X("level", add_node_level, true),
	X("priority", set_priority, false),
	END
};

static const struct cfg_key announce_keys[] = {
	L("interface", K_LIST, announce_config, interfaces),
	F("bridge", K_NAME, announce_config, bridge),
	F("learned", K_BOOL, announce_config, learned),
	XO("address", add_announce_address, true, announce_config, addresses, K_LIST),
	X("mac", add_announce_mac, true),
	X("vlans", add_announce_vlans, true),
	{ .name = "rounds", .type = K_SPECIAL, .special = set_rounds, .def = "5" },
	D("initial", K_DURATION, announce_config, initial_ms, "50ms"),
	D("step", K_DURATION, announce_config, step_ms, "100ms"),
	D("max", K_DURATION, announce_config, max_ms, "550ms"),
	X("rate", set_rate, false),
	D("learn-interval", K_DURATION, announce_config, learn_interval_ms, "10s"),
	D("learn-age", K_DURATION, announce_config, learn_age_ms, "600s"),
	/* Not shorter than a second: a round every few ms is a flood, not a
	 * reminder (fencer.conf(5)). */
	{ .name = "refresh", .type = K_DURATION, .off = offsetof(struct announce_config, refresh_ms),
	    .def = "off", .can_off = true, .min = 1000 },
	END
};

static const struct cfg_key notify_keys[] = {
	XO("mail-to", add_mail, true, notify_config, mail_to, K_LIST),
	F("mail-from", K_STRING, notify_config, mail_from),
	XO("smtp-url", set_smtp_url, false, notify_config, smtp_url, K_STRING),
	F("smtp-user", K_STRING, notify_config, smtp_user),
	S("smtp-password-file", notify_config, smtp_password_file, SECRET_SNMP_MAX),
	F("ca-file", K_CONFFILE, notify_config, ca_file),
	XO("webhook", add_url, true, notify_config, webhooks, K_LIST),
	XO("trap", add_trap, true, notify_config, traps, K_LIST),
	E("trap-version", K_WORD, notify_config, trap_version, trap_versions, "2c"),
	S("trap-community-file", notify_config, trap_community_file, SECRET_SNMP_MAX),
	F("trap-user", K_STRING, notify_config, trap_user),
	{ .name = "trap-auth-protocol", .type = K_WORD, .off = offsetof(struct notify_config, trap_auth_protocol),
	    .words = snmp_auth_protocols, .what = "auth protocol" },
	S("trap-auth-password-file", notify_config, trap_auth_password_file, SECRET_SNMP_MAX),
	{ .name = "trap-priv-protocol", .type = K_WORD, .off = offsetof(struct notify_config, trap_priv_protocol),
	    .words = snmp_priv_protocols, .what = "privacy protocol" },
	S("trap-priv-password-file", notify_config, trap_priv_password_file, SECRET_SNMP_MAX),
	D("timeout", K_DURATION, notify_config, timeout_ms, "5s"),
	END
};

#define KEYS_FIT(t) _Static_assert(sizeof t / sizeof *t <= MAX_SECTION_KEYS, #t " has too many keys")
KEYS_FIT(fencer_keys);
KEYS_FIT(node_keys);
KEYS_FIT(announce_keys);
KEYS_FIT(notify_keys);

/* ---- the keys of [switch]: the common ones and every driver's ------------- */

/* One table of the keys of any [switch], the common ones first, so that a
 * key is found, and a repeat caught, before the driver is known (driver =
 * may come last). Each key has a bit; drivers[d] holds the bits of the
 * keys driver d takes. Built once, from the registry. */
static struct {
	struct cfg_key keys[MAX_SECTION_KEYS + 1];
	size_t n, ncommon;
	uint64_t common;
	uint64_t drivers[16];
} sw_keys;

static size_t sw_key_add(const struct cfg_key *k, const char *driver)
{
	size_t i;

	for (i = 0; i < sw_keys.n; i++)
		if (strcmp(sw_keys.keys[i].name, k->name) == 0)
			break;
	if (i < sw_keys.n && i < sw_keys.ncommon)
		fatalx("driver %s declares %s, a key of every switch", driver, k->name);
	if (i < sw_keys.n && (sw_keys.keys[i].off != k->off || sw_keys.keys[i].type != k->type))
		fatalx("driver %s declares %s unlike another driver", driver, k->name);
	if (i == sw_keys.n) {
		if (sw_keys.n == MAX_SECTION_KEYS)
			fatalx("the drivers declare more than %d switch keys", MAX_SECTION_KEYS);
		sw_keys.keys[sw_keys.n++] = *k;
	}
	return i;
}

static const struct cfg_key *switch_keys(void)
{
	const struct driver *const *all = driver_list();

	if (sw_keys.n)
		return sw_keys.keys;
	for (const struct cfg_key *k = common_switch_keys; k->name; k++)
		sw_keys.common |= (uint64_t)1 << sw_key_add(k, NULL);
	sw_keys.ncommon = sw_keys.n;
	for (size_t d = 0; all[d]; d++) {
		if (d == sizeof sw_keys.drivers / sizeof *sw_keys.drivers)
			fatalx("more drivers than the key table holds");
		for (const struct cfg_key *k = all[d]->keys; k && k->name; k++)
			sw_keys.drivers[d] |= (uint64_t)1 << sw_key_add(k, all[d]->name);
	}
	return sw_keys.keys;
}

/* "user, identity, ...": the keys of drv beyond the common ones. */
static const char *driver_key_names(const struct driver *drv)
{
	static char buf[512];
	static const struct driver *of;
	size_t used = 0;

	if (of == drv)
		return buf;
	buf[0] = '\0';
	for (const struct cfg_key *k = drv->keys; k && k->name && used < sizeof buf; k++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? ", " : "", k->name);
	of = drv;
	return buf;
}

/* The bits of the keys a switch of driver drv takes. */
static uint64_t driver_keys(const struct driver *drv)
{
	const struct driver *const *all = driver_list();

	switch_keys();
	for (size_t d = 0; all[d]; d++)
		if (all[d] == drv)
			return sw_keys.common | sw_keys.drivers[d];
	return sw_keys.common;
}

/* ---- special keys ----------------------------------------------------- */

static void set_driver(struct cfg_parser *p, void *obj, const char *v)
{
	struct sw_config *sw = obj;

	sw->driver_named = true;
	if (!(sw->driver = driver_find(v)))
		cfg_error(p->errs, p->line, "unknown driver '%s' (known: %s)", v, driver_names());
}

static void set_check_wiring(struct cfg_parser *p, void *obj, const char *v)
{
	struct sw_config *sw = obj;

	sw->check_wiring_given = true;
	if (!parse_bool(v, &sw->check_wiring))
		cfg_error(p->errs, p->line, "check-wiring must be yes or no, not '%s'", v);
}

static void set_port_number(struct cfg_parser *p, void *obj, const char *v)
{
	struct sw_config *sw = obj;
	long n;

	if (!parse_int(v, 1, 65535, &n))
		cfg_error(p->errs, p->line, "port must be a number from 1 to 65535, not '%s' "
		    "(switch ports are named in [node] sections)", v);
	else
		sw->port = (int)n;
}

static void set_rounds(struct cfg_parser *p, void *obj, const char *v)
{
	long n;

	if (!parse_int(v, 1, 100, &n))
		cfg_error(p->errs, p->line, "rounds must be a number from 1 to 100, not '%s'", v);
	else
		((struct announce_config *)obj)->rounds = (int)n;
}

static void set_rate(struct cfg_parser *p, void *obj, const char *v)
{
	long n;

	if (!parse_int(v, 0, 100000000, &n))
		cfg_error(p->errs, p->line, "rate must be frames per second (0 = unpaced), not '%s'", v);
	else
		((struct announce_config *)obj)->rate = n;
}

/* Split "FIRST REST" at the first run of white space. */
static bool split2(const char *v, char **first, char **rest)
{
	size_t n = strcspn(v, " \t");
	const char *r = v + n;

	while (*r == ' ' || *r == '\t')
		r++;
	if (!n || !*r)
		return false;
	*first = xstrndup(v, n);
	*rest = xstrdup(r);
	return true;
}

static char *resolve_path(struct cfg_parser *p, const char *v)
{
	char buf[PATH_MAX];

	if (v[0] == '/' || !p->dir)
		return xstrdup(v);
	snprintf(buf, sizeof buf, "%s/%s", p->dir, v);
	return xstrdup(buf);
}

/* One more entry of a kind bounded by CONFIG_MAX_ENTRIES (n of them are
 * there already)? Past the bound, the error is given once per kind. */
static bool room_for(struct cfg_parser *p, size_t n, enum entry_kind kind, const char *what)
{
	if (n < CONFIG_MAX_ENTRIES)
		return true;
	if (!(p->full & (1u << kind)))
		cfg_error(p->errs, p->line, "more than %d %s: a configuration holds at most %d",
		    CONFIG_MAX_ENTRIES, what, CONFIG_MAX_ENTRIES);
	p->full |= 1u << kind;
	return false;
}

/* Run a file check, once per kind and path and load: many switches share
 * one agent or one community file. The verdict ("" when the file passed)
 * is kept for the next line that names the file. */
static void check_file(struct cfg_parser *p, const char *kind, int (*check)(const char *, long, char *, size_t),
    const char *path, long max)
{
	char key[PATH_MAX + 64], err[1024] = "";
	const char *verdict;

	snprintf(key, sizeof key, "%s %ld %s", kind, max, path);
	if (!(verdict = name_map_get(p->checked, key))) {
		if (check(path, max, err, sizeof err) == 0)
			err[0] = '\0';
		strlist_add(&p->verdicts, err);
		verdict = p->verdicts.v[p->verdicts.n - 1];
		name_map_put(p->checked, key, (void *)verdict);
	}
	if (*verdict)
		cfg_error(p->errs, p->line, "%s", verdict);
}

/* The keys fencer gives the agent itself, and the agents' other names for
 * them: an option may not change which port is acted on, or how. */
static bool option_reserved(const char *key)
{
	static const char *const own[] = { "action", "option", "port", "plug", NULL };

	return one_of(key, own);
}

static void push_option(struct cfg_parser *p, struct sw_config *sw, const char *v, bool file)
{
	const char *name = file ? "option-file" : "option";
	struct sw_option *o;
	char *key, *val;

	if (!split2(v, &key, &val)) {
		cfg_error(p->errs, p->line, "%s needs a key and a %s: %s = KEY %s", name,
		    file ? "file" : "value", name, file ? "FILE" : "VALUE");
		return;
	}
	if (!name_valid(key) || strchr(val, '\n'))
		cfg_error(p->errs, p->line, "bad option key '%s'", key);
	else if (option_reserved(key))
		cfg_error(p->errs, p->line, "%s key '%s' is fencer's own: fencer tells the agent the "
		    "action and the port itself; remove this line", name, key);
	if (!room_for(p, sw->noptions, E_LIST, "values of one list")) {
		free(key);
		free(val);
		return;
	}
	sw->options = grow(sw->options, sw->noptions, sizeof *sw->options);
	o = &sw->options[sw->noptions++];
	*o = (struct sw_option){ .key = key, .line = p->line };
	if (file) {
		o->file = resolve_path(p, val);
		free(val);
		check_file(p, "secret", check_secret, o->file, SECRET_LINE_MAX);
	} else {
		o->value = val;
	}
}

static void set_priority(struct cfg_parser *p, void *obj, const char *v)
{
	long n;

	if (!parse_int(v, 0, 255, &n))
		cfg_error(p->errs, p->line, "priority must be a number from 0 to 255, not '%s'", v);
	else
		((struct node_config *)obj)->priority = (int)n;
}

/* port = SWITCH PORT [MAC]: MAC is the node's own on that link (the bridge
 * member port cabled to it, as the switch learns it: aa:bb:cc:dd:ee:ff or
 * aabb.ccdd.eeff), for the wiring check. */
static void node_port_keep(struct cfg_parser *, struct node_config *, struct port_ref *, const char *sw,
    const char *port);

static void add_node_port(struct cfg_parser *p, void *obj, const char *v)
{
	struct node_config *node = obj;
	struct port_ref ref = { .line = p->line };
	char *copy = xstrdup(v), *save = NULL, *w[4] = { NULL };
	size_t n = 0;

	for (char *t = strtok_r(copy, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n < 2 || n > 3) {
		cfg_error(p->errs, p->line, "port must be 'SWITCH PORT [MAC]', e.g. 'port = core GigabitEthernet0/1' "
		    "or 'port = core GigabitEthernet0/1 52:54:00:12:34:56'");
		free(copy);
		return;
	}
	if (!port_name_valid(w[1]))
		cfg_error(p->errs, p->line, "port name '%s' has characters outside "
		    "letters, digits and / : . - (64 at most)", w[1]);
	if (n == 3 && (!mac_parse_any(w[2], strlen(w[2]), ref.mac) || (ref.mac[0] & 1)))
		cfg_error(p->errs, p->line, "port must be 'SWITCH PORT [MAC]': '%s' is not a unicast MAC address "
		    "(aa:bb:cc:dd:ee:ff), the node's own on that link", w[2]);
	else if (n == 3) {
		ref.has_mac = true;
		mac_list_add(&node->macs, ref.mac);
	}
	ref.level = 1;
	node_port_keep(p, node, &ref, w[0], w[1]);
	free(copy);
}

/* Keep a port of a node, its switch by name: the switch is looked up once
 * the whole file is read. */
static void node_port_keep(struct cfg_parser *p, struct node_config *node, struct port_ref *ref,
    const char *sw, const char *port)
{
	if (!room_for(p, p->nports, E_PORT, "ports"))
		return;
	p->nports++;
	node->ports = grow(node->ports, node->nports, sizeof *node->ports);
	ref->sw = (struct sw_config *)xstrdup(sw);
	ref->port = xstrdup(port);
	node->ports[node->nports++] = *ref;
	if (ref->level > node->nlevels)
		node->nlevels = ref->level;
}

/* level = N SWITCH PORT: a fence-only path to the node, tried when level
 * N - 1 could not be verified (fencer.conf(5), FENCING LEVELS). Level 1 is
 * the port = lines, which alone carry a MAC (the wiring check is theirs). */
static void add_node_level(struct cfg_parser *p, void *obj, const char *v)
{
	struct node_config *node = obj;
	struct port_ref ref = { .line = p->line };
	char *copy = xstrdup(v), *save = NULL, *w[4] = { NULL };
	size_t n = 0;
	long level;

	for (char *t = strtok_r(copy, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (n >= 1 && parse_int(w[0], 1, 1, &level))
		cfg_error(p->errs, p->line, "level 1 is the port = lines; a level = line is level 2 to %d: "
		    "write 'port = %s%s%s' instead", LEVEL_MAX, n > 1 ? w[1] : "SWITCH", n > 2 ? " " : " PORT",
		    n > 2 ? w[2] : "");
	else if (n < 1 || !parse_int(w[0], 2, LEVEL_MAX, &level))
		cfg_error(p->errs, p->line, "level must be 'N SWITCH PORT' with N from 2 to %d, e.g. "
		    "'level = 2 core-snmp GigabitEthernet0/1'", LEVEL_MAX);
	else if (n < 3)
		cfg_error(p->errs, p->line, "level %ld has no port: write 'level = %ld SWITCH PORT', e.g. "
		    "'level = %ld pdu 4'", level, level, level);
	else if (n > 3)
		cfg_error(p->errs, p->line, "level must be 'N SWITCH PORT': '%s' is one word too many (a MAC "
		    "for the wiring check goes on the port = line, level 1)", w[3]);
	else if (!port_name_valid(w[2]))
		cfg_error(p->errs, p->line, "port name '%s' has characters outside "
		    "letters, digits and / : . - (64 at most)", w[2]);
	else {
		ref.level = (int)level;
		node_port_keep(p, node, &ref, w[1], w[2]);
	}
	free(copy);
}

/* The VLAN ID of a word: 1-4094. */
static bool parse_vlan(const char *w, long *vlan)
{
	return parse_int(w, 1, VLAN_IDS - 2, vlan);
}

static void add_announce_mac(struct cfg_parser *p, void *obj, const char *v)
{
	struct announce_config *a = obj;
	struct host_mac *m;
	char *mac = NULL, *ifname = NULL, *vlan = NULL;
	long vid = 0;

	if (split2(v, &mac, &ifname) && strpbrk(ifname, " \t")) {
		char *rest = ifname;

		ifname = vlan = NULL;
		if (!split2(rest, &ifname, &vlan) || strpbrk(vlan, " \t") || !parse_vlan(vlan, &vid)) {
			free(ifname);
			ifname = NULL;
		}
		free(rest);
	}
	if (!ifname) {
		free(mac);
		free(vlan);
		cfg_error(p->errs, p->line, "mac must be 'MAC PORT' or 'MAC PORT VLAN' (VLAN 1-4094), "
		    "e.g. 'mac = 52:54:00:12:34:56 em1 10'");
		return;
	}
	free(vlan);
	if (!room_for(p, a->nmacs, E_LIST, "values of one list")) {
		free(mac);
		free(ifname);
		return;
	}
	a->macs = grow(a->macs, a->nmacs, sizeof *a->macs);
	m = &a->macs[a->nmacs++];
	*m = (struct host_mac){ .ifname = ifname, .vlan = (uint16_t)vid, .line = p->line };
	if (!parse_mac(mac, m->mac) || (m->mac[0] & 1))
		cfg_error(p->errs, p->line, "'%s' is not a unicast MAC address (aa:bb:cc:dd:ee:ff)", mac);
	free(mac);
}

static void add_words(struct cfg_parser *p, struct strlist *l, const char *v,
    bool (*ok)(const char *), const char *what)
{
	char *copy = xstrdup(v), *save = NULL;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (ok && !ok(w))
			cfg_error(p->errs, p->line, "'%s' is not %s", w, what);
		if (!room_for(p, l->n, E_LIST, "values of one list"))
			break;
		strlist_add(l, w);
	}
	free(copy);
}

static void add_announce_address(struct cfg_parser *p, void *obj, const char *v)
{
	add_words(p, &((struct announce_config *)obj)->addresses, v, ip_literal,
	    "an IPv4 or IPv6 address");
}

/* vlans = 10 20 100-199 untagged: VLAN IDs, ranges of them, and the word
 * untagged for the hosts seen without a tag. */
static void add_announce_vlans(struct cfg_parser *p, void *obj, const char *v)
{
	struct announce_config *a = obj;
	char *copy = xstrdup(v), *save = NULL;

	a->vlans_set = true;
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *dash = strchr(w, '-');
		long lo, hi;

		if (strcmp(w, "untagged") == 0) {
			a->vlans[0] |= 1;
			continue;
		}
		if (dash)
			*dash = '\0';
		if (!parse_vlan(w, &lo) || (dash ? !parse_vlan(dash + 1, &hi) || hi < lo : (hi = lo, false))) {
			if (dash)
				*dash = '-';
			cfg_error(p->errs, p->line, "vlans: '%s' is not a VLAN ID (1-4094), a range such as "
			    "100-199, or untagged", w);
			continue;
		}
		for (long n = lo; n <= hi; n++)
			a->vlans[n / 8] |= (uint8_t)(1u << (n % 8));
	}
	free(copy);
}

static void add_mail(struct cfg_parser *p, void *obj, const char *v)
{
	add_words(p, &((struct notify_config *)obj)->mail_to, v, mail_valid, "a mail address");
}

static void add_url(struct cfg_parser *p, void *obj, const char *v)
{
	static const char *const ok[] = { "http://", "https://", NULL };

	if (!url_has_scheme(v, ok))
		cfg_error(p->errs, p->line, "webhook must be an http:// or https:// URL, not '%s'", v);
	if (room_for(p, ((struct notify_config *)obj)->webhooks.n, E_LIST, "values of one list"))
		strlist_add(&((struct notify_config *)obj)->webhooks, v);
}

static void set_smtp_url(struct cfg_parser *p, void *obj, const char *v)
{
	static const char *const ok[] = { "smtp://", "smtps://", NULL };

	if (!url_has_scheme(v, ok))
		cfg_error(p->errs, p->line, "smtp-url must be smtp://HOST[:PORT] or smtps://HOST[:PORT], not '%s'", v);
	((struct notify_config *)obj)->smtp_url = xstrdup(v);
}

static void add_trap(struct cfg_parser *p, void *obj, const char *v)
{
	if (strpbrk(v, " \t") || !*v)
		cfg_error(p->errs, p->line, "trap must be one receiver such as udp:192.0.2.50:162");
	if (room_for(p, ((struct notify_config *)obj)->traps.n, E_LIST, "values of one list"))
		strlist_add(&((struct notify_config *)obj)->traps, v);
}

/* ---- generic keys ----------------------------------------------------- */

static const struct cfg_key *section_keys(enum section_kind k)
{
	switch (k) {
	case S_FENCER: return fencer_keys;
	case S_SWITCH: return switch_keys();
	case S_NODE: return node_keys;
	case S_ANNOUNCE: return announce_keys;
	case S_NOTIFY: return notify_keys;
	default: return NULL;
	}
}

/* What the field of a key holds, for freeing it. */
static enum cfg_type stored(const struct cfg_key *k)
{
	switch (k->type) {
	case K_STRING: case K_NAME: case K_USER: case K_ADDRESS: case K_WORD: case K_FILE:
	case K_CONFFILE: case K_PROGRAM: case K_SECRET: case K_KEYFILE:
		return K_STRING;
	case K_LIST:
		return K_LIST;
	case K_SPECIAL:
		return k->owns;
	default:
		return K_NONE;	/* a number, or freed with its section (options) */
	}
}

/* "1, 2c or 3" */
static void words_phrase(const char *const *w, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; w[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : w[i + 1] ? ", " : " or ",
		    w[i]);
}

/* K_WORD and K_ENUM: the index of v in the key's words, or -1 (reported). */
static int word_index(struct cfg_parser *p, const struct cfg_key *k, const char *v)
{
	char words[256];

	for (int i = 0; k->words[i]; i++)
		if (strcmp(v, k->words[i]) == 0)
			return i;
	words_phrase(k->words, words, sizeof words);
	cfg_error(p->errs, p->line, "%s must be %s, not '%s'", k->what ? k->what : k->name, words, v);
	return -1;
}

/* A path, relative to the configuration's folder, and the check of the
 * file its kind of key names (once per file: check_file). */
static char *set_path(struct cfg_parser *p, const struct cfg_key *k, const char *v)
{
	char *path = resolve_path(p, v);

	if (k->type == K_CONFFILE)
		check_file(p, "conf", check_conf_file, path, -1);
	else if (k->type == K_PROGRAM)
		check_file(p, "program", check_program, path, -1);
	else if (k->type == K_SECRET)
		check_file(p, "secret", check_secret, path, k->max);
	else if (k->type == K_KEYFILE)
		check_file(p, "key", check_key_file, path, SECRET_KEY_MAX);
	return path;
}

/* A duration of at least k->min, or "off" (0) where the key takes it. */
static void set_duration(struct cfg_parser *p, const struct cfg_key *k, const char *v, long *field)
{
	char least[32];

	if (k->can_off && strcmp(v, "off") == 0) {
		*field = 0;
		return;
	}
	if (!parse_duration(v, field)) {
		cfg_error(p->errs, p->line, "%s: '%s' is not a duration: write e.g. 500ms or 3s%s", k->name, v,
		    k->can_off ? ", or off" : "");
		return;
	}
	if (*field >= k->min)
		return;
	if (k->min % 1000 == 0)
		snprintf(least, sizeof least, "%lds", k->min / 1000);
	else
		snprintf(least, sizeof least, "%ldms", k->min);
	cfg_error(p->errs, p->line, "%s = %s is too short: write %s or more%s", k->name, v, least,
	    k->can_off ? ", or off" : "");
}

static void set_value(struct cfg_parser *p, const struct cfg_key *k, void *obj, const char *v)
{
	char *field = (char *)obj + k->off;
	char **str = (char **)field;
	long n;
	int w;

	if (stored(k) == K_STRING && k->type != K_SPECIAL) {
		free(*str);	/* a default such as state-dir */
		*str = NULL;
	}
	switch (k->type) {
	case K_NONE:
		break;
	case K_STRING:
		*str = xstrdup(v);
		break;
	case K_NAME:
		if (!name_valid(v))
			cfg_error(p->errs, p->line, "%s '%s' may hold only letters, digits and _ . -", k->name, v);
		*str = xstrdup(v);
		break;
	case K_USER:
		if (!user_valid(v))
			cfg_error(p->errs, p->line, "%s '%s' may hold only letters, digits and "
			    "_ . - @ \\ (64 at most)", k->name, v);
		*str = xstrdup(v);
		break;
	case K_ADDRESS:
		if (!address_valid(v))
			cfg_error(p->errs, p->line, "'%s' is not an IP address or host name", v);
		*str = xstrdup(v);
		break;
	case K_WORD:
		if ((w = word_index(p, k, v)) >= 0)
			*str = xstrdup(k->words[w]);
		break;
	case K_ENUM:
		if ((w = word_index(p, k, v)) >= 0)
			*(int *)field = w;
		break;
	case K_DURATION:
		set_duration(p, k, v, (long *)field);
		break;
	case K_INT:
		if (!parse_int(v, 0, 100, &n))
			cfg_error(p->errs, p->line, "%s must be a number from 0 to 100, not '%s'", k->name, v);
		else
			*(int *)field = (int)n;
		break;
	case K_BOOL:
		if (!parse_bool(v, (bool *)field))
			cfg_error(p->errs, p->line, "%s must be yes or no, not '%s'", k->name, v);
		break;
	case K_FILE: case K_CONFFILE: case K_PROGRAM: case K_SECRET: case K_KEYFILE:
		*str = set_path(p, k, v);
		break;
	case K_LIST:
		add_words(p, (struct strlist *)field, v, NULL, NULL);
		break;
	case K_OPTION:
	case K_OPTION_FILE:
		push_option(p, obj, v, k->type == K_OPTION_FILE);
		break;
	case K_SPECIAL:
		k->special(p, obj, v);
		break;
	}
}

/* The defaults of a table (those not in given, bits of the table's keys),
 * into obj: fencer.conf(5)'s defaults are these, in one place. */
static void set_defaults(struct cfg_parser *p, const struct cfg_key *keys, void *obj, uint64_t given,
    uint64_t only)
{
	for (size_t i = 0; keys[i].name; i++)
		if (keys[i].def && !(given & ((uint64_t)1 << i)) && (only & ((uint64_t)1 << i)))
			set_value(p, &keys[i], obj, keys[i].def);
}

/* Free what the keys of a table hold in obj. */
static void free_fields(const struct cfg_key *keys, void *obj)
{
	for (size_t i = 0; keys[i].name; i++) {
		char *field = (char *)obj + keys[i].off;

		if (stored(&keys[i]) == K_STRING) {
			free(*(char **)field);
			*(char **)field = NULL;
		} else if (stored(&keys[i]) == K_LIST) {
			strlist_free((struct strlist *)field);
		}
	}
}

/* A key given twice where one value is meant would silently win or lose:
 * refuse it. Each section object is filled by one section (a repeated one
 * is ignored), so the keys seen are reset at every section header. */
static bool first_time(struct cfg_parser *p, const struct cfg_key *k, size_t index)
{
	uint64_t bit = (uint64_t)1 << index;

	p->key_line[p->kind][index] = p->line;
	if (k->repeat) {
		p->seen |= bit;
		return true;
	}
	if (p->seen & bit) {
		cfg_error(p->errs, p->line, "'%s' is set twice in this section", k->name);
		return false;
	}
	p->seen |= bit;
	return true;
}

/* The line a key of a one-of-a-kind section was given on, or `fallback`
 * (the section's line) when it was not given. */
static int key_line(const struct cfg_parser *p, enum section_kind kind, const char *name, int fallback)
{
	const struct cfg_key *keys = section_keys(kind);

	for (size_t i = 0; keys && keys[i].name; i++)
		if (strcmp(keys[i].name, name) == 0 && p->key_line[kind][i])
			return p->key_line[kind][i];
	return fallback;
}

/* Strip an inline comment: white space, then # or ;. */
static void strip_comment(char *v)
{
	for (char *s = v; *s; s++)
		if ((*s == '#' || *s == ';') && s > v && isspace((unsigned char)s[-1])) {
			*s = '\0';
			break;
		}
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_parser *p = user;
	const struct cfg_key *k = section_keys(p->kind);
	char *v = xstrdup(value ? value : "");

	(void)section;
	strip_comment(v);
	value = trim(v);
	if (p->kind == S_IGNORED)
		goto out;
	if (p->kind == S_NONE) {
		cfg_error(p->errs, p->line, "'%s' is outside any section: put it under [fencer] or another section", name);
		goto out;
	}
	for (; k && k->name; k++)
		if (strcmp(k->name, name) == 0)
			break;
	if (!k || !k->name)
		cfg_error(p->errs, p->line, "unknown key '%s' in this section", name);
	else if (!*value)
		cfg_error(p->errs, p->line, "'%s' has no value", name);
	else if (first_time(p, k, (size_t)(k - section_keys(p->kind))))
		set_value(p, k, p->obj, value);
out:
	free(v);
	return 1;
}

/* ---- sections ---------------------------------------------------------- */

static struct sw_config *new_switch(struct cfg_parser *p, const char *name)
{
	struct config *c = p->cfg;
	struct sw_config *sw = xcalloc(1, sizeof *sw);
	const struct cfg_key *keys = switch_keys();	/* builds sw_keys */

	sw->name = xstrdup(name);
	sw->line = p->line;
	set_defaults(p, keys, sw, 0, sw_keys.common);
	c->switches = grow(c->switches, c->nswitches, sizeof *c->switches);
	c->switches[c->nswitches++] = sw;
	name_map_put(p->switches, name, sw);
	return sw;
}

static struct node_config *new_node(struct cfg_parser *p, const char *name)
{
	struct config *c = p->cfg;
	struct node_config *n = xcalloc(1, sizeof *n);

	n->name = xstrdup(name);
	n->line = p->line;
	c->nodes = grow(c->nodes, c->nnodes, sizeof *c->nodes);
	c->nodes[c->nnodes++] = n;
	name_map_put(p->nodes, name, n);
	return n;
}

/* A section that appears twice: later keys go nowhere, the error says where
 * the first one was. */
static bool once(struct cfg_parser *p, int *first, const char *what)
{
	if (*first) {
		cfg_error(p->errs, p->line, "duplicate [%s] section (first at line %d)", what, *first);
		p->kind = S_IGNORED;
		return false;
	}
	*first = p->line;
	return true;
}

static void named_section(struct cfg_parser *p, const char *kind, const char *name)
{
	const char *label = strcmp(kind, "switch") == 0 ? "switch" : "node";
	bool is_switch = *label == 's';
	void *dup;

	if (!*name || !name_valid(name)) {
		cfg_error(p->errs, p->line, "[%s NAME] needs a name of letters, digits and _ . -", label);
		p->kind = S_IGNORED;
		return;
	}
	if (!room_for(p, is_switch ? p->cfg->nswitches : p->cfg->nnodes, is_switch ? E_SWITCH : E_NODE,
	    is_switch ? "switches" : "nodes")) {
		p->kind = S_IGNORED;
		return;
	}
	dup = name_map_get(is_switch ? p->switches : p->nodes, name);
	if (dup) {
		cfg_error(p->errs, p->line, "duplicate [%s %s] (first at line %d)", label, name,
		    *label == 's' ? ((struct sw_config *)dup)->line : ((struct node_config *)dup)->line);
		p->kind = S_IGNORED;
		return;
	}
	p->kind = *label == 's' ? S_SWITCH : S_NODE;
	p->obj = *label == 's' ? (void *)new_switch(p, name) : (void *)new_node(p, name);
}

/* A [switch] is complete: refuse the keys its driver does not take, each
 * at its own line, and give the driver's keys their defaults. */
static void switch_end(struct cfg_parser *p, struct sw_config *sw)
{
	const struct cfg_key *keys = switch_keys();
	uint64_t takes = driver_keys(sw->driver), foreign = p->seen & ~takes;

	if (!sw->driver)
		return;		/* none named, or unknown: reported already */
	for (size_t i = 0; keys[i].name; i++)
		if (foreign & ((uint64_t)1 << i))
			cfg_error(p->errs, p->key_line[S_SWITCH][i], "%s is not a key of driver %s%s%s",
			    keys[i].name, sw->driver->name, *driver_key_names(sw->driver) ? ": its own keys are " :
			    ": it takes only the common ones", driver_key_names(sw->driver));
	set_defaults(p, keys, sw, p->seen, takes & ~sw_keys.common);
}

static void section_end(struct cfg_parser *p)
{
	if (p->kind == S_SWITCH)
		switch_end(p, p->obj);
}

/* After the `]` only a comment may follow (`[switch core]   # Cisco`), as
 * after a value. Anything else is reported, and the header is still taken
 * as written up to the `]`: ignoring the section would add an error for
 * every key in it and for every port naming it. */
static void section_header(struct cfg_parser *p, char *text)
{
	char *close = strchr(text, ']'), *name, *kind, *rest;

	section_end(p);
	p->seen = 0;
	if (!close) {
		cfg_error(p->errs, p->line, "malformed section header: write [fencer], [switch NAME], [node NAME], [announce] or [notify]");
		p->kind = S_IGNORED;
		return;
	}
	rest = trim(close + 1);
	if (*rest && *rest != '#' && *rest != ';')
		cfg_error(p->errs, p->line, "text after the section header: only a comment (# or ;) may follow the ]");
	*close = '\0';
	kind = trim(text + 1);
	name = kind + strcspn(kind, " \t");
	if (*name)
		*name++ = '\0';
	name = trim(name);
	if (strcmp(kind, "switch") == 0 || strcmp(kind, "node") == 0) {
		named_section(p, kind, name);
		return;
	}
	if (*name) {
		cfg_error(p->errs, p->line, "[%s] takes no name", kind);
		p->kind = S_IGNORED;
	} else if (strcmp(kind, "fencer") == 0) {
		p->kind = S_FENCER, p->obj = p->cfg;
		if (!once(p, &p->fencer_line, "fencer"))
			return;
	} else if (strcmp(kind, "announce") == 0) {
		p->kind = S_ANNOUNCE, p->obj = &p->cfg->announce;
		if (once(p, &p->announce_line, "announce"))
			p->cfg->announce.present = true;
	} else if (strcmp(kind, "notify") == 0) {
		p->kind = S_NOTIFY, p->obj = &p->cfg->notify;
		if (once(p, &p->notify_line, "notify"))
			p->cfg->notify.present = true;
	} else {
		cfg_error(p->errs, p->line, "unknown section [%s]: expected fencer, switch NAME, node NAME, announce or notify", kind);
		p->kind = S_IGNORED;
	}
}

/* A control character in a line is refused, comments included, and the line
 * is never echoed: an ESC or CR in an error message would rewrite the
 * operator's terminal, and one in a value could reach a switch's CLI or a
 * log. Tabs are white space; the CR of a CRLF line was trimmed already. */
static bool control_char(struct cfg_parser *p, const char *line, const char *s)
{
	for (const char *c = s; *c; c++)
		if (*c != '\t' && iscntrl((unsigned char)*c)) {
			cfg_error(p->errs, p->line, "control character 0x%02x at column %d: "
			    "only printable characters and tabs may appear; retype the line",
			    (unsigned char)*c, (int)(c - line) + 1);
			return true;
		}
	return false;
}

/* One line of the file into buf (without its newline), however long it
 * is: *len is its whole length (a line longer than buf is cut), *nul the
 * column of its first NUL byte (0: none), which C strings would silently
 * end the line at. -1 at the end of the file. */
static int physical_line(struct cfg_parser *p, char *buf, size_t size, size_t *len, size_t *nul)
{
	size_t n = 0;
	int ch = getc_unlocked(p->fp);

	if (ch == EOF)
		return -1;
	*nul = 0;
	for (; ch != EOF && ch != '\n'; ch = getc_unlocked(p->fp), n++) {
		if (!ch && !*nul)
			*nul = n + 1;
		if (n + 1 < size)
			buf[n] = (char)ch;
	}
	buf[n + 1 < size ? n : size - 1] = '\0';
	*len = n;
	p->bytes += (long)n + 1;
	return 0;
}

/* The line reader in front of inih: counts lines, takes section headers,
 * reports lines inih would skip, and strips leading white space so that an
 * indented key is never read as the continuation of the previous value. */
static char *read_line(char *str, int num, void *stream)
{
	struct cfg_parser *p = stream;
	char buf[LINE_MAX_LEN], *s;
	size_t len, nul;

	if (p->bytes > CONFIG_MAX_BYTES || physical_line(p, buf, sizeof buf, &len, &nul) < 0)
		return NULL;
	p->line++;
	if (p->bytes > CONFIG_MAX_BYTES) {	/* it grew since it was opened */
		cfg_error(p->errs, p->line, "the file is longer than %ld bytes", CONFIG_MAX_BYTES);
		return NULL;
	}
	if (nul) {
		cfg_error(p->errs, p->line, "control character 0x00 at column %zu: only printable "
		    "characters and tabs may appear; retype the line", nul);
		buf[0] = '\0';
	} else if (len >= sizeof buf) {
		cfg_error(p->errs, p->line, "line is longer than %d characters", LINE_MAX_LEN - 1);
		buf[0] = '\0';
	}
	s = trim(buf);
	if (control_char(p, buf, s))
		s = "";
	if (*s == '[') {
		section_header(p, s);
		s = "";		/* inih need not see it: sections are ours */
	} else if (*s && *s != '#' && *s != ';' && !strchr(s, '=')) {
		cfg_error(p->errs, p->line, "expected 'key = value' or a [section]");
		s = "";
	}
	if ((int)strlen(s) + 2 > num) {
		cfg_error(p->errs, p->line, "line is too long");
		s = "";
	}
	snprintf(str, (size_t)num, "%s\n", s);
	return str;
}

/* ---- validation --------------------------------------------------------- */

/* Levels are tried in order, each after the one before it: a level with
 * no port would be skipped unseen, so a gap is refused where it shows. */
static void levels_contiguous(const struct node_config *n, struct cfg_errors *e)
{
	for (int level = 3; level <= n->nlevels; level++) {
		const struct port_ref *at = NULL;
		bool before = false;

		for (size_t j = 0; j < n->nports; j++) {
			before = before || n->ports[j].level == level - 1;
			if (!at && n->ports[j].level == level)
				at = &n->ports[j];
		}
		if (at && !before)
			cfg_error(e, at->line, "[node %s] has level %d but no level %d: levels are tried in order "
			    "(2 after the port = lines, then 3...); number them without a gap", n->name, level,
			    level - 1);
	}
}

/* A level fences one node: a port that is also another node's (at any
 * level) would shut that node too, the one promoting included. */
static void levels_not_shared(const struct config *c, struct cfg_errors *e)
{
	struct name_map *level1 = name_map_new(), *higher = name_map_new();	/* "SWITCH PORT" -> node */
	char key[256];

	for (size_t i = 0; i < c->nnodes; i++)
		for (size_t j = 0; j < c->nodes[i]->nports; j++) {
			const struct port_ref *r = &c->nodes[i]->ports[j];

			snprintf(key, sizeof key, "%s %s", r->sw ? r->sw->name : "", r->port);
			if (r->sw && r->level == 1)
				name_map_put(level1, key, c->nodes[i]);
		}
	for (size_t i = 0; i < c->nnodes; i++)
		for (size_t j = 0; j < c->nodes[i]->nports; j++) {
			const struct port_ref *r = &c->nodes[i]->ports[j];
			const struct node_config *o;

			if (!r->sw || r->level < 2)
				continue;
			snprintf(key, sizeof key, "%s %s", r->sw->name, r->port);
			o = name_map_get(level1, key);
			if (!o || o == c->nodes[i])
				o = name_map_put(higher, key, c->nodes[i]);
			if (o && o != c->nodes[i])
				cfg_error(e, r->line, "level %d port %s %s of %s is also a port of %s: fencing %s there "
				    "would shut %s too; name a path that leads to %s alone", r->level, r->sw->name,
				    r->port, c->nodes[i]->name, o->name, c->nodes[i]->name, o->name, c->nodes[i]->name);
		}
	name_map_free(level1);
	name_map_free(higher);
}

static void resolve_ports(struct cfg_parser *p)
{
	struct config *c = p->cfg;
	struct cfg_errors *e = p->errs;

	for (size_t i = 0; i < c->nnodes; i++) {
		struct node_config *n = c->nodes[i];
		struct name_map *seen = name_map_new();	/* "SWITCH PORT" -> its port_ref */

		for (size_t j = 0; j < n->nports; j++) {
			struct port_ref *r = &n->ports[j], *first;
			char *name = (char *)r->sw, key[256];

			r->sw = name_map_get(p->switches, name);
			if (!r->sw && r->level > 1)
				cfg_error(e, r->line, "level %d names switch '%s', which has no [switch %s] section",
				    r->level, name, name);
			else if (!r->sw)
				cfg_error(e, r->line, "port names switch '%s', which has no [switch %s] section",
				    name, name);
			snprintf(key, sizeof key, "%s %s", name, r->port);
			if (r->sw && (first = name_map_put(seen, key, r)))
				cfg_error(e, r->line, "port %s %s is listed twice (first at line %d)",
				    name, r->port, first->line);
			free(name);
		}
		name_map_free(seen);
		levels_contiguous(n, e);
	}
	levels_not_shared(c, e);
}

static void validate_switch(const struct sw_config *sw, struct cfg_errors *e)
{
	if (!sw->driver) {
		if (!sw->driver_named)
			cfg_error(e, sw->line, "[switch %s] has no driver (one of: %s)", sw->name, driver_names());
		return;
	}
	if (sw->driver->validate)
		sw->driver->validate(sw, e);
}

/* The wiring check is on by default where the driver can read a MAC
 * table or LLDP: elsewhere (exec) it could only ever say UNKNOWN. */
static void default_check_wiring(struct sw_config *sw)
{
	if (!sw->check_wiring_given)
		sw->check_wiring = sw->driver && (sw->driver->port_macs || sw->driver->port_neighbors);
}

/* The peer cannot be told when there are other nodes than one and this
 * node has no [node] section: the real problem is then this node's name (a
 * typo in node =, or a host name that is not the node's name), not the
 * peer. */
static void own_node_missing(struct config *c, struct cfg_errors *e, int line, const char *host)
{
	char names[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < c->nnodes && used < sizeof names; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
		    c->nodes[i]->name);
	if (host)
		cfg_error(e, line, "this node is '%s' (from the host name '%s': no node = is set), and there "
		    "is no [node %s]: set node = to one of %s", c->node, host, c->node, names);
	else
		cfg_error(e, line, "node = %s, and there is no [node %s]: add that section, or set node = to "
		    "one of %s", c->node, c->node, names);
}

/* Where switches exist, a node without a port could be "fenced" by doing
 * nothing: refused, so that no command and no fence agent reports success
 * for an empty set. */
static void nodes_have_ports(struct config *c, struct cfg_errors *e)
{
	if (!c->nswitches)
		return;
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct node_config *n = c->nodes[i];
		bool level1 = false;

		for (size_t j = 0; j < n->nports; j++)
			level1 = level1 || n->ports[j].level == 1;
		if (!n->nports)
			cfg_error(e, n->line, "[node %s] has no port: fencing it would shut nothing; "
			    "add port = SWITCH PORT", n->name);
		else if (!level1)
			cfg_error(e, n->line, "[node %s] has level = lines but no port = line: level 1 is its "
			    "port = lines (the ports a promote brings up and fences first); add port = SWITCH PORT",
			    n->name);
	}
}

static void default_peer(struct config *c, struct cfg_errors *e, int line, const char *host)
{
	if (c->peer) {
		if (strcmp(c->peer, c->node) == 0)
			cfg_error(e, line, "peer '%s' is this node itself", c->peer);
		else if (c->nnodes && !config_node(c, c->peer))
			cfg_error(e, line, "peer '%s' has no [node %s] section", c->peer, c->peer);
		return;
	}
	for (size_t i = 0; i < c->nnodes; i++) {
		if (strcmp(c->nodes[i]->name, c->node) == 0)
			continue;
		if (c->peer) {
			if (!config_node(c, c->node))
				own_node_missing(c, e, line, host);
			else
				cfg_error(e, line, "more than one other [node]: say which one to fence with peer =");
			return;
		}
		c->peer = xstrdup(c->nodes[i]->name);
	}
}

static void validate_announce(struct cfg_parser *p)
{
	struct announce_config *a = &p->cfg->announce;
	struct cfg_errors *e = p->errs;
	int line = p->announce_line;
	struct name_map *ifs;

	if (!a->present)
		return;
	if (!a->interfaces.n)
		cfg_error(e, line, "[announce] needs interface = the bridge member ports to send through");
	ifs = name_map_new();
	for (size_t i = 0; i < a->interfaces.n; i++) {
		if (!name_valid(a->interfaces.v[i]) || strlen(a->interfaces.v[i]) > 15)
			cfg_error(e, key_line(p, S_ANNOUNCE, "interface", line),
			    "interface '%s' is not an interface name", a->interfaces.v[i]);
		name_map_put(ifs, a->interfaces.v[i], a->interfaces.v[i]);
	}
	for (size_t i = 0; i < a->nmacs; i++)
		if (!name_map_get(ifs, a->macs[i].ifname))
			cfg_error(e, a->macs[i].line, "mac names port '%s', which is not in interface =",
			    a->macs[i].ifname);
	name_map_free(ifs);
	if (a->max_ms < a->initial_ms)
		cfg_error(e, key_line(p, S_ANNOUNCE, "max", key_line(p, S_ANNOUNCE, "initial", line)),
		    "announce max (%ld ms) is below initial (%ld ms)", a->max_ms, a->initial_ms);
}

static void validate_notify(struct config *c, struct cfg_errors *e, int line)
{
	struct notify_config *n = &c->notify;

	if (!n->present)
		return;
	if (n->mail_to.n && (!n->smtp_url || !n->mail_from))
		cfg_error(e, line, "mail-to needs smtp-url and mail-from");
	if (n->smtp_user && !n->smtp_password_file)
		cfg_error(e, line, "smtp-user needs smtp-password-file");
	if (n->traps.n && strcmp(n->trap_version, "2c") == 0 && !n->trap_community_file)
		cfg_error(e, line, "trap-version 2c needs trap-community-file");
	if (n->traps.n && strcmp(n->trap_version, "3") == 0 && !n->trap_user)
		cfg_error(e, line, "trap-version 3 needs trap-user (and its auth and priv keys)");
}

/* The node's name when node = is not set; host keeps the full host name
 * for the messages. */
static void short_hostname(struct config *c, char *host, size_t len)
{
	if (gethostname(host, len) < 0)
		snprintf(host, len, "localhost");
	host[len - 1] = '\0';
	c->node = xstrndup(host, strcspn(host, "."));
}

/* The state folder: fencer writes the journal and the fence state there as
 * root, so nobody else may write in it (nor above it). */
static void validate_state_dir(struct cfg_parser *p)
{
	char err[1024];

	if (trust_folder(p->cfg->state_dir, err, sizeof err) < 0)
		cfg_error(p->errs, key_line(p, S_FENCER, "state-dir", 0), "state-dir: %s", err);
}

static void validate(struct cfg_parser *p)
{
	struct config *c = p->cfg;
	struct cfg_errors *e = p->errs;
	char host[256];
	bool from_host = !c->node;
	int line = p->fencer_line ? p->fencer_line : 1;

	if (!p->fencer_line)
		cfg_error(e, 1, "no [fencer] section: it is the one section every configuration needs");
	if (from_host)
		short_hostname(c, host, sizeof host);
	validate_state_dir(p);
	resolve_ports(p);
	nodes_have_ports(c, e);
	for (size_t i = 0; i < c->nswitches; i++) {
		validate_switch(c->switches[i], e);
		default_check_wiring(c->switches[i]);
	}
	for (size_t i = 0; i < c->nswitches; i++)
		if (!c->switches[i]->known_hosts) {
			char path[PATH_MAX];

			snprintf(path, sizeof path, "%s/known_hosts", c->state_dir);
			c->switches[i]->known_hosts = xstrdup(path);
		}
	default_peer(c, e, line, from_host ? host : NULL);
	if (c->deadline_ms < 100)
		cfg_error(e, key_line(p, S_FENCER, "deadline", p->fencer_line),
		    "deadline %ld ms is too short to fence anything (100ms at least)", c->deadline_ms);
	else if (c->race_window_ms < 10 || c->race_window_ms > c->deadline_ms / 2)
		cfg_error(e, key_line(p, S_FENCER, "race-window", key_line(p, S_FENCER, "deadline", p->fencer_line)),
		    "race-window %ld ms must be from 10ms to half the deadline (%ld ms): a promote watches "
		    "its claim that long", c->race_window_ms, c->deadline_ms / 2);
	validate_announce(p);
	validate_notify(c, e, p->notify_line);
}

/* The file is opened as fencer.conf(5) says a trusted file must be: it
 * and its folders belong to root or this user and nobody else may write
 * them; fencer runs its activate command as root. */
static FILE *open_config(const char *path, struct cfg_errors *e)
{
	char err[1024];
	int fd = trust_open(path, TRUST_CONFIG, CONFIG_MAX_BYTES, err, sizeof err);
	FILE *fp;

	if (fd < 0 && errno == ENOENT)
		cfg_error(e, 0, "cannot open: %s", strerror(ENOENT));
	else if (fd < 0)
		cfg_error(e, 0, "%s", err);
	if (fd < 0)
		return NULL;
	if (!(fp = fdopen(fd, "r"))) {
		cfg_error(e, 0, "cannot read: %s", strerror(errno));
		close(fd);
	}
	return fp;
}

static void parser_free(struct cfg_parser *p)
{
	if (p->fp)
		fclose(p->fp);
	name_map_free(p->switches);
	name_map_free(p->nodes);
	name_map_free(p->checked);
	strlist_free(&p->verdicts);
	free(p->dir);
}

struct config *config_load(const char *path, struct cfg_errors *errs)
{
	struct cfg_parser *p = xcalloc(1, sizeof *p);
	struct config *cfg;
	char *copy;
	int rc;

	errs->file = path;
	p->errs = errs;
	p->cfg = xcalloc(1, sizeof *p->cfg);
	p->cfg->file = xstrdup(path);
	p->switches = name_map_new();
	p->nodes = name_map_new();
	p->checked = name_map_new();
	set_defaults(p, fencer_keys, p->cfg, 0, ~(uint64_t)0);
	set_defaults(p, announce_keys, &p->cfg->announce, 0, ~(uint64_t)0);
	set_defaults(p, notify_keys, &p->cfg->notify, 0, ~(uint64_t)0);
	if (!(p->fp = open_config(path, errs)))
		goto fail;
	copy = xstrdup(path);
	p->dir = xstrdup(dirname(copy));
	free(copy);
	rc = ini_parse_stream(read_line, p, on_key, p);
	if (rc < 0)
		cfg_error(errs, p->line, "cannot read the file");
	section_end(p);
	validate(p);
	if (errs->lines.n)
		goto fail;
	cfg = p->cfg;
	parser_free(p);
	free(p);
	return cfg;
fail:
	parser_free(p);
	config_free(p->cfg);
	free(p);
	return NULL;
}

/* ---- lookup and free ---------------------------------------------------- */

struct sw_config *config_switch(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nswitches; i++)
		if (strcmp(c->switches[i]->name, name) == 0)
			return c->switches[i];
	return NULL;
}

struct node_config *config_node(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nnodes; i++)
		if (strcmp(c->nodes[i]->name, name) == 0)
			return c->nodes[i];
	return NULL;
}

static void switch_free(struct sw_config *sw)
{
	free_fields(switch_keys(), sw);
	free(sw->name);
	for (size_t i = 0; i < sw->noptions; i++) {
		free(sw->options[i].key);
		free(sw->options[i].value);
		free(sw->options[i].file);
	}
	free(sw->options);
	free(sw);
}

static void node_free(struct node_config *n)
{
	for (size_t i = 0; i < n->nports; i++)
		free(n->ports[i].port);
	free(n->ports);
	mac_list_free(&n->macs);
	free(n->name);
	free(n);
}

static void notify_free(struct notify_config *n)
{
	free_fields(notify_keys, n);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nswitches; i++)
		switch_free(c->switches[i]);
	for (size_t i = 0; i < c->nnodes; i++)
		node_free(c->nodes[i]);
	free(c->switches);
	free(c->nodes);
	free_fields(announce_keys, &c->announce);
	for (size_t i = 0; i < c->announce.nmacs; i++)
		free(c->announce.macs[i].ifname);
	free(c->announce.macs);
	notify_free(&c->notify);
	free_fields(fencer_keys, c);
	free(c->file);
	free(c);
}
