/* Wiring verification (fencer(8), check; fencer.conf(5), [node] mac):
 * whether each configured port really leads to its node, judged from what
 * the switches say (the MAC addresses learned on the port, its LLDP
 * neighbours) against what fencer knows of the nodes (their own MAC
 * addresses, which of them forwards). The judgement is pure: the engine's
 * check workers gather the evidence, check.c prints it, the record in
 * state-dir/wiring.json lets a promote use it without asking a switch. */
#ifndef FENCER_WIRING_H
#define FENCER_WIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MAC addresses, each once. */
struct mac_list {
	uint8_t (*v)[6];
	size_t n;
};

void mac_list_add(struct mac_list *, const uint8_t mac[6]);
bool mac_list_has(const struct mac_list *, const uint8_t mac[6]);
void mac_list_free(struct mac_list *);
/* "52:54:00:12:34:56", "5254.0012.3456" or "52-54-00-12-34-56" (a MAC as
 * switches print it) at the start of s, exactly len characters long. */
bool mac_parse_any(const char *s, size_t len, uint8_t mac[6]);

/* One LLDP neighbour a switch sees on a port, as printable text. */
struct lldp_neighbor {
	char sysname[64];		/* System Name, "" when not sent */
	char chassis[64];		/* Chassis ID: "52:54:00:.." or its text */
	char port_id[64];		/* Port ID: a MAC, an interface name... */
	char port_descr[64];		/* Port Description */
};

struct lldp_list {
	struct lldp_neighbor *v;
	size_t n;
};

void lldp_list_add(struct lldp_list *, const struct lldp_neighbor *);
void lldp_list_free(struct lldp_list *);

/* A node of the pair, as far as this node knows it. */
struct wiring_node {
	const char *name;
	struct mac_list macs;		/* its own MACs (bridge member ports), whichever
					 * switch they face */
	bool forwards_known;		/* whether it forwards is known... */
	bool forwards;			/* ... and this is it */
};

enum wiring_status { WIRING_UNKNOWN, WIRING_OK, WIRING_WRONG };

/* One configured port: the evidence the switch gave, and the verdict. */
struct wiring_port {
	const char *sw;
	const char *port;
	const char *node;		/* the node the configuration gives it to */
	bool has_via;
	uint8_t via[6];			/* that node's own MAC on this link, if configured */
	bool asked;			/* its switch was read */
	bool macs_read;
	char macs_error[256];		/* why not: the switch's words, or "driver X cannot ..." */
	struct mac_list macs;
	bool lldp_read;
	char lldp_error[256];
	struct lldp_list lldp;
	/* the verdict */
	enum wiring_status status;
	const char *leads_to;		/* a node the evidence shows it leads to (NULL: none) */
	char reason[512];
};

/* Judge every port of ports[] (the configured ports of the pair, all of
 * them, so that a node's MAC found on another one counts) against the
 * nodes. */
void wiring_judge(struct wiring_port *ports, size_t n, const struct wiring_node *nodes, size_t nnodes);
const char *wiring_status_name(enum wiring_status);
void wiring_port_free(struct wiring_port *);

/* Does an LLDP neighbour name this node: its system name (up to the first
 * dot, any case) is the node's name, or its chassis or port ID is one of
 * the node's MACs? */
bool lldp_names_node(const struct lldp_neighbor *, const struct wiring_node *);

/* The pair as this node knows it (fencer.conf(5), [node] mac), one entry
 * per cfg->nodes[i]: each node's configured MACs; for this node also the
 * MACs of its [announce] interfaces, of its [announce] bridge and the
 * bridge's member ports, read from the kernel; this node forwards when
 * that bridge is up, and then the peer does not (without a bridge
 * configured, neither is known). Free with wiring_nodes_free. */
struct config;
void wiring_nodes(const struct config *, struct wiring_node *nodes);
void wiring_nodes_free(struct wiring_node *, size_t n);

#endif
