/* LLDP neighbours as CLIs print them in detail: blocks of "Key : value"
 * lines (Comware's `display lldp neighbor-information ... verbose`, Dell
 * OS6's `show lldp remote-device detail X`). Pure: unit-tested and fuzzed. */
#ifndef FENCER_LLDP_TEXT_H
#define FENCER_LLDP_TEXT_H

#include <stdbool.h>

#include "fencer/wiring.h"

/* The keys of one CLI (matched case-insensitively, blanks trimmed, the
 * separator ':'): the line that starts each neighbour, the four fields,
 * and the line that says the answer is this command's (a header). */
struct lldp_text_keys {
	const char *start;		/* "LLDP neighbor index", "Remote Identifier" */
	const char *chassis, *port_id, *port_descr, *sysname;
	const char *header;		/* a line starting so: the command's answer */
};

/* The neighbours of text (rendered: echo line first, prompt last) into
 * out. A MAC written H-H-H (0001-0203-0405) is stored as 00:01:02:03:04:05,
 * as the wiring check compares MACs. False when no line starts with the
 * header (an empty answer is the caller's to judge). */
bool lldp_text_neighbors(const char *text, const struct lldp_text_keys *, struct lldp_list *out);

#endif
