/* libFuzzer target: the Comware output parsers on whatever a switch sends,
 * rendered as the driver renders it (ios_render), every function the
 * driver calls on an answer: the prompt and pager tail, errors among log
 * lines, the brief tables, the MAC tables, the LLDP neighbours. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/comware_parse.h"
#include "drivers/lldp_text.h"
#include "drivers/ssh_cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lldp(const char *text)
{
	static const struct lldp_text_keys keys = {
		.start = "LLDP neighbor index", .chassis = "Chassis ID", .port_id = "Port ID",
		.port_descr = "Port description", .sysname = "System name", .header = "LLDP neighbor-information",
	};
	struct lldp_list l = { 0 };

	lldp_text_neighbors(text, &keys, &l);
	for (size_t i = 0; i < l.n; i++)
		if (strlen(l.v[i].sysname) >= sizeof l.v[i].sysname || strlen(l.v[i].chassis) >= sizeof l.v[i].chassis ||
		    strlen(l.v[i].port_id) >= sizeof l.v[i].port_id)
			abort();
	lldp_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct swcli_dialect d = { .prompt = comware_prompt_parse, .more = "---- More ----" };
	static char text[8192];
	struct swcli_prompt p;
	struct mac_list m = { 0 };
	struct ios_error e;
	size_t others, n = ios_render((const char *)data, size, text, sizeof text);

	if (n >= sizeof text || strlen(text) != n)
		abort();
	swcli_tail(&d, text, NULL, &p);
	if (swcli_tail(&d, text, "HPE", &p) == SWCLI_TAIL_PROMPT && strlen(p.host) >= sizeof p.host)
		abort();
	if (comware_find_error(text, &e) && (strlen(e.msg) >= sizeof e.msg || e.caret < -1))
		abort();
	if (comware_find_unexpected(text, &e) && strlen(e.msg) >= sizeof e.msg)
		abort();
	comware_brief_state(text, "GigabitEthernet1/0/1");
	comware_mac_table(text);
	comware_port_macs(text, "GigabitEthernet1/0/2", &m, &others);
	if (m.n > n)
		abort();
	mac_list_free(&m);
	comware_port_same(text, "GigabitEthernet1/0/1");
	lldp(text);
	return 0;
}
