/* libFuzzer target: the Dell OS6/OS10 output parsers on whatever a switch
 * sends, rendered as the driver renders it (ios_render): the prompt and
 * pager tail, both read-backs and the LLDP neighbours. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/dell_parse.h"
#include "drivers/ios_parse.h"
#include "drivers/lldp_text.h"
#include "drivers/ssh_cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct swcli_dialect d = { .prompt = dell_prompt_parse, .more = "--More--" };
	static const struct lldp_text_keys keys = {
		.start = "Remote Identifier", .chassis = "Chassis ID", .port_id = "Port ID",
		.port_descr = "Port Description", .sysname = "System Name", .header = "Local Interface",
	};
	static char text[8192];
	struct lldp_list l = { 0 };
	struct swcli_prompt p;
	size_t n = ios_render((const char *)data, size, text, sizeof text);

	if (n >= sizeof text || strlen(text) != n)
		abort();
	swcli_tail(&d, text, NULL, &p);
	if (swcli_tail(&d, text, "console", &p) == SWCLI_TAIL_PROMPT && strlen(p.host) >= sizeof p.host)
		abort();
	dell_state_from_running(text);
	dell_state_from_config(text, "Gi1/0/1");
	lldp_text_neighbors(text, &keys, &l);
	if (l.n > n)
		abort();
	lldp_list_free(&l);
	return 0;
}
