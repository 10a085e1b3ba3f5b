/* libFuzzer target: the IOS output parser on whatever a switch sends.
 * Every function runs on the rendered text, as the driver calls them: the
 * wiring check's MAC table and LLDP neighbour parsers too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ios_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The wiring check's two answers: every string bounded and terminated. */
static void wiring(const char *text)
{
	struct mac_list m = { 0 };
	struct lldp_list l = { 0 };
	size_t others;

	ios_port_macs(text, "GigabitEthernet0/2", &m, &others);
	if (m.n > strlen(text))
		abort();
	ios_lldp_neighbors(text, &l);
	for (size_t i = 0; i < l.n; i++)
		if (strlen(l.v[i].sysname) >= sizeof l.v[i].sysname || strlen(l.v[i].chassis) >= sizeof l.v[i].chassis ||
		    strlen(l.v[i].port_id) >= sizeof l.v[i].port_id)
			abort();
	mac_list_free(&m);
	lldp_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192];
	struct ios_prompt p;
	struct ios_error e;
	char line[256];
	size_t n = ios_render((const char *)data, size, text, sizeof text);

	if (n >= sizeof text || strlen(text) != n)
		abort();	/* the rendered text is one NUL-terminated string */
	ios_tail(text, NULL, &p);
	ios_tail(text, "swa", &p);
	if (ios_find_error(text, &e) && (strlen(e.msg) >= sizeof e.msg || e.caret < -1))
		abort();
	ios_state_from_running(text);
	ios_state_from_interfaces(text);
	ios_first_output_line(text, line, sizeof line);
	if (ios_find_unexpected(text, &e) && strlen(e.msg) >= sizeof e.msg)
		abort();
	ios_privilege_level(text);
	ios_mac_table(text);
	if (ios_near_ports(text, "Gi0/9", line, sizeof line) && strlen(line) >= sizeof line)
		abort();
	wiring(text);
	return 0;
}
