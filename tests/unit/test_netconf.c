/* NETCONF framing (RFC 6242) and the Junos answers the junos driver reads:
 * hellos, rpc-reply with ok / rpc-error / xnm:error, the interface's admin
 * status, the software version. The texts are shaped like Juniper's
 * documented answers (docs/switches/junos.md). */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "drivers/junos_parse.h"
#include "drivers/netconf_frame.h"

static char out[4096];
static size_t outlen, used;
static char err[200];

static int unframe(enum nc_framing f, const char *in, size_t len)
{
	outlen = used = 0;
	err[0] = '\0';
	return nc_unframe(f, in, len, out, sizeof out, &outlen, &used, err, sizeof err);
}

static void test_frame(void **state)
{
	char head[16];
	const char *tail;

	(void)state;
	assert_int_equal(nc_frame(NC_EOM, 5, head, &tail), 0);
	assert_string_equal(head, "");
	assert_string_equal(tail, "]]>]]>");
	assert_int_equal(nc_frame(NC_CHUNKED, 123, head, &tail), 0);
	assert_string_equal(head, "\n#123\n");
	assert_string_equal(tail, "\n##\n");
	assert_int_equal(nc_frame(NC_CHUNKED, 0, head, &tail), -1);	/* a chunk is never empty */
}

static void test_unframe_eom(void **state)
{
	static const char two[] = "<a/>]]>]]><b/>]]>]]>";

	(void)state;
	assert_int_equal(unframe(NC_EOM, two, strlen(two)), 1);
	assert_string_equal(out, "<a/>");
	assert_int_equal(used, 10);
	assert_int_equal(unframe(NC_EOM, two + used, strlen(two) - 10), 1);
	assert_string_equal(out, "<b/>");
	/* the marker cut in two: not yet */
	assert_int_equal(unframe(NC_EOM, "<a/>]]>]", 8), 0);
	assert_int_equal(unframe(NC_EOM, "", 0), 0);
}

static void test_unframe_chunked(void **state)
{
	/* RFC 6242 4.2's example: one message in two chunks. */
	static const char rfc[] = "\n#4\n<rpc\n#18\n message-id=\"102\"\n\n##\n";
	static const char next[] = "\n#4\n<rpc\n#18\n message-id=\"102\"\n\n##\n\n#3\nabc\n##\n";

	(void)state;
	assert_int_equal(unframe(NC_CHUNKED, rfc, strlen(rfc)), 1);
	assert_string_equal(out, "<rpc message-id=\"102\"\n");
	assert_int_equal(used, strlen(rfc));
	assert_int_equal(unframe(NC_CHUNKED, next, strlen(next)), 1);
	assert_int_equal(unframe(NC_CHUNKED, next + used, strlen(next) - used), 1);
	assert_string_equal(out, "abc");
	/* a newline left over from the hello's ]]>]]>, then a message */
	assert_int_equal(unframe(NC_CHUNKED, "\n\r\n#3\nabc\n##\n", 13), 1);
	assert_string_equal(out, "abc");
	assert_int_equal(used, 13);
	assert_int_equal(unframe(NC_CHUNKED, "\n", 1), 0);
	assert_int_equal(unframe(NC_CHUNKED, "\n\n", 2), 0);
	/* every cut short of the end: not yet, never an error */
	for (size_t n = 0; n < strlen(rfc); n++)
		assert_int_equal(unframe(NC_CHUNKED, rfc, n), 0);
}

static void test_unframe_chunked_errors(void **state)
{
	static const char *const bad[] = {
		"<rpc/>]]>]]>",			/* 1.0 framing in a 1.1 session */
		"\n#0\n\n##\n",			/* chunk-size starts with 0 */
		"\n#01\na\n##\n",
		"\n#4294967296\n",		/* over the maximum */
		"\n#99999999999\n",		/* eleven digits */
		"\n#x\n",
		"\n#3 \nabc",
		"\n##\n",			/* end-of-chunks with no chunk */
		"\n#1\na\n##x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(unframe(NC_CHUNKED, bad[i], strlen(bad[i])), -1);
		assert_true(err[0] != '\0');
	}
	/* the largest size is taken (and waits for its bytes) */
	assert_int_equal(unframe(NC_CHUNKED, "\n#4294967295\n", 13), -1);	/* longer than out */
	assert_non_null(strstr(err, "longer than"));
}

static void test_unframe_too_long(void **state)
{
	static char big[sizeof out + 64];

	(void)state;
	memset(big, 'x', sizeof big);
	assert_int_equal(unframe(NC_EOM, big, sizeof big), -1);
	assert_non_null(strstr(err, "longer than"));
	memcpy(big + sizeof out, "]]>]]>", 6);
	assert_int_equal(unframe(NC_EOM, big, sizeof out + 6), -1);
}

/* What a Junos switch sends first, comment included. */
static const char junos_hello[] =
	"<!-- No zombies were killed during the creation of this user interface -->\n"
	"<!-- user fencer, class super-user -->\n"
	"<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <capabilities>\n"
	"    <capability>urn:ietf:params:netconf:base:1.0</capability>\n"
	"    <capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>\n"
	"    <capability>urn:ietf:params:netconf:capability:confirmed-commit:1.0</capability>\n"
	"    <capability>urn:ietf:params:netconf:capability:validate:1.0</capability>\n"
	"    <capability>http://xml.juniper.net/netconf/junos/1.0</capability>\n"
	"  </capabilities>\n  <session-id>27700</session-id>\n</hello>\n";

static void test_hello(void **state)
{
	struct nc_hello h;
	static const char v11[] = "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>"
		"<capability>urn:ietf:params:netconf:base:1.1</capability></capabilities>"
		"<session-id>4</session-id></hello>";

	(void)state;
	assert_int_equal(nc_hello_parse(junos_hello, strlen(junos_hello), &h, err, sizeof err), 0);
	assert_true(h.base10);
	assert_false(h.base11);
	assert_true(h.candidate);
	assert_true(h.confirmed_commit);
	assert_int_equal(h.session_id, 27700);
	assert_int_equal(nc_hello_parse(v11, strlen(v11), &h, err, sizeof err), 0);
	assert_true(h.base11);
	assert_false(h.candidate);
}

static void test_hello_refused(void **state)
{
	static const char *const bad[] = {
		"not xml",
		"<rpc-reply/>",
		"<hello><capabilities><capability>urn:x</capability></capabilities><session-id>1</session-id></hello>",
		"<hello><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>",
		"<hello><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities>"
		"<session-id>x1</session-id></hello>",
		"<hello><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities>"
		"<session-id>0</session-id></hello>",
	};
	struct nc_hello h;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		assert_int_equal(nc_hello_parse(bad[i], strlen(bad[i]), &h, err, sizeof err), -1);
		assert_true(err[0] != '\0');
	}
}

static int reply(const char *xml, const char *id, struct nc_reply *r)
{
	return nc_reply_parse(xml, strlen(xml), id, r, err, sizeof err);
}

static void test_reply_ok(void **state)
{
	struct nc_reply r;

	(void)state;
	assert_int_equal(reply("<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\" "
	    "xmlns:junos=\"http://xml.juniper.net/junos/21.4R3/junos\" message-id=\"7\"><ok/></rpc-reply>", "7", &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.nerrors, 0);
	assert_string_equal(r.first, "ok");
	/* No message-id in the reply: Junos' own RPCs may omit it. */
	assert_int_equal(reply("<rpc-reply>\n</rpc-reply>", "8", &r), 0);
	assert_true(r.empty);
	assert_false(r.ok);
	/* another message's reply, or no rpc-reply at all */
	assert_int_equal(reply("<rpc-reply message-id=\"6\"><ok/></rpc-reply>", "7", &r), -1);
	assert_non_null(strstr(err, "message-id 6"));
	/* A CLI command's words through <command>. */
	assert_int_equal(reply("<rpc-reply><output>\nerror: command is not valid on the ex4300\n</output></rpc-reply>",
	    "9", &r), 0);
	assert_string_equal(r.first, "output");
	assert_string_equal(r.output, "error: command is not valid on the ex4300");
	assert_int_equal(reply("<hello/>", "7", &r), -1);
	assert_int_equal(reply("<rpc-reply><ok/>", "7", &r), -1);
}

static void test_reply_errors(void **state)
{
	struct nc_reply r;
	char text[600];

	(void)state;
	/* Juniper's documented lock failure. */
	assert_int_equal(reply("<rpc-reply xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><rpc-error>"
	    "<error-severity>error</error-severity><error-message>\nconfiguration database locked by:\n"
	    "  admin terminal p0 (pid 1234) on since 2026-12-01 17:00:00 UTC, idle 00:01:02\n  exclusive\n"
	    "</error-message></rpc-error></rpc-reply>", "1", &r), 0);
	assert_int_equal(r.nerrors, 1);
	assert_false(r.ok);
	assert_string_equal(r.error.severity, "error");
	assert_string_equal(r.error.message, "configuration database locked by: admin terminal p0 (pid 1234) on "
	    "since 2026-12-01 17:00:00 UTC, idle 00:01:02 exclusive");
	/* A warning beside ok: done, the warning kept. */
	assert_int_equal(reply("<rpc-reply><rpc-error><error-type>application</error-type><error-tag>data-missing"
	    "</error-tag><error-severity>warning</error-severity><error-path>[edit interfaces ge-0/0/1]</error-path>"
	    "<error-message>statement not found</error-message></rpc-error><ok/></rpc-reply>", "2", &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.nwarnings, 1);
	nc_error_text(&r.error, text, sizeof text);
	assert_string_equal(text, "statement not found (severity warning, tag data-missing, path [edit interfaces "
	    "ge-0/0/1])");
	/* An error after a warning takes the slot. */
	assert_int_equal(reply("<rpc-reply><rpc-error><error-severity>warning</error-severity><error-message>w"
	    "</error-message></rpc-error><rpc-error><error-tag>lock-denied</error-tag><error-severity>error"
	    "</error-severity><error-message>e</error-message><error-info><session-id>9</session-id></error-info>"
	    "</rpc-error></rpc-reply>", "3", &r), 0);
	assert_int_equal(r.nerrors, 1);
	nc_error_text(&r.error, text, sizeof text);
	assert_string_equal(text, "e (severity error, tag lock-denied: 9)");
	/* Junos' commit failure: xnm:error inside commit-results. */
	assert_int_equal(reply("<rpc-reply xmlns:xnm=\"http://xml.juniper.net/xnm/1.1/xnm\"><commit-results>"
	    "<routing-engine><name>fpc0</name><xnm:error><edit-path>[edit interfaces]</edit-path><statement>ge-0/0/1"
	    "</statement><message>mgd: commit failed</message></xnm:error></routing-engine></commit-results>"
	    "</rpc-reply>", "4", &r), 0);
	assert_int_equal(r.nerrors, 1);
	assert_false(r.commit_success);
	assert_string_equal(r.error.message, "mgd: commit failed");
	assert_string_equal(r.error.path, "[edit interfaces] ge-0/0/1");
	/* ... and its success. */
	assert_int_equal(reply("<rpc-reply><commit-results><routing-engine><name>re0</name><commit-success/>"
	    "</routing-engine></commit-results></rpc-reply>", "5", &r), 0);
	assert_true(r.commit_success);
	assert_int_equal(r.nerrors, 0);
	/* An rpc-error without severity counts as an error. */
	assert_int_equal(reply("<rpc-reply><rpc-error><error-message>x</error-message></rpc-error></rpc-reply>", "6",
	    &r), 0);
	assert_int_equal(r.nerrors, 1);
}

static const char terse[] =
	"<rpc-reply xmlns:junos=\"http://xml.juniper.net/junos/21.4R3/junos\">"
	"<interface-information xmlns=\"http://xml.juniper.net/junos/21.4R3/junos-interface\" junos:style=\"terse\">"
	"<physical-interface><name>\nge-0/0/1\n</name><admin-status>\n%s\n</admin-status>"
	"<oper-status>\ndown\n</oper-status><logical-interface><name>\nge-0/0/1.0\n</name>"
	"<admin-status>\nup\n</admin-status></logical-interface></physical-interface>"
	"</interface-information></rpc-reply>";

static void test_admin_status(void **state)
{
	char x[1024];

	(void)state;
	snprintf(x, sizeof x, terse, "down");
	assert_int_equal(junos_admin_status(x, strlen(x), "ge-0/0/1"), PORT_DOWN);
	assert_int_equal(junos_admin_status(x, strlen(x), "ge-0/0/2"), PORT_UNKNOWN);
	/* the logical unit is not the port */
	assert_int_equal(junos_admin_status(x, strlen(x), "ge-0/0/1.0"), PORT_UNKNOWN);
	snprintf(x, sizeof x, terse, "up");
	assert_int_equal(junos_admin_status(x, strlen(x), "ge-0/0/1"), PORT_UP);
	snprintf(x, sizeof x, terse, "testing");
	assert_int_equal(junos_admin_status(x, strlen(x), "ge-0/0/1"), PORT_UNKNOWN);
	assert_int_equal(junos_admin_status("<rpc-reply><ok/></rpc-reply>", 27, "ge-0/0/1"), PORT_UNKNOWN);
	assert_int_equal(junos_admin_status("garbage", 7, "ge-0/0/1"), PORT_UNKNOWN);
}

static void test_software(void **state)
{
	static const char one[] = "<rpc-reply><software-information><host-name>sw-core-1</host-name>"
		"<product-model>ex4300-48t</product-model><junos-version>21.4R3-S5.4</junos-version>"
		"</software-information></rpc-reply>";
	static const char vc[] = "<rpc-reply><multi-routing-engine-results><multi-routing-engine-item>"
		"<re-name>fpc0</re-name><software-information><host-name>vc1</host-name><product-model>ex2300-24t"
		"</product-model><junos-version>20.4R3</junos-version></software-information>"
		"</multi-routing-engine-item></multi-routing-engine-results></rpc-reply>";
	char info[256];

	(void)state;
	assert_true(junos_software(one, strlen(one), info, sizeof info));
	assert_string_equal(info, "sw-core-1: ex4300-48t, Junos 21.4R3-S5.4");
	assert_true(junos_software(vc, strlen(vc), info, sizeof info));
	assert_string_equal(info, "vc1: ex2300-24t, Junos 20.4R3");
	assert_false(junos_software("<rpc-reply><ok/></rpc-reply>", 27, info, sizeof info));
}

static void test_table_macs(void **state)
{
	/* ELS, as l2ald answers an interface's table. */
	static const char els[] = "<rpc-reply><l2ng-l2ald-interface-macdb-vlan><l2ng-l2ald-mac-entry-vlan>"
		"<l2ng-l2-mac-routing-instance>default-switch</l2ng-l2-mac-routing-instance>"
		"<l2ng-mac-entry><l2ng-l2-mac-vlan-name>v10</l2ng-l2-mac-vlan-name><l2ng-l2-mac-address>"
		"52:54:00:00:01:01</l2ng-l2-mac-address><l2ng-l2-mac-flags>D</l2ng-l2-mac-flags>"
		"<l2ng-l2-mac-logical-interface>ge-0/0/1.0</l2ng-l2-mac-logical-interface></l2ng-mac-entry>"
		"<l2ng-mac-entry><l2ng-l2-mac-address>52:54:00:00:01:02</l2ng-l2-mac-address>"
		"<l2ng-l2-mac-logical-interface>ge-0/0/10.0</l2ng-l2-mac-logical-interface></l2ng-mac-entry>"
		"</l2ng-l2ald-mac-entry-vlan></l2ng-l2ald-interface-macdb-vlan></rpc-reply>";
	/* non-ELS, with the flood entry "*" every VLAN has. */
	static const char legacy[] = "<rpc-reply><ethernet-switching-table-information><ethernet-switching-table>"
		"<mac-table-entry><mac-vlan>default</mac-vlan><mac-address>*</mac-address><mac-type>Flood</mac-type>"
		"<mac-interfaces-list><mac-interfaces>All-members</mac-interfaces></mac-interfaces-list></mac-table-entry>"
		"<mac-table-entry><mac-vlan>default</mac-vlan><mac-address>\n52:54:00:00:02:01\n</mac-address>"
		"<mac-type>Learn</mac-type><mac-interfaces-list><mac-interfaces>ge-0/0/1.0</mac-interfaces>"
		"</mac-interfaces-list></mac-table-entry></ethernet-switching-table></ethernet-switching-table-information>"
		"</rpc-reply>";
	struct mac_list m = { 0 };
	size_t others;
	static const uint8_t a[6] = { 0x52, 0x54, 0, 0, 1, 1 }, b[6] = { 0x52, 0x54, 0, 0, 2, 1 };

	(void)state;
	assert_true(junos_table_macs(els, strlen(els), "ge-0/0/1", &m, &others));
	assert_int_equal(m.n, 1);
	assert_true(mac_list_has(&m, a));
	assert_int_equal(others, 1);			/* ge-0/0/10 is not ge-0/0/1 */
	mac_list_free(&m);
	assert_true(junos_table_macs(legacy, strlen(legacy), "ge-0/0/1", &m, &others));
	assert_int_equal(m.n, 1);
	assert_true(mac_list_has(&m, b));
	assert_int_equal(others, 0);			/* the flood entry has no MAC */
	mac_list_free(&m);
	assert_false(junos_table_macs("<rpc-reply><ok/></rpc-reply>", 27, "ge-0/0/1", &m, &others));
	assert_int_equal(m.n, 0);
}

static void test_lldp(void **state)
{
	static const char two[] = "<rpc-reply><lldp-neighbors-information junos:style=\"detail\">"
		"<lldp-neighbor-information><lldp-local-interface>ge-0/0/1</lldp-local-interface>"
		"<lldp-remote-chassis-id-subtype>Mac address</lldp-remote-chassis-id-subtype>"
		"<lldp-remote-chassis-id>52:54:00:00:01:01</lldp-remote-chassis-id>"
		"<lldp-remote-port-id-subtype>Interface name</lldp-remote-port-id-subtype>"
		"<lldp-remote-port-id>a0</lldp-remote-port-id><lldp-remote-port-description>a0"
		"</lldp-remote-port-description><lldp-remote-system-name>fw1</lldp-remote-system-name>"
		"</lldp-neighbor-information><lldp-neighbor-information><lldp-remote-chassis-id>00:11:22:33:44:55"
		"</lldp-remote-chassis-id></lldp-neighbor-information></lldp-neighbors-information></rpc-reply>";
	struct lldp_list l = { 0 };

	(void)state;
	assert_true(junos_lldp_neighbors(two, strlen(two), &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].sysname, "fw1");
	assert_string_equal(l.v[0].chassis, "52:54:00:00:01:01");
	assert_string_equal(l.v[0].port_id, "a0");
	assert_string_equal(l.v[0].port_descr, "a0");
	assert_string_equal(l.v[1].sysname, "");
	lldp_list_free(&l);
	assert_true(junos_lldp_neighbors("<rpc-reply><lldp-neighbors-information/></rpc-reply>", 52, &l));
	assert_int_equal(l.n, 0);
	assert_false(junos_lldp_neighbors("<rpc-reply><ok/></rpc-reply>", 27, &l));
	assert_false(junos_lldp_neighbors("<rpc-reply/>", 12, &l));
}

/* An entity must not be expanded nor a file read. */
static void test_no_entities(void **state)
{
	static const char xxe[] = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
		"<rpc-reply><rpc-error><error-severity>error</error-severity><error-message>&x;</error-message>"
		"</rpc-error></rpc-reply>";
	struct nc_reply r;

	(void)state;
	if (reply(xxe, "1", &r) == 0)
		assert_null(strstr(r.error.message, "root:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_unframe_eom),
		cmocka_unit_test(test_unframe_chunked),
		cmocka_unit_test(test_unframe_chunked_errors),
		cmocka_unit_test(test_unframe_too_long),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_hello_refused),
		cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_reply_errors),
		cmocka_unit_test(test_admin_status),
		cmocka_unit_test(test_software),
		cmocka_unit_test(test_table_macs),
		cmocka_unit_test(test_lldp),
		cmocka_unit_test(test_no_entities),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
