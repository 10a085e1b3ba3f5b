/*
 * What a Junos NETCONF server answers, parsed with libxml2 (pure: no
 * I/O). Elements are matched by their local name, whatever their
 * namespace: Junos answers in the NETCONF base namespace, its own junos
 * namespaces (xmlns:junos, per-release URIs) and xnm for its errors.
 * docs/switches/junos.md lists the answers and the variants taken.
 */
#ifndef FENCER_JUNOS_PARSE_H
#define FENCER_JUNOS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/driver.h"
#include "fencer/wiring.h"

#define NC_BASE10 "urn:ietf:params:netconf:base:1.0"
#define NC_BASE11 "urn:ietf:params:netconf:base:1.1"

struct nc_hello {
	bool base10, base11;		/* the base capabilities it names */
	bool candidate;			/* :candidate */
	bool confirmed_commit;		/* :confirmed-commit (1.0 or 1.1) */
	unsigned long session_id;	/* 0: none given */
};

/* The server's hello. 0, or -1 with err set (not XML, not a hello, no
 * base capability, no session-id). */
int nc_hello_parse(const char *xml, size_t len, struct nc_hello *, char *err, size_t errlen);

/* One rpc-error (RFC 6241 4.3), or one Junos xnm:error / xnm:warning. */
struct nc_error {
	char severity[16];		/* "error" or "warning" */
	char tag[48];			/* error-tag; "" for xnm */
	char message[400];		/* error-message or xnm message */
	char path[200];			/* error-path, or the xnm statement */
	char info[160];			/* error-info's text, e.g. the lock holder */
};

struct nc_reply {
	bool ok;			/* <ok/> */
	bool empty;			/* no element at all in the rpc-reply */
	bool commit_success;		/* commit-results with commit-success */
	int nerrors;			/* severity error (or none given) */
	int nwarnings;
	struct nc_error error;		/* the first error, else the first warning */
	char first[64];			/* the first element's local name, "" if none */
	char output[200];		/* the text of <output> when first is it (a CLI
					 * command's words through <command>) */
};

/* An rpc-reply to message-id msgid (its message-id must be it when it
 * has one). 0, or -1 with err set: not XML, not an rpc-reply, another
 * message's reply. */
int nc_reply_parse(const char *xml, size_t len, const char *msgid, struct nc_reply *, char *err, size_t errlen);

/* The error as one line in the switch's words: "MESSAGE (severity S,
 * tag T, path P: INFO)". */
void nc_error_text(const struct nc_error *, char *buf, size_t len);

/* get-interface-information's answer: the admin-status of the physical
 * interface named port. PORT_UNKNOWN when the answer has no such
 * interface or no admin-status it knows ("up", "down"). */
enum port_state junos_admin_status(const char *xml, size_t len, const char *port);

/* get-software-information's answer: "HOST: MODEL, Junos VERSION" in
 * info. true when it holds a host name or a version. */
bool junos_software(const char *xml, size_t len, char *info, size_t infolen);

/* A switching-table answer (ELS: l2ng-l2ald-*, l2ng-mac-entry with
 * l2ng-l2-mac-address and l2ng-l2-mac-logical-interface; non-ELS:
 * ethernet-switching-table-information, mac-table-entry with mac-address
 * and mac-interfaces): the MACs learned on port (its logical units
 * included, "ge-0/0/1.0") added to macs, the entries of other interfaces
 * counted in *others. false when the answer is no switching table. */
bool junos_table_macs(const char *xml, size_t len, const char *port, struct mac_list *macs, size_t *others);

/* An LLDP answer (<lldp-neighbors-information>, each
 * <lldp-neighbor-information> with lldp-remote-system-name,
 * lldp-remote-chassis-id, lldp-remote-port-id,
 * lldp-remote-port-description): its neighbours added to out. false when
 * the answer is no neighbour list. */
bool junos_lldp_neighbors(const char *xml, size_t len, struct lldp_list *out);

#endif
