/* libFuzzer target: the IOS output parser on whatever a switch sends.
 * Every function runs on the rendered text, as the driver calls them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ios_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
