/* The wiring judgement (fencer/wiring.h) on made-up evidence shaped like
 * the lab's, the MAC forms switches print, the [node] port line's MAC and
 * the wiring keys of fencer.conf(5), and state-dir/wiring.json. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "fencer/state.h"
#include "fencer/wiring.h"

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

static const uint8_t FW1A[6] = { 0x52, 0x54, 0, 0, 1, 0xa }, FW1B[6] = { 0x52, 0x54, 0, 0, 1, 0xb };
static const uint8_t FW2A[6] = { 0x52, 0x54, 0, 0, 2, 0xa }, FW2B[6] = { 0x52, 0x54, 0, 0, 2, 0xb };
static const uint8_t HOST[6] = { 0x52, 0x54, 0, 0, 9, 9 }, HOST2[6] = { 0x52, 0x54, 0, 0, 9, 8 };

struct world {
	struct wiring_node nodes[2];
	struct wiring_port ports[4];	/* a Gi0/2 fw1, a Gi0/3 fw2, b port2 fw1, b port3 fw2 */
};

/* The right map; fw1 forwards when fw1_forwards is 1, fw2 does not;
 * -1: nobody's state is known. Every port read, nothing learned yet. */
static void world_init(struct world *w, int fw1_forwards)
{
	static const char *const sw[] = { "a", "a", "b", "b" }, *const port[] = { "Gi0/2", "Gi0/3", "port2", "port3" };
	const uint8_t *via[] = { FW1A, FW2A, FW1B, FW2B };

	memset(w, 0, sizeof *w);
	w->nodes[0].name = "fw1";
	w->nodes[1].name = "fw2";
	mac_list_add(&w->nodes[0].macs, FW1A);
	mac_list_add(&w->nodes[0].macs, FW1B);
	mac_list_add(&w->nodes[1].macs, FW2A);
	mac_list_add(&w->nodes[1].macs, FW2B);
	if (fw1_forwards >= 0) {
		w->nodes[0].forwards_known = w->nodes[1].forwards_known = true;
		w->nodes[0].forwards = fw1_forwards;
	}
	for (int i = 0; i < 4; i++) {
		struct wiring_port *p = &w->ports[i];

		p->sw = sw[i];
		p->port = port[i];
		p->node = i % 2 ? "fw2" : "fw1";
		p->has_via = true;
		memcpy(p->via, via[i], 6);
		p->asked = p->macs_read = p->lldp_read = true;
	}
}

static void world_free(struct world *w)
{
	for (int i = 0; i < 4; i++)
		wiring_port_free(&w->ports[i]);
	wiring_nodes_free(w->nodes, 2);
}

static void judge(struct world *w)
{
	wiring_judge(w->ports, 4, w->nodes, 2);
}

static void neighbour(struct wiring_port *p, const char *name, const char *chassis, const char *descr)
{
	struct lldp_neighbor nb = { 0 };

	snprintf(nb.sysname, sizeof nb.sysname, "%s", name);
	snprintf(nb.chassis, sizeof nb.chassis, "%s", chassis);
	snprintf(nb.port_descr, sizeof nb.port_descr, "%s", descr);
	lldp_list_add(&p->lldp, &nb);
}

static void test_mac_forms(void **state)
{
	uint8_t m[6];

	(void)state;
	assert_true(mac_parse_any("52:54:00:00:01:0a", 17, m) && memcmp(m, FW1A, 6) == 0);
	assert_true(mac_parse_any("5254.0000.010A", 14, m) && memcmp(m, FW1A, 6) == 0);
	assert_true(mac_parse_any("52-54-00-00-01-0a", 17, m) && memcmp(m, FW1A, 6) == 0);
	assert_false(mac_parse_any("52:54:00:00:01:0", 16, m));
	assert_false(mac_parse_any("52:54-00:00:01:0a", 17, m));
	assert_false(mac_parse_any("5254.0000.01xa", 14, m));
	assert_false(mac_parse_any("5254:0000:010a", 14, m));
}

/* The active node's ports carry every host and the standby's MACs toward
 * the other switch (it forwards them): none of it is a contradiction. */
static void test_right_map(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, 1);
	mac_list_add(&w.ports[0].macs, HOST);
	mac_list_add(&w.ports[0].macs, FW2B);	/* forwarded from swb by fw1 */
	mac_list_add(&w.ports[0].macs, FW1A);
	mac_list_add(&w.ports[1].macs, FW2A);
	mac_list_add(&w.ports[2].macs, FW2A);
	mac_list_add(&w.ports[2].macs, FW1B);
	mac_list_add(&w.ports[3].macs, FW2B);
	judge(&w);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(w.ports[i].status, WIRING_OK);
		assert_string_equal(w.ports[i].leads_to, w.ports[i].node);
	}
	assert_string_equal(w.ports[1].reason, "a Gi0/3 leads to fw2: fw2's MAC 52:54:00:00:02:0a is learned there");
	world_free(&w);
}

/* fw1's and fw2's ports swapped in the configuration: both named, and the
 * promote's question (does the peer's port lead here?) answered. */
static void test_swapped(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, -1);
	w.ports[0].port = "Gi0/3";	/* configured for fw1, really fw2's */
	w.ports[1].port = "Gi0/2";
	mac_list_add(&w.ports[0].macs, FW2A);
	mac_list_add(&w.ports[1].macs, FW1A);
	mac_list_add(&w.ports[1].macs, HOST);
	judge(&w);
	assert_int_equal(w.ports[0].status, WIRING_WRONG);
	assert_string_equal(w.ports[0].leads_to, "fw2");
	assert_string_equal(w.ports[0].reason, "a Gi0/3 is configured for fw1, but fw2's MAC 52:54:00:00:02:0a is "
	    "learned there");
	assert_int_equal(w.ports[1].status, WIRING_WRONG);
	assert_string_equal(w.ports[1].leads_to, "fw1");
	/* a node's MAC on its link found on another port: said on its own */
	wiring_port_free(&w.ports[1]);
	w.ports[1].macs = (struct mac_list){ 0 };
	w.ports[1].lldp = (struct lldp_list){ 0 };
	judge(&w);
	assert_int_equal(w.ports[1].status, WIRING_WRONG);
	assert_string_equal(w.ports[1].reason, "a Gi0/2 is configured for fw2, but fw2's MAC 52:54:00:00:02:0a is "
	    "learned on Gi0/3, not there");
	mac_list_free(&w.ports[0].macs);
	mac_list_add(&w.ports[1].macs, FW1A);
	judge(&w);
	assert_int_equal(w.ports[0].status, WIRING_WRONG);
	assert_null(w.ports[0].leads_to);
	assert_string_equal(w.ports[0].reason, "a Gi0/3 is configured for fw1, but fw1's MAC 52:54:00:00:01:0a is "
	    "learned on Gi0/2, not there");
	world_free(&w);
}

/* The standby sends nothing: unknown, with the reason; not OK. */
static void test_standby_unknown(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, 1);
	mac_list_add(&w.ports[0].macs, FW1A);
	judge(&w);
	assert_int_equal(w.ports[1].status, WIRING_UNKNOWN);
	assert_null(w.ports[1].leads_to);
	assert_string_equal(w.ports[1].reason, "a Gi0/3: cannot tell whether it leads to fw2: no MAC is learned "
	    "there; no LLDP neighbour");
	w.ports[3].lldp_read = false;
	snprintf(w.ports[3].lldp_error, sizeof w.ports[3].lldp_error, "driver exec cannot read LLDP neighbours");
	w.ports[3].has_via = false;
	judge(&w);
	assert_int_equal(w.ports[3].status, WIRING_UNKNOWN);
	assert_non_null(strstr(w.ports[3].reason, "LLDP not read: driver exec cannot read LLDP neighbours"));
	world_free(&w);
}

/* A host where the standby should be: a MAC of neither node on the port
 * of a node that does not forward. Unknown when its state is unknown. */
static void test_third_host(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, 1);
	mac_list_add(&w.ports[1].macs, HOST);
	mac_list_add(&w.ports[0].macs, HOST2);	/* fw1 forwards: a host there is no news */
	mac_list_add(&w.ports[0].macs, FW1A);
	judge(&w);
	assert_int_equal(w.ports[1].status, WIRING_WRONG);
	assert_null(w.ports[1].leads_to);
	assert_string_equal(w.ports[1].reason, "a Gi0/3 is configured for fw2, but MAC 52:54:00:00:09:09, of neither "
	    "node, is learned there; fw2 does not forward, so only its own MACs belong there");
	assert_int_equal(w.ports[0].status, WIRING_OK);
	world_free(&w);
	world_init(&w, -1);
	mac_list_add(&w.ports[1].macs, HOST);
	judge(&w);
	assert_int_equal(w.ports[1].status, WIRING_UNKNOWN);
	assert_non_null(strstr(w.ports[1].reason, "none of the 1 MACs learned there is fw2's on this link"));
	world_free(&w);
}

static void test_lldp(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, -1);
	neighbour(&w.ports[0], "fw1.example.net", "aa:bb:cc:dd:ee:ff", "a0");	/* the short name counts */
	neighbour(&w.ports[1], "", "52:54:00:00:02:0a", "");			/* a chassis MAC of fw2 */
	neighbour(&w.ports[2], "FW2", "x", "b0");				/* another node */
	neighbour(&w.ports[3], "h3", "cc:cc:cc:cc:cc:cc", "eth1");		/* a stranger */
	judge(&w);
	assert_int_equal(w.ports[0].status, WIRING_OK);
	assert_string_equal(w.ports[0].reason, "a Gi0/2 leads to fw1: its LLDP neighbour is fw1.example.net (port a0)");
	assert_int_equal(w.ports[1].status, WIRING_OK);
	assert_int_equal(w.ports[2].status, WIRING_WRONG);
	assert_string_equal(w.ports[2].leads_to, "fw2");
	assert_string_equal(w.ports[2].reason, "b port2 is configured for fw1, but its LLDP neighbour is FW2 (port b0)");
	assert_int_equal(w.ports[3].status, WIRING_WRONG);
	assert_null(w.ports[3].leads_to);
	assert_string_equal(w.ports[3].reason, "b port3 is configured for fw2, but its LLDP neighbour is h3 (port "
	    "eth1), not fw2");
	/* the node among strangers (a bridge that forwards LLDP): proven */
	neighbour(&w.ports[0], "srv", "dd:dd:dd:dd:dd:dd", "eth0");
	judge(&w);
	assert_int_equal(w.ports[0].status, WIRING_OK);
	world_free(&w);
}

/* A switch that did not answer leaves its ports unjudged (said once, for
 * the switch). */
static void test_not_asked(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, 1);
	w.ports[0].asked = false;
	judge(&w);
	assert_int_equal(w.ports[0].status, WIRING_UNKNOWN);
	assert_string_equal(w.ports[0].reason, "");
	world_free(&w);
}

static void test_port_line_mac(void **state)
{
	struct cfg_errors errs = { 0 };
	struct config *c;

	(void)state;
	c = tu_config("[fencer]\nnode = fw2\non-wiring-mismatch = continue\nwiring-max-age = 60s\n"
	    "[switch a]\ndriver = exec\nagent = /bin/true\n"
	    "[switch b]\ndriver = exec\nagent = /bin/true\ncheck-wiring = yes\n"
	    "[node fw1]\nport = a Gi0/2 52:54:00:00:01:0a\nport = b 7 5254.0000.010b\n"
	    "[node fw2]\nport = a Gi0/3\n", &errs);
	tu_print_errors(&errs);
	assert_non_null(c);
	assert_int_equal(c->on_wiring_mismatch, FENCE_CONTINUE);
	assert_int_equal(c->wiring_max_age_ms, 60000);
	assert_false(c->switches[0]->check_wiring);	/* exec reads no MAC table: off unless asked */
	assert_true(c->switches[1]->check_wiring);
	assert_true(c->nodes[0]->ports[0].has_mac);
	assert_memory_equal(c->nodes[0]->ports[1].mac, FW1B, 6);
	assert_int_equal(c->nodes[0]->macs.n, 2);
	assert_false(c->nodes[1]->ports[0].has_mac);
	config_free(c);
	c = tu_config("[fencer]\n", &errs);
	assert_non_null(c);
	assert_int_equal(c->on_wiring_mismatch, FENCE_ABORT);
	assert_int_equal(c->wiring_max_age_ms, 180000);
	config_free(c);
	c = tu_config("[fencer]\nnode = fw2\non-wiring-mismatch = maybe\n[switch a]\ndriver = exec\nagent = /bin/true\n"
	    "check-wiring = often\n[node fw1]\nport = a Gi0/2 01:00:5e:00:00:01\nport = a Gi0/4 zz\n"
	    "port = a Gi0/5 52:54:00:00:01:0a extra\n[node fw2]\nport = a Gi0/3\n", &errs);
	assert_null(c);
	assert_true(tu_has_error(&errs, 3, "on-wiring-mismatch must be abort or continue"));
	assert_true(tu_has_error(&errs, 7, "check-wiring must be yes or no"));
	assert_true(tu_has_error(&errs, 9, "'01:00:5e:00:00:01' is not a unicast MAC address"));
	assert_true(tu_has_error(&errs, 10, "'zz' is not a unicast MAC address"));
	assert_true(tu_has_error(&errs, 11, "port must be 'SWITCH PORT [MAC]'"));
	cfg_errors_free(&errs);
}

static void test_record(void **state)
{
	struct wiring_record r = { 0 }, back;
	struct wiring_entry e = { .sw = "a", .port = "Gi0/3", .node = "fw1", .status = "wrong", .leads_to = "fw2",
		.reason = "a Gi0/3 is configured for fw1, but ...", .time = "2026-12-01T10:00:00.000Z" };

	(void)state;
	invocation_now(&e.checked);
	wiring_record_add(&r, &e);
	assert_int_equal(wiring_record_save(tu_tmpdir(), &r), 0);
	assert_int_equal(wiring_record_load(tu_tmpdir(), &back), 0);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.v[0].leads_to, "fw2");
	assert_string_equal(back.v[0].reason, e.reason);
	assert_string_equal(back.v[0].checked.boot_id, e.checked.boot_id);
	assert_true(back.v[0].checked.mono_us == e.checked.mono_us);
	wiring_record_free(&back);
	wiring_record_free(&r);
	tu_write("wiring.json", "{not json", 0600);
	assert_int_equal(wiring_record_load(tu_tmpdir(), &back), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_forms),
		cmocka_unit_test(test_right_map),
		cmocka_unit_test(test_swapped),
		cmocka_unit_test(test_standby_unknown),
		cmocka_unit_test(test_third_host),
		cmocka_unit_test(test_lldp),
		cmocka_unit_test(test_not_asked),
		cmocka_unit_test_teardown(test_port_line_mac, teardown),
		cmocka_unit_test_teardown(test_record, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
