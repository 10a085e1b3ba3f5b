/* eAPI and NX-API answers: the forms docs/switches/eos.md and nxos.md
 * show, their older variants, the switches' errors, and answers fencer
 * must not take for a success. */
#include <string.h>

#include "testutil.h"
#include "drivers/jsonrpc_parse.h"

static enum rpc_result eapi(const char *body, size_t n, json_t **res, struct rpc_error *e)
{
	return eapi_answer(body, strlen(body), n, res, e);
}

static void test_eapi_ok(void **state)
{
	struct rpc_error e;
	json_t *res;

	(void)state;
	assert_int_equal(eapi("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{},{},{},{}]}", 4, &res, &e), RPC_OK);
	assert_int_equal(json_array_size(res), 4);
	json_decref(res);
	/* warnings and messages of a config command are still a success */
	assert_int_equal(eapi("{\"id\":2,\"result\":[{\"warnings\":[\"w\"]}]}", 1, &res, &e), RPC_OK);
	json_decref(res);
}

static void test_eapi_error(void **state)
{
	struct rpc_error e;
	json_t *res;

	(void)state;
	assert_int_equal(eapi("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1002,\"message\":\"CLI command 3 of 4 "
	    "'interface Ethernet9' failed: invalid command\",\"data\":[{},{},{\"errors\":[\"Invalid input (at token 1: "
	    "'Ethernet9')\"]}]}}", 4, &res, &e), RPC_ERROR);
	assert_null(res);
	assert_int_equal(e.code, 1002);
	assert_int_equal(e.index, 2);
	assert_string_equal(e.msg, "CLI command 3 of 4 'interface Ethernet9' failed: invalid command: "
	    "Invalid input (at token 1: 'Ethernet9')");
	/* no data: the message alone, the command not known */
	assert_int_equal(eapi("{\"error\":{\"code\":-32602,\"message\":\"Invalid params\\n\"}}", 1, &res, &e), RPC_ERROR);
	assert_int_equal(e.index, -1);
	assert_string_equal(e.msg, "Invalid params");
	/* two errors, control characters cleaned */
	assert_int_equal(eapi("{\"error\":{\"code\":1000,\"message\":\"m\",\"data\":[{\"errors\":[\"a\\u0007\",\"b\"]}]}}",
	    1, &res, &e), RPC_ERROR);
	assert_string_equal(e.msg, "m: a; b");
}

static void test_eapi_bad(void **state)
{
	static const char *const bad[] = {
		"", "not json", "[]", "{}", "{\"result\":{}}", "{\"result\":[{}]}",	/* 1 for 2 */
		"{\"result\":[{},3]}", "{\"error\":\"x\"}", "{\"error\":{\"code\":\"1002\",\"message\":\"m\"}}",
		"{\"result\":[{},{}],\"result\":[{},{}]}",	/* twice the key */
	};
	struct rpc_error e;
	json_t *res;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(eapi(bad[i], 2, &res, &e), RPC_BAD);
		assert_null(res);
		assert_true(e.msg[0]);
	}
}

static enum rpc_result eos_state(const char *result, const char *port, enum port_state *st, struct rpc_error *e)
{
	json_t *j = json_loads(result, 0, NULL);
	enum rpc_result rc;

	assert_non_null(j);
	rc = eos_port_state(j, port, st, e);
	json_decref(j);
	return rc;
}

static void test_eos_state(void **state)
{
	struct rpc_error e;
	enum port_state st;

	(void)state;
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"disabled\"}}}",
	    "Ethernet1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"connected\"}}}",
	    "Ethernet1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"notconnect\"}}}",
	    "Ethernet1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	/* errdisabled: not shut down, the shutdown did not take */
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"errdisabled\"}}}",
	    "Ethernet1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	/* an abbreviated name: the one entry, under EOS's full name */
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"disabled\"}}}",
	    "Et1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	/* the older form, show interfaces X */
	assert_int_equal(eos_state("{\"interfaces\":{\"Ethernet1\":{\"interfaceStatus\":\"disabled\"}}}",
	    "Ethernet1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	/* what fencer does not know */
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{\"linkStatus\":\"weird\\n\"}}}",
	    "Ethernet1", &st, &e), RPC_BAD);
	assert_int_equal(st, PORT_UNKNOWN);
	assert_non_null(strstr(e.msg, "'weird ', a state fencer does not know"));
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{},\"Ethernet2\":{}}}", "Ethernet3", &st, &e),
	    RPC_BAD);
	assert_int_equal(eos_state("{\"interfaceStatuses\":{\"Ethernet1\":{}}}", "Ethernet1", &st, &e), RPC_BAD);
	assert_int_equal(eos_state("{\"interfaceStatuses\":{}}", "Ethernet1", &st, &e), RPC_BAD);
	assert_int_equal(eos_state("{}", "Ethernet1", &st, &e), RPC_BAD);
	assert_int_equal(eos_state("{\"interfaceStatuses\":[]}", "Ethernet1", &st, &e), RPC_BAD);
}

static void test_versions(void **state)
{
	char info[64];
	struct rpc_error e;
	json_t *j = json_loads("{\"modelName\":\"DCS-7050\",\"version\":\"4.28.3M\"}", 0, NULL);

	(void)state;
	assert_int_equal(eos_version(j, info, sizeof info, &e), RPC_OK);
	assert_string_equal(info, "DCS-7050, EOS 4.28.3M");
	json_decref(j);
	j = json_loads("{\"version\":\"4.28.3M\"}", 0, NULL);
	assert_int_equal(eos_version(j, info, sizeof info, &e), RPC_BAD);
	json_decref(j);
	j = json_loads("{\"body\":{\"chassis_id\":\"Nexus9000\",\"sys_ver_str\":\"7.0(3)\"}}", 0, NULL);
	assert_int_equal(nxos_version(j, info, sizeof info, &e), RPC_OK);
	assert_string_equal(info, "Nexus9000, NX-OS 7.0(3)");
	json_decref(j);
}

static enum rpc_result nx(const char *body, size_t n, json_t **res, struct rpc_error *e)
{
	return nxapi_answer(body, strlen(body), n, res, e);
}

static void test_nxapi(void **state)
{
	struct rpc_error e;
	json_t *res;

	(void)state;
	/* out of order, a config command's null result */
	assert_int_equal(nx("[{\"jsonrpc\":\"2.0\",\"result\":{\"body\":{}},\"id\":2},"
	    "{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1}]", 2, &res, &e), RPC_OK);
	assert_true(json_is_object(json_array_get(res, 0)));
	assert_non_null(json_object_get(json_array_get(res, 1), "body"));
	json_decref(res);
	/* one object for one request */
	assert_int_equal(nx("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1}", 1, &res, &e), RPC_OK);
	json_decref(res);
	assert_int_equal(nx("[{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1},{\"jsonrpc\":\"2.0\",\"error\":{\"code\":"
	    "-32602,\"message\":\"Invalid params\",\"data\":{\"msg\":\"% Invalid command at '^' marker.\\n\"}},\"id\":2}]",
	    2, &res, &e), RPC_ERROR);
	assert_null(res);
	assert_int_equal(e.code, -32602);
	assert_int_equal(e.index, 1);
	assert_string_equal(e.msg, "Invalid params: % Invalid command at '^' marker.");
	/* what fencer does not know */
	assert_int_equal(nx("[{\"result\":null,\"id\":1}]", 2, &res, &e), RPC_BAD);
	assert_int_equal(nx("[{\"result\":null,\"id\":1},{\"result\":null,\"id\":1}]", 2, &res, &e), RPC_BAD);
	assert_int_equal(nx("[{\"result\":null,\"id\":1},{\"result\":null,\"id\":3}]", 2, &res, &e), RPC_BAD);
	assert_int_equal(nx("[{\"result\":null,\"id\":1},{\"id\":2}]", 2, &res, &e), RPC_BAD);
	assert_int_equal(nx("[{\"result\":null,\"id\":\"1\"}]", 1, &res, &e), RPC_BAD);
	assert_int_equal(nx("[1]", 1, &res, &e), RPC_BAD);
	assert_int_equal(nx("\"x\"", 1, &res, &e), RPC_BAD);
	assert_int_equal(nx("", 1, &res, &e), RPC_BAD);
	assert_null(res);
}

static enum rpc_result nx_state(const char *result, enum port_state *st, struct rpc_error *e)
{
	json_t *j = json_loads(result, 0, NULL);
	enum rpc_result rc;

	assert_non_null(j);
	rc = nxos_port_state(j, "Ethernet1/1", st, e);
	json_decref(j);
	return rc;
}

#define ROW(r) "{\"body\":{\"TABLE_interface\":{\"ROW_interface\":" r "}}}"

static void test_nxos_state(void **state)
{
	struct rpc_error e;
	enum port_state st;

	(void)state;
	assert_int_equal(nx_state(ROW("{\"interface\":\"Ethernet1/1\",\"state\":\"down\",\"admin_state\":\"down\"}"),
	    &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	assert_int_equal(nx_state(ROW("{\"state\":\"down\",\"admin_state\":\"up\"}"), &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	/* older rows: the state and its reason */
	assert_int_equal(nx_state(ROW("[{\"interface\":\"Ethernet1/1\",\"state\":\"down\","
	    "\"state_rsn_desc\":\"Administratively down\"}]"), &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	assert_int_equal(nx_state(ROW("[{\"interface\":\"ethernet1/2\",\"state\":\"up\"},{\"interface\":\"ethernet1/1\","
	    "\"state\":\"down\",\"state_rsn_desc\":\"Link not connected\"}]"), &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	assert_int_equal(nx_state(ROW("{\"state\":\"up\"}"), &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	/* what fencer does not know */
	assert_int_equal(nx_state(ROW("{\"state\":\"down\"}"), &st, &e), RPC_BAD);
	assert_int_equal(nx_state(ROW("{\"admin_state\":\"sleepy\"}"), &st, &e), RPC_BAD);
	assert_int_equal(nx_state(ROW("[]"), &st, &e), RPC_BAD);
	assert_int_equal(nx_state(ROW("[{\"interface\":\"Ethernet1/2\"},{\"interface\":\"Ethernet1/3\"}]"), &st, &e),
	    RPC_BAD);
	assert_int_equal(nx_state("{\"body\":\"\"}", &st, &e), RPC_BAD);
	assert_int_equal(st, PORT_UNKNOWN);
}

static enum rpc_result macs_of(bool nxos, const char *result, const char *port, struct mac_list *m, size_t *others)
{
	struct rpc_error e;
	json_t *j = json_loads(result, 0, NULL);
	enum rpc_result rc;

	assert_non_null(j);
	rc = nxos ? nxos_port_macs(j, port, m, others, &e) : eos_port_macs(j, port, m, others, &e);
	json_decref(j);
	return rc;
}

static void test_port_macs(void **state)
{
	static const uint8_t a[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, b[6] = { 0x52, 0x54, 0, 0, 0, 1 };
	struct mac_list m = { 0 };
	size_t others;

	(void)state;
	assert_int_equal(macs_of(false, "{\"unicastTable\":{\"tableEntries\":[{\"macAddress\":\"52:54:00:12:34:56\","
	    "\"interface\":\"Ethernet1\"},{\"macAddress\":\"52:54:00:00:00:01\",\"interface\":\"Ethernet2\"}]}}",
	    "Ethernet1", &m, &others), RPC_OK);
	assert_int_equal(m.n, 1);
	assert_true(mac_list_has(&m, a));
	assert_int_equal(others, 1);
	mac_list_free(&m);
	assert_int_equal(macs_of(false, "{\"unicastTable\":{\"tableEntries\":[]}}", "Ethernet1", &m, &others), RPC_OK);
	assert_int_equal(m.n, 0);
	assert_int_equal(macs_of(false, "{\"unicastTable\":{}}", "Ethernet1", &m, &others), RPC_BAD);
	assert_int_equal(macs_of(false, "{\"unicastTable\":{\"tableEntries\":[{\"macAddress\":\"x\","
	    "\"interface\":\"Ethernet1\"}]}}", "Ethernet1", &m, &others), RPC_BAD);
	/* NX-OS: dotted MACs, one row an object, many an array, none an empty body */
	assert_int_equal(macs_of(true, "{\"body\":{\"TABLE_mac_address\":{\"ROW_mac_address\":{\"disp_mac_addr\":"
	    "\"5254.0012.3456\",\"disp_port\":\"Ethernet1/1\"}}}}", "Ethernet1/1", &m, &others), RPC_OK);
	assert_true(mac_list_has(&m, a));
	mac_list_free(&m);
	assert_int_equal(macs_of(true, "{\"body\":{\"TABLE_mac_address\":{\"ROW_mac_address\":[{\"disp_mac_addr\":"
	    "\"5254.0012.3456\",\"disp_port\":\"Ethernet1/2\"},{\"disp_mac_addr\":\"5254.0000.0001\","
	    "\"disp_port\":\"Ethernet1/1\"}]}}}", "Ethernet1/1", &m, &others), RPC_OK);
	assert_int_equal(m.n, 1);
	assert_true(mac_list_has(&m, b));
	assert_int_equal(others, 1);
	mac_list_free(&m);
	assert_int_equal(macs_of(true, "{\"body\":{}}", "Ethernet1/1", &m, &others), RPC_OK);
	assert_int_equal(macs_of(true, "{\"body\":\"\"}", "Ethernet1/1", &m, &others), RPC_OK);
	assert_int_equal(m.n, 0);
	assert_int_equal(macs_of(true, "{\"body\":{\"TABLE_vlan\":{}}}", "Ethernet1/1", &m, &others), RPC_BAD);
	assert_int_equal(macs_of(true, "{\"body\":{\"TABLE_mac_address\":{\"ROW_mac_address\":3}}}", "Ethernet1/1", &m,
	    &others), RPC_BAD);
	assert_int_equal(macs_of(true, "{}", "Ethernet1/1", &m, &others), RPC_BAD);
	mac_list_free(&m);
}

#define A(s) (s), strlen(s)

static void test_aruba(void **state)
{
	char cookie[ARUBA_COOKIE_MAX], words[64];
	struct rpc_error e;
	enum port_state st;
	int v;

	(void)state;
	assert_int_equal(aruba_version(A("{\"version_element\":[{\"version\":\"v1.0\"},{\"version\":\"v7.0\"},"
	    "{\"version\":\"v4.0\"},{\"version\":\"x\"}]}"), &v, &e), RPC_OK);
	assert_int_equal(v, 7);
	assert_int_equal(aruba_version(A("{\"version_element\":[]}"), &v, &e), RPC_BAD);
	assert_int_equal(aruba_version(A("{\"version_element\":[{\"version\":\"v4\"}]}"), &v, &e), RPC_BAD);

	assert_int_equal(aruba_cookie(A("{\"uri\":\"/login-sessions\",\"cookie\":\"sessionId=ab-c_9=\"}"), cookie,
	    sizeof cookie, &e), RPC_OK);
	assert_string_equal(cookie, "sessionId=ab-c_9=");
	/* a cookie that would add a header or a second cookie is refused */
	assert_int_equal(aruba_cookie(A("{\"cookie\":\"sessionId=a\\r\\nX: y\"}"), cookie, sizeof cookie, &e), RPC_BAD);
	assert_int_equal(aruba_cookie(A("{\"cookie\":\"sessionId=a; admin=1\"}"), cookie, sizeof cookie, &e), RPC_BAD);
	assert_int_equal(aruba_cookie(A("{\"cookie\":\"other=a\"}"), cookie, sizeof cookie, &e), RPC_BAD);
	assert_int_equal(aruba_cookie(A("{\"cookie\":\"sessionId=\"}"), cookie, sizeof cookie, &e), RPC_BAD);

	assert_int_equal(aruba_port_state(A("{\"id\":\"1\",\"is_port_enabled\":false}"), "1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_DOWN);
	assert_int_equal(aruba_port_state(A("{\"id\":\"A1\",\"is_port_enabled\":true}"), "A1", &st, &e), RPC_OK);
	assert_int_equal(st, PORT_UP);
	assert_int_equal(aruba_port_state(A("{\"id\":\"2\",\"is_port_enabled\":false}"), "1", &st, &e), RPC_BAD);
	assert_int_equal(aruba_port_state(A("{\"id\":\"1\",\"is_port_enabled\":\"false\"}"), "1", &st, &e), RPC_BAD);
	assert_int_equal(st, PORT_UNKNOWN);

	assert_int_equal(aruba_cli(A("{\"status\":\"CCS_SUCCESS\",\"result_base64_encoded\":\"\"}"), &e), RPC_OK);
	assert_int_equal(aruba_cli(A("{\"status\":\"CCS_SUCCESS\",\"result_base64_encoded\":\"IAo=\"}"), &e), RPC_OK);
	/* success, but the command said something: "Invalid input: 9\n" */
	assert_int_equal(aruba_cli(A("{\"status\":\"CCS_SUCCESS\",\"result_base64_encoded\":\"SW52YWxpZCBpbnB1dDogOQo=\"}"),
	    &e), RPC_ERROR);
	assert_string_equal(e.msg, "Invalid input: 9");
	assert_int_equal(aruba_cli(A("{\"status\":\"CCS_FAILURE\",\"error_msg\":\"Invalid input: x\"}"), &e), RPC_ERROR);
	assert_string_equal(e.msg, "CCS_FAILURE: Invalid input: x");
	assert_int_equal(aruba_cli(A("{\"status\":\"CCS_SUCCESS\",\"result_base64_encoded\":\"*\"}"), &e), RPC_BAD);
	assert_int_equal(aruba_cli(A("{\"error_msg\":\"\"}"), &e), RPC_BAD);

	aruba_words(A("{\"message\":\"Port 9 not found\\n\"}"), words, sizeof words);
	assert_string_equal(words, "Port 9 not found");
	aruba_words(A("<html>Bad\ngateway"), words, sizeof words);
	assert_string_equal(words, "<html>Bad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eapi_ok),
		cmocka_unit_test(test_eapi_error),
		cmocka_unit_test(test_eapi_bad),
		cmocka_unit_test(test_eos_state),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_nxapi),
		cmocka_unit_test(test_nxos_state),
		cmocka_unit_test(test_port_macs),
		cmocka_unit_test(test_aruba),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
