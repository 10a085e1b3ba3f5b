/*
 * The XML of a Junos NETCONF session: the hello, rpc-reply with <ok/>,
 * <rpc-error> (RFC 6241 4.3) or Junos' xnm:error / xnm:warning, and the
 * operational answers fencer reads. libxml2 parses from memory with the
 * network and entity loading off: a switch's answer never makes fencer
 * read a file or a URL.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drivers/junos_parse.h"

/* No XML_PARSE_NOENT nor XML_PARSE_DTDLOAD: entities stay unexpanded and
 * no external DTD is fetched; NONET forbids the network besides. */
#define PARSE_FLAGS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libxml2 wants its globals set up once, before threads parse. */
static void init(void)
{
	xmlInitParser();
}

static xmlDocPtr parse(const char *xml, size_t len)
{
	pthread_once(&init_once, init);
	if (len > INT_MAX)
		return NULL;
	return xmlReadMemory(xml, (int)len, "netconf.xml", NULL, PARSE_FLAGS);
}

static bool named(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

static xmlNode *first_element(const xmlNode *n)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/* The element's text, its blanks around trimmed (Junos puts its values
 * between newlines), inner runs of blanks as one space. */
static void text_of(const xmlNode *n, char *buf, size_t len)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	size_t o = 0;
	bool space = false;

	if (len == 0)
		return;
	for (const xmlChar *p = t; p && *p; p++) {
		if (isspace(*p)) {
			space = o > 0;
			continue;
		}
		if (space && o + 1 < len)
			buf[o++] = ' ';
		space = false;
		if (o + 1 < len)
			buf[o++] = (char)(*p < 0x20 ? '?' : *p);
	}
	buf[o] = '\0';
	xmlFree(t);
}

static bool text_is(const xmlNode *n, const char *want)
{
	char buf[128];

	text_of(n, buf, sizeof buf);
	return strcmp(buf, want) == 0;
}

int nc_hello_parse(const char *xml, size_t len, struct nc_hello *h, char *err, size_t errlen)
{
	xmlDocPtr doc = parse(xml, len);
	xmlNode *root, *caps, *sid;
	int rc = -1;

	*h = (struct nc_hello){ 0 };
	if (!doc) {
		snprintf(err, errlen, "the hello is not XML");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!named(root, "hello") || !(caps = child(root, "capabilities"))) {
		snprintf(err, errlen, "the first message is no hello with capabilities (<%s>)",
		    root ? (const char *)root->name : "");
		goto fail;
	}
	for (xmlNode *c = caps->children; c; c = c->next) {
		char cap[256];

		if (!named(c, "capability"))
			continue;
		text_of(c, cap, sizeof cap);
		h->base10 |= strcmp(cap, NC_BASE10) == 0;
		h->base11 |= strcmp(cap, NC_BASE11) == 0;
		h->candidate |= strncmp(cap, "urn:ietf:params:netconf:capability:candidate:", 45) == 0;
		h->confirmed_commit |= strncmp(cap, "urn:ietf:params:netconf:capability:confirmed-commit:", 52) == 0;
	}
	if (!h->base10 && !h->base11) {
		snprintf(err, errlen, "the hello names neither %s nor %s", NC_BASE10, NC_BASE11);
		goto fail;
	}
	if ((sid = child(root, "session-id"))) {
		char s[32], *end;

		text_of(sid, s, sizeof s);
		h->session_id = strtoul(s, &end, 10);
		if (!s[0] || *end || h->session_id == 0) {
			snprintf(err, errlen, "the hello's session-id is not a number: '%s'", s);
			goto fail;
		}
	} else {
		snprintf(err, errlen, "the hello has no session-id (RFC 6241 8.1)");
		goto fail;
	}
	rc = 0;
fail:
	xmlFreeDoc(doc);
	return rc;
}

/* RFC 6241 4.3: rpc-error's fields. */
static void rpc_error(const xmlNode *e, struct nc_error *out)
{
	text_of(child(e, "error-severity"), out->severity, sizeof out->severity);
	text_of(child(e, "error-tag"), out->tag, sizeof out->tag);
	text_of(child(e, "error-message"), out->message, sizeof out->message);
	text_of(child(e, "error-path"), out->path, sizeof out->path);
	text_of(child(e, "error-info"), out->info, sizeof out->info);
}

/* Junos' own: <xnm:error> / <xnm:warning> with <message> (and where it
 * happened: <statement>, <edit-path>). */
static void xnm_error(const xmlNode *e, bool warning, struct nc_error *out)
{
	char stmt[100], edit[100];

	snprintf(out->severity, sizeof out->severity, "%s", warning ? "warning" : "error");
	text_of(child(e, "message"), out->message, sizeof out->message);
	text_of(child(e, "edit-path"), edit, sizeof edit);
	text_of(child(e, "statement"), stmt, sizeof stmt);
	snprintf(out->path, sizeof out->path, "%s%s%s", edit, edit[0] && stmt[0] ? " " : "", stmt);
}

static void count(struct nc_reply *r, const struct nc_error *e)
{
	bool warn = strcmp(e->severity, "warning") == 0;

	/* The first error wins the slot, a warning takes it only while
	 * there is no error. */
	if (!warn && r->nerrors++ == 0)
		r->error = *e;
	else if (warn && r->nwarnings++ == 0 && r->nerrors == 0)
		r->error = *e;
}

/* Errors anywhere in the reply: commit-results holds xnm:error inside
 * routing-engine, load-configuration-results at its top. */
static void walk(const xmlNode *n, struct nc_reply *r, int depth)
{
	for (const xmlNode *c = n->children; c && depth < 16; c = c->next) {
		struct nc_error e = { 0 };

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, "rpc-error"))
			rpc_error(c, &e), count(r, &e);
		else if (named(c, "error") || named(c, "warning"))
			xnm_error(c, named(c, "warning"), &e), count(r, &e);
		else {
			if (named(c, "commit-success"))
				r->commit_success = true;
			walk(c, r, depth + 1);
		}
	}
}

int nc_reply_parse(const char *xml, size_t len, const char *msgid, struct nc_reply *r, char *err, size_t errlen)
{
	xmlDocPtr doc = parse(xml, len);
	xmlNode *root, *first;
	xmlChar *id;
	int rc = -1;

	*r = (struct nc_reply){ 0 };
	if (!doc) {
		snprintf(err, errlen, "the answer is not XML");
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!named(root, "rpc-reply")) {
		snprintf(err, errlen, "the answer is <%s>, not an rpc-reply", root ? (const char *)root->name : "");
		goto fail;
	}
	if ((id = xmlGetProp(root, (const xmlChar *)"message-id"))) {
		bool same = msgid && strcmp((const char *)id, msgid) == 0;

		if (!same)
			snprintf(err, errlen, "the rpc-reply is to message-id %.40s, not %s", (const char *)id,
			    msgid ? msgid : "?");
		xmlFree(id);
		if (!same)
			goto fail;
	}
	first = first_element(root);
	r->empty = !first;
	if (first)
		snprintf(r->first, sizeof r->first, "%s", (const char *)first->name);
	if (named(first, "output"))
		text_of(first, r->output, sizeof r->output);
	r->ok = child(root, "ok") != NULL;
	walk(root, r, 0);
	rc = 0;
fail:
	xmlFreeDoc(doc);
	return rc;
}

void nc_error_text(const struct nc_error *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s (severity %s%s%s%s%s%s%s)", e->message[0] ? e->message : "no error-message",
	    e->severity[0] ? e->severity : "error", e->tag[0] ? ", tag " : "", e->tag, e->path[0] ? ", path " : "",
	    e->path, e->info[0] ? ": " : "", e->info);
}

/* The physical-interface named port, anywhere under the reply (Junos
 * nests it in interface-information). */
static const xmlNode *find_interface(const xmlNode *n, const char *port, int depth)
{
	for (const xmlNode *c = n->children; c && depth < 8; c = c->next) {
		const xmlNode *f;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, "physical-interface") && text_is(child(c, "name"), port))
			return c;
		if ((f = find_interface(c, port, depth + 1)))
			return f;
	}
	return NULL;
}

enum port_state junos_admin_status(const char *xml, size_t len, const char *port)
{
	xmlDocPtr doc = parse(xml, len);
	const xmlNode *root, *ifc;
	enum port_state st = PORT_UNKNOWN;

	if (!doc)
		return PORT_UNKNOWN;
	root = xmlDocGetRootElement(doc);
	if (named(root, "rpc-reply") && (ifc = find_interface(root, port, 0))) {
		const xmlNode *a = child(ifc, "admin-status");

		if (text_is(a, "up"))
			st = PORT_UP;
		else if (text_is(a, "down"))
			st = PORT_DOWN;
	}
	xmlFreeDoc(doc);
	return st;
}

bool junos_software(const char *xml, size_t len, char *info, size_t infolen)
{
	xmlDocPtr doc = parse(xml, len);
	xmlNode *root, *si;
	char host[64] = "", model[64] = "", version[64] = "";

	info[0] = '\0';
	if (!doc)
		return false;
	root = xmlDocGetRootElement(doc);
	/* A virtual chassis or a multi-RE box nests it per member. */
	if (named(root, "rpc-reply") && (si = child(root, "software-information"))) {
		text_of(child(si, "host-name"), host, sizeof host);
		text_of(child(si, "product-model"), model, sizeof model);
		text_of(child(si, "junos-version"), version, sizeof version);
	} else if (named(root, "rpc-reply") && (si = child(root, "multi-routing-engine-results")) &&
	    (si = child(si, "multi-routing-engine-item")) && (si = child(si, "software-information"))) {
		text_of(child(si, "host-name"), host, sizeof host);
		text_of(child(si, "product-model"), model, sizeof model);
		text_of(child(si, "junos-version"), version, sizeof version);
	}
	xmlFreeDoc(doc);
	if (!host[0] && !version[0])
		return false;
	snprintf(info, infolen, "%s: %s%sJunos %s", host[0] ? host : "?", model, model[0] ? ", " : "",
	    version[0] ? version : "?");
	return true;
}

/* The interface an entry names is the port, or one of its units. */
static bool on_port(const char *iface, const char *port)
{
	size_t n = strlen(port);

	return strncmp(iface, port, n) == 0 && (iface[n] == '\0' || iface[n] == '.');
}

/* One entry: its MAC (a flood entry's "*" is none) and its interfaces. */
static void table_entry(const xmlNode *e, bool els, const char *port, struct mac_list *macs, size_t *others)
{
	const xmlNode *ifs = els ? NULL : child(e, "mac-interfaces-list");
	char mac_text[32], iface[80];
	uint8_t mac[6];
	bool mine = false;

	text_of(child(e, els ? "l2ng-l2-mac-address" : "mac-address"), mac_text, sizeof mac_text);
	if (!mac_parse_any(mac_text, strlen(mac_text), mac))
		return;
	if (els) {
		text_of(child(e, "l2ng-l2-mac-logical-interface"), iface, sizeof iface);
		mine = on_port(iface, port);
	} else {
		/* mac-interfaces, inside mac-interfaces-list or on its own */
		for (const xmlNode *c = ifs ? ifs->children : e->children; c; c = c->next)
			if (named(c, "mac-interfaces")) {
				text_of(c, iface, sizeof iface);
				mine |= on_port(iface, port);
			}
	}
	if (mine)
		mac_list_add(macs, mac);
	else
		(*others)++;
}

static void table_walk(const xmlNode *n, const char *port, struct mac_list *macs, size_t *others, int depth)
{
	for (const xmlNode *c = n->children; c && depth < 8; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, "l2ng-mac-entry") || named(c, "mac-table-entry"))
			table_entry(c, named(c, "l2ng-mac-entry"), port, macs, others);
		else
			table_walk(c, port, macs, others, depth + 1);
	}
}

bool junos_table_macs(const char *xml, size_t len, const char *port, struct mac_list *macs, size_t *others)
{
	xmlDocPtr doc = parse(xml, len);
	const xmlNode *root, *first;
	bool table = false;

	*others = 0;
	if (!doc)
		return false;
	root = xmlDocGetRootElement(doc);
	first = named(root, "rpc-reply") ? first_element(root) : NULL;
	if (first && (named(first, "ethernet-switching-table-information") ||
	    strncmp((const char *)first->name, "l2ng-", 5) == 0 || strncmp((const char *)first->name, "l2ald-", 6) == 0)) {
		table = true;
		table_walk(first, port, macs, others, 0);
	}
	xmlFreeDoc(doc);
	return table;
}

bool junos_lldp_neighbors(const char *xml, size_t len, struct lldp_list *out)
{
	xmlDocPtr doc = parse(xml, len);
	const xmlNode *root, *list;
	bool ok = false;

	if (!doc)
		return false;
	root = xmlDocGetRootElement(doc);
	if (named(root, "rpc-reply") && (list = child(root, "lldp-neighbors-information"))) {
		ok = true;
		for (const xmlNode *c = list->children; c; c = c->next) {
			struct lldp_neighbor nb = { 0 };

			if (!named(c, "lldp-neighbor-information"))
				continue;
			text_of(child(c, "lldp-remote-system-name"), nb.sysname, sizeof nb.sysname);
			text_of(child(c, "lldp-remote-chassis-id"), nb.chassis, sizeof nb.chassis);
			text_of(child(c, "lldp-remote-port-id"), nb.port_id, sizeof nb.port_id);
			text_of(child(c, "lldp-remote-port-description"), nb.port_descr, sizeof nb.port_descr);
			lldp_list_add(out, &nb);
		}
	}
	xmlFreeDoc(doc);
	return ok;
}
