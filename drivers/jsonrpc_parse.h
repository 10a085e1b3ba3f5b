/* The JSON answers of the HTTPS switch APIs, as pure functions: Arista
 * eAPI (runCmds), Cisco NX-API (JSON-RPC, method cli) and the
 * ArubaOS-Switch REST API. Nothing here does
 * I/O, so every function can be unit-tested and fuzzed with whatever bytes
 * a switch (or an attacker in front of one) sends. docs/switches/eos.md,
 * nxos.md and aruba-os-switch.md show the answers these read. */
#ifndef FENCER_JSONRPC_PARSE_H
#define FENCER_JSONRPC_PARSE_H

#include <stddef.h>

#include <jansson.h>

#include "fencer/driver.h"
#include "fencer/wiring.h"

enum rpc_result {
	RPC_OK,
	RPC_ERROR,		/* the switch refused: its code and words in the rpc_error */
	RPC_BAD,		/* not an answer fencer knows: what is wrong in the rpc_error */
};

#define RPC_MSG_MAX 600

struct rpc_error {
	long code;		/* the JSON-RPC error code, 0 for RPC_BAD */
	int index;		/* the command it is about, from 0; -1 not known */
	char msg[RPC_MSG_MAX];	/* the switch's words, or what fencer found wrong */
};

/* ---- eAPI ----------------------------------------------------------------- */

/* The answer to runCmds with ncmds commands: RPC_OK and *results (a new
 * reference, the caller's to json_decref) an array of ncmds objects, one
 * per command; RPC_ERROR with the error's message and the errors the
 * failed command's data entry lists. */
enum rpc_result eapi_answer(const char *body, size_t len, size_t ncmds, json_t **results, struct rpc_error *e);

/* A port's administrative state from the result of `show interfaces X
 * status` (interfaceStatuses) or, the older form, `show interfaces X`
 * (interfaces): linkStatus / interfaceStatus "disabled" is down, any other
 * known value up. An entry under another name is taken when it is the
 * only one (EOS answers with the full name of an abbreviated port). */
enum rpc_result eos_port_state(const json_t *result, const char *port, enum port_state *st, struct rpc_error *e);

/* `show version`: "MODEL, EOS VERSION" into info. RPC_BAD without either. */
enum rpc_result eos_version(const json_t *result, char *info, size_t len, struct rpc_error *e);

/* `show mac address-table interface X`: the MACs of unicastTable's
 * tableEntries whose interface is port, added to macs; entries of other
 * interfaces are counted in *others and left out. RPC_BAD when there is
 * no such table or an entry is not one. */
enum rpc_result eos_port_macs(const json_t *result, const char *port, struct mac_list *macs, size_t *others,
    struct rpc_error *e);

/* ---- NX-API ---------------------------------------------------------------- */

/* The answer to a JSON-RPC batch of n requests with ids 1 to n: RPC_OK and
 * *results (a new reference) an array of n results in id order (null for
 * a configuration command); RPC_ERROR with the first failed request's
 * code and data.msg (else its message). One answer object for one request
 * is taken as a batch of one. */
enum rpc_result nxapi_answer(const char *body, size_t len, size_t n, json_t **results, struct rpc_error *e);

/* A port's administrative state from the result of `show interface X`
 * (body.TABLE_interface.ROW_interface, one row or an array): admin_state
 * where the switch gives it, else state with state_rsn_desc
 * "Administratively down". */
enum rpc_result nxos_port_state(const json_t *result, const char *port, enum port_state *st, struct rpc_error *e);

/* `show mac address-table interface X`: disp_mac_addr of the rows of
 * body.TABLE_mac_address.ROW_mac_address (one row or an array) whose
 * disp_port is port; a body without the table (an empty one, or "") is
 * no MAC. */
enum rpc_result nxos_port_macs(const json_t *result, const char *port, struct mac_list *macs, size_t *others,
    struct rpc_error *e);

/* `show version`: "CHASSIS, NXOS VERSION" into info. */
enum rpc_result nxos_version(const json_t *result, char *info, size_t len, struct rpc_error *e);

/* ---- ArubaOS-Switch REST --------------------------------------------------- */

#define ARUBA_COOKIE_MAX 200

/* GET /rest/version: the highest major version of version_element
 * ("v4.0" is 4) into *major. */
enum rpc_result aruba_version(const char *body, size_t len, int *major, struct rpc_error *e);

/* POST login-sessions: the session cookie ("sessionId=..."), checked to
 * be one cookie of safe characters. */
enum rpc_result aruba_cookie(const char *body, size_t len, char *cookie, size_t n, struct rpc_error *e);

/* GET or PUT ports/ID: the port's is_port_enabled (false: down); the
 * answer's id must be port. */
enum rpc_result aruba_port_state(const char *body, size_t len, const char *port, enum port_state *st,
    struct rpc_error *e);

/* POST cli: RPC_OK when status is CCS_SUCCESS and the command printed
 * nothing (result_base64_encoded empty or blank); RPC_ERROR with the
 * status and error_msg, or with what it printed. */
enum rpc_result aruba_cli(const char *body, size_t len, struct rpc_error *e);

/* An error answer's words: its message, else its first line. */
void aruba_words(const char *body, size_t len, char *out, size_t n);

#endif
