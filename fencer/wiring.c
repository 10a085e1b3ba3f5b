/*
 * Wiring verification: the judgement (fencer/wiring.h). Pure: evidence in,
 * verdicts out.
 *
 * What a MAC proves. A node's MAC on its link to switch S (the MAC of
 * its port line) enters S only through the port that link is cabled to:
 * the other node, if it forwards, carries that node's frames to the other
 * switches, never back to S. Its MACs toward other switches, though, may
 * reach S through the forwarding node's port, and so may every host's. So
 * on S only a node's MAC on its link to S says which port leads to it,
 * wherever it is learned. A node known not to forward (this node with its
 * bridge down, or the peer while this node's bridge is up: at most one
 * forwards) is stricter still: its ports carry its own MACs and nothing
 * else. LLDP frames are never forwarded by a bridge: a neighbour is the
 * system at the other end of the cable.
 *
 * A port configured for node N is
 *   - wrong (CRITICAL) when the evidence points elsewhere: another node's
 *     MAC on its link to this switch is learned on it, or N's is learned
 *     on another configured port of the switch and not on it; its LLDP
 *     neighbour is another system; N does not forward and a MAC not its own
 *     is learned on it (another node's, or a third host's);
 *   - proven (OK) when N's MAC on its link to this switch is learned on it,
 *     or N does not forward and one of its MACs is, or its LLDP neighbour
 *     names N, and nothing points elsewhere;
 *   - unknown otherwise, with the reason: a standby whose bridge is down
 *     and that runs no LLDP agent sends nothing a switch could learn.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fencer/alloc.h"
#include "fencer/log.h"
#include "fencer/wiring.h"

/* ---- lists ------------------------------------------------------------------ */

bool mac_list_has(const struct mac_list *l, const uint8_t mac[6])
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i], mac, 6) == 0)
			return true;
	return false;
}

void mac_list_add(struct mac_list *l, const uint8_t mac[6])
{
	if (mac_list_has(l, mac))
		return;
	l->v = xrealloc(l->v, l->n + 1, sizeof *l->v);
	memcpy(l->v[l->n++], mac, 6);
}

void mac_list_free(struct mac_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int hex_value(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : -1;
}

/* Twelve hex digits, grouped by two with ':' or '-', or by four with '.'. */
bool mac_parse_any(const char *s, size_t len, uint8_t mac[6])
{
	size_t group, digits = 0, i = 0;
	char sep;

	if (len == 17 && (s[2] == ':' || s[2] == '-'))
		group = 2, sep = s[2];
	else if (len == 14 && s[4] == '.')
		group = 4, sep = '.';
	else
		return false;
	for (size_t k = 0; k < len; k++) {
		int h;

		if ((k + 1) % (group + 1) == 0) {
			if (s[k] != sep)
				return false;
			continue;
		}
		if ((h = hex_value(s[k])) < 0)
			return false;
		if (digits % 2 == 0)
			mac[i] = (uint8_t)(h << 4);
		else
			mac[i++] |= (uint8_t)h;
		digits++;
	}
	return digits == 12;
}

void lldp_list_add(struct lldp_list *l, const struct lldp_neighbor *nb)
{
	l->v = xrealloc(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = *nb;
}

void lldp_list_free(struct lldp_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void wiring_port_free(struct wiring_port *p)
{
	mac_list_free(&p->macs);
	lldp_list_free(&p->lldp);
}

const char *wiring_status_name(enum wiring_status s)
{
	return s == WIRING_OK ? "ok" : s == WIRING_WRONG ? "wrong" : "unknown";
}

/* ---- naming ------------------------------------------------------------------- */

static bool id_is_mac_of(const char *id, const struct wiring_node *n)
{
	uint8_t mac[6];

	return mac_parse_any(id, strlen(id), mac) && mac_list_has(&n->macs, mac);
}

bool lldp_names_node(const struct lldp_neighbor *nb, const struct wiring_node *n)
{
	size_t len = strcspn(nb->sysname, ".");

	if (len && len == strlen(n->name) && strncasecmp(nb->sysname, n->name, len) == 0)
		return true;
	return id_is_mac_of(nb->chassis, n) || id_is_mac_of(nb->port_id, n);
}

/* "fw1 (port a0)", or the chassis when it sent no name. */
static void neighbor_phrase(const struct lldp_neighbor *nb, char *buf, size_t len)
{
	const char *port = nb->port_descr[0] ? nb->port_descr : nb->port_id;

	snprintf(buf, len, "%s%s%s%s", nb->sysname[0] ? nb->sysname : "chassis ",
	    nb->sysname[0] ? "" : nb->chassis, port[0] ? " (port " : "", port[0] ? port : "");
	if (port[0])
		snprintf(buf + strlen(buf), len - strlen(buf), ")");
}

static const char *mac_text(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

/* ---- the judgement ---------------------------------------------------------------- */

struct judgement {
	struct wiring_port *p;
	const struct wiring_node *me;	/* the node the port is configured for */
	char proof[256];
	bool wrong;
};

static const struct wiring_node *node_of(const struct wiring_node *nodes, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(nodes[i].name, name) == 0)
			return &nodes[i];
	return NULL;
}

static const struct wiring_node *owner_of(const struct wiring_node *nodes, size_t n, const uint8_t mac[6])
{
	for (size_t i = 0; i < n; i++)
		if (mac_list_has(&nodes[i].macs, mac))
			return &nodes[i];
	return NULL;
}

/* The first contradiction found is the one said. */
static void wrong(struct judgement *j, const struct wiring_node *leads_to, const char *fmt, ...) PRINTF(3, 4);
static void wrong(struct judgement *j, const struct wiring_node *leads_to, const char *fmt, ...)
{
	struct wiring_port *p = j->p;
	va_list ap;
	int n;

	if (j->wrong)
		return;
	j->wrong = true;
	p->leads_to = leads_to ? leads_to->name : NULL;
	n = snprintf(p->reason, sizeof p->reason, "%s %s is configured for %s, but ", p->sw, p->port, p->node);
	if (n < 0 || (size_t)n >= sizeof p->reason)
		return;
	va_start(ap, fmt);
	vsnprintf(p->reason + n, sizeof p->reason - (size_t)n, fmt, ap);
	va_end(ap);
}

static bool same_switch(const struct wiring_port *a, const struct wiring_port *b)
{
	return a != b && b->asked && b->macs_read && strcmp(a->sw, b->sw) == 0;
}

/* Each node's MAC on its link to this switch: where it is learned, that
 * node is. */
static void judge_link_macs(struct judgement *j, const struct wiring_port *all, size_t nall,
    const struct wiring_node *nodes, size_t nnodes)
{
	struct wiring_port *p = j->p;
	char m[18];

	if (p->has_via && mac_list_has(&p->macs, p->via))
		snprintf(j->proof, sizeof j->proof, "%s's MAC %s is learned there", p->node, mac_text(p->via, m));
	for (size_t k = 0; k < nall; k++) {
		const struct wiring_port *q = &all[k];

		if (q != p && q->has_via && strcmp(q->sw, p->sw) == 0 && strcmp(q->node, p->node) != 0 &&
		    mac_list_has(&p->macs, q->via))
			wrong(j, node_of(nodes, nnodes, q->node), "%s's MAC %s is learned there", q->node,
			    mac_text(q->via, m));
	}
	for (size_t k = 0; k < nall && p->has_via && !j->proof[0]; k++)
		if (same_switch(p, &all[k]) && mac_list_has(&all[k].macs, p->via))
			wrong(j, NULL, "%s's MAC %s is learned on %s, not there", p->node, mac_text(p->via, m),
			    all[k].port);
}

/* A node that does not forward: nothing but its own MACs on its ports. */
static void judge_strict(struct judgement *j, const struct wiring_node *nodes, size_t nnodes)
{
	struct wiring_port *p = j->p;
	char m[18];

	for (size_t i = 0; i < p->macs.n; i++) {
		const struct wiring_node *o = owner_of(nodes, nnodes, p->macs.v[i]);

		if (o == j->me && !j->proof[0])
			snprintf(j->proof, sizeof j->proof, "%s's MAC %s is learned there", o->name,
			    mac_text(p->macs.v[i], m));
		else if (o && o != j->me)
			wrong(j, o, "%s's MAC %s is learned there, and %s does not forward", o->name,
			    mac_text(p->macs.v[i], m), j->me->name);
		else if (!o)
			wrong(j, NULL, "MAC %s, of neither node, is learned there; %s does not forward, so only its own "
			    "MACs belong there", mac_text(p->macs.v[i], m), j->me->name);
	}
}

static void judge_macs(struct judgement *j, struct wiring_port *all, size_t nall, const struct wiring_node *nodes,
    size_t nnodes)
{
	judge_link_macs(j, all, nall, nodes, nnodes);
	if (j->me->forwards_known && !j->me->forwards)
		judge_strict(j, nodes, nnodes);
}

static void judge_lldp(struct judgement *j, const struct wiring_node *nodes, size_t nnodes)
{
	struct wiring_port *p = j->p;
	const struct lldp_neighbor *stranger = NULL;
	bool named = false;
	char who[160];

	for (size_t i = 0; i < p->lldp.n; i++) {
		const struct lldp_neighbor *nb = &p->lldp.v[i];
		const struct wiring_node *o = NULL;

		for (size_t k = 0; k < nnodes && !o; k++)
			if (lldp_names_node(nb, &nodes[k]))
				o = &nodes[k];
		neighbor_phrase(nb, who, sizeof who);
		if (o == j->me) {
			named = true;
			if (!j->proof[0] || strncmp(j->proof, "its LLDP", 8) != 0)
				snprintf(j->proof + strlen(j->proof), sizeof j->proof - strlen(j->proof), "%sits LLDP "
				    "neighbour is %s", j->proof[0] ? "; " : "", who);
		} else if (o) {
			wrong(j, o, "its LLDP neighbour is %s", who);
		} else if (!stranger) {
			stranger = nb;
		}
	}
	if (stranger && !named) {
		neighbor_phrase(stranger, who, sizeof who);
		wrong(j, NULL, "its LLDP neighbour is %s, not %s", who, j->me->name);
	}
}

/* Why nothing was shown, both ways. */
static void unknown_reason(struct judgement *j)
{
	struct wiring_port *p = j->p;
	char macs[300], lldp[300];

	if (!p->macs_read)
		snprintf(macs, sizeof macs, "MAC table not read: %s", p->macs_error);
	else if (!p->has_via && !(j->me->forwards_known && !j->me->forwards))
		snprintf(macs, sizeof macs, "%s's MAC on this link is not known (give it on the port line)",
		    j->me->name);
	else if (!p->macs.n)
		snprintf(macs, sizeof macs, "no MAC is learned there");
	else
		snprintf(macs, sizeof macs, "none of the %zu MACs learned there is %s's on this link", p->macs.n,
		    j->me->name);
	if (!p->lldp_read)
		snprintf(lldp, sizeof lldp, "LLDP not read: %s", p->lldp_error);
	else
		snprintf(lldp, sizeof lldp, "no LLDP neighbour");
	snprintf(p->reason, sizeof p->reason, "%s %s: cannot tell whether it leads to %s: %s; %s", p->sw, p->port,
	    p->node, macs, lldp);
}

void wiring_judge(struct wiring_port *ports, size_t n, const struct wiring_node *nodes, size_t nnodes)
{
	for (size_t i = 0; i < n; i++) {
		struct wiring_port *p = &ports[i];
		struct judgement j = { .p = p };

		p->leads_to = NULL;
		p->reason[0] = '\0';
		p->status = WIRING_UNKNOWN;
		if (!p->asked || !(j.me = node_of(nodes, nnodes, p->node)))
			continue;
		if (p->macs_read)
			judge_macs(&j, ports, n, nodes, nnodes);
		if (p->lldp_read)
			judge_lldp(&j, nodes, nnodes);
		if (j.wrong) {
			p->status = WIRING_WRONG;
		} else if (j.proof[0]) {
			p->status = WIRING_OK;
			p->leads_to = j.me->name;
			snprintf(p->reason, sizeof p->reason, "%s %s leads to %s: %s", p->sw, p->port, p->node, j.proof);
		} else {
			unknown_reason(&j);
		}
	}
}
