/* libFuzzer target: the eAPI, NX-API and ArubaOS-Switch REST answer
 * parsers on whatever a switch sends, as the drivers call them: the whole
 * answer, then each result as a port's state, a version and a MAC table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/jsonrpc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bounded(const struct rpc_error *e)
{
	if (strlen(e->msg) >= sizeof e->msg)
		abort();
}

static void results(json_t *res, bool nxos)
{
	struct rpc_error e;
	enum port_state st;
	struct mac_list m = { 0 };
	char info[64];
	size_t i, others;
	json_t *r;

	json_array_foreach(res, i, r) {
		if (nxos) {
			if (nxos_port_state(r, "Ethernet1/1", &st, &e) != RPC_OK)
				bounded(&e);
			if (nxos_version(r, info, sizeof info, &e) == RPC_OK && strlen(info) >= sizeof info)
				abort();
			if (nxos_port_macs(r, "Ethernet1/1", &m, &others, &e) != RPC_OK)
				bounded(&e);
		} else {
			if (eos_port_state(r, "Ethernet1", &st, &e) != RPC_OK)
				bounded(&e);
			if (eos_version(r, info, sizeof info, &e) == RPC_OK && strlen(info) >= sizeof info)
				abort();
			if (eos_port_macs(r, "Ethernet1", &m, &others, &e) != RPC_OK)
				bounded(&e);
		}
	}
	mac_list_free(&m);
}

/* The ArubaOS-Switch REST answers, each read from the whole input. */
static void aruba(const char *data, size_t size)
{
	char cookie[ARUBA_COOKIE_MAX], words[128];
	struct rpc_error e;
	enum port_state st;
	int v;

	if (aruba_version(data, size, &v, &e) != RPC_OK)
		bounded(&e);
	if (aruba_cookie(data, size, cookie, sizeof cookie, &e) == RPC_OK) {
		if (strncmp(cookie, "sessionId=", 10) != 0 || strcspn(cookie, "; \r\n") != strlen(cookie))
			abort();
	} else {
		bounded(&e);
	}
	if (aruba_port_state(data, size, "1", &st, &e) != RPC_OK)
		bounded(&e);
	if (aruba_cli(data, size, &e) != RPC_OK)
		bounded(&e);
	aruba_words(data, size, words, sizeof words);
	if (strlen(words) >= sizeof words)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_error e;
	json_t *res;

	aruba((const char *)data, size);

	for (size_t n = 1; n <= 4; n++) {
		if (eapi_answer((const char *)data, size, n, &res, &e) == RPC_OK) {
			if (json_array_size(res) != n)
				abort();
			results(res, false);
			json_decref(res);
		} else {
			bounded(&e);
		}
		if (nxapi_answer((const char *)data, size, n, &res, &e) == RPC_OK) {
			if (json_array_size(res) != n)
				abort();
			results(res, true);
			json_decref(res);
		} else {
			bounded(&e);
		}
	}
	return 0;
}
