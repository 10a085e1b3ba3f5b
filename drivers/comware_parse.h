/* HPE/H3C Comware CLI output, as pure functions: prompts, the terminal's
 * log lines, `%` errors, `display interface ... brief` and `display
 * mac-address`. Nothing here does I/O, so every function can be
 * unit-tested and fuzzed with whatever bytes a switch sends. The text is
 * rendered (ios_render: echo line first, the prompt last). */
#ifndef FENCER_COMWARE_PARSE_H
#define FENCER_COMWARE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers/ios_parse.h"
#include "drivers/ssh_cli.h"
#include "fencer/driver.h"
#include "fencer/wiring.h"

enum comware_view {
	CW_NONE,
	CW_USER,	/* <name> */
	CW_SYSTEM,	/* [name] */
	CW_SUB,		/* [name-GigabitEthernet1/0/1], [name-vlan10], ... */
};

/* <name>, [name], [name-VIEW]. With host non-empty, only that host's. */
bool comware_prompt_parse(const char *line, const char *host, struct swcli_prompt *p);

/* The first error of a command's output, as ios_find_error finds it (a `%`
 * line, the caret line above it), the terminal's log lines (`%Nov 29
 * 10:00:00:123 2026 name IFNET/3/...`) not counted. */
bool comware_find_error(const char *text, struct ios_error *e);
/* For a command whose success is silent: any line but blanks, log lines
 * and system-view's `System View: return to User View with Ctrl+Z.` is a
 * failure, in the switch's words. */
bool comware_find_unexpected(const char *text, struct ios_error *e);

/* Do two Comware interface names name one port? "GE1/0/1" (how brief
 * tables abbreviate) and "GigabitEthernet1/0/1" do; so do "XGE1/0/1" and
 * "Ten-GigabitEthernet1/0/1". */
bool comware_port_same(const char *a, const char *b);

/* `display interface X brief` (Comware 7) or `display brief interface X`
 * (Comware 5): the Link column of port's row. ADM (administratively down)
 * is PORT_DOWN; UP, DOWN (no link) and Stby are PORT_UP; no row of port:
 * PORT_UNKNOWN. */
enum port_state comware_brief_state(const char *text, const char *port);

/* `display mac-address ...` answered with the table ("MAC Address" or, in
 * Comware 5, "MAC ADDR" header). */
bool comware_mac_table(const char *text);
/* The MAC of every row of the table whose port column names port into
 * macs; *others the rows of other ports. False when it is no MAC table. */
bool comware_port_macs(const char *text, const char *port, struct mac_list *macs, size_t *others);

#endif
