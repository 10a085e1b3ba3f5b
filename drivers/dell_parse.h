/* Dell OS6 (N-Series, PowerConnect) and OS10 CLI output, as pure
 * functions: prompts and the administrative state of a port. The rest of
 * its grammar is IOS's (drivers/ios_parse.h: `%` errors with a caret, MAC
 * tables with a "Mac Address" header). Nothing here does I/O. */
#ifndef FENCER_DELL_PARSE_H
#define FENCER_DELL_PARSE_H

#include <stdbool.h>

#include "drivers/ssh_cli.h"
#include "fencer/driver.h"

enum dell_mode {
	DELL_NONE,
	DELL_USER,		/* console>  */
	DELL_PRIV,		/* console#  */
	DELL_CONFIG,		/* console(config)#  */
	DELL_CONFIG_SUB,	/* console(config-if-Gi1/0/1)#, OS10: OS10(conf-if-eth1/1/1)#  */
};

bool dell_prompt_parse(const char *line, const char *host, struct swcli_prompt *p);

/* From `show running-config interface X` (OS10: `show
 * running-configuration interface X`): the interface block's `shutdown`
 * line means down, `no shutdown` or neither means up; no block:
 * PORT_UNKNOWN. */
enum port_state dell_state_from_running(const char *text);

/* From `show interfaces configuration X`: the Admin State (last) column of
 * port's row, Up or Down; no such row: PORT_UNKNOWN. */
enum port_state dell_state_from_config(const char *text, const char *port);

#endif
