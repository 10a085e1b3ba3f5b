/* Cisco IOS CLI output, as pure functions: terminal rendering, prompts,
 * `--More--`, `%` error lines and the administrative state of a port.
 * Nothing here does I/O, so every function can be unit-tested and fuzzed
 * with whatever bytes a switch (or an attacker in front of one) sends. */
#ifndef FENCER_IOS_PARSE_H
#define FENCER_IOS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/driver.h"
#include "fencer/wiring.h"

enum ios_mode {
	IOS_MODE_NONE,
	IOS_MODE_USER,		/* name>  */
	IOS_MODE_PRIV,		/* name#  */
	IOS_MODE_CONFIG,	/* name(config)#  */
	IOS_MODE_CONFIG_SUB,	/* name(config-if)#, (config-line)#, ...  */
};

#define IOS_HOST_MAX 64

struct ios_prompt {
	char host[IOS_HOST_MAX];
	enum ios_mode mode;
};

/* What the last, unterminated line of the output asks for. */
enum ios_tail {
	IOS_TAIL_NONE,		/* more output to come */
	IOS_TAIL_PROMPT,	/* the CLI waits for a command */
	IOS_TAIL_MORE,		/* paging: ` --More-- ` waits for a key */
	IOS_TAIL_PASSWORD,	/* `Password:` (enable) */
};

/* Render terminal output the way a terminal shows it: CR returns to the
 * start of the line, backspace moves left (so the erase IOS sends after
 * --More-- disappears), ANSI escape sequences and other control bytes are
 * dropped, trailing blanks of each line are trimmed, lines end in "\n".
 * Always NUL-terminates out (when outlen > 0); returns the length written.
 * Input longer than out fits is cut at a line boundary from the start. */
size_t ios_render(const char *raw, size_t len, char *out, size_t outlen);

/* Is line (one rendered line, no newline) a prompt? With host non-NULL and
 * non-empty, only a prompt of that host counts. */
bool ios_prompt_parse(const char *line, const char *host, struct ios_prompt *p);

/* Classify the last line of rendered text (the text after its last "\n"). */
enum ios_tail ios_tail(const char *text, const char *host, struct ios_prompt *p);

/* The first error line (`% ...`) of a command's rendered output: text is
 * "PROMPT+ECHO\n...output...\nPROMPT". Syslog lines (`%LINK-3-UPDOWN: ...`)
 * are not errors. msg gets the switch's own words; with a caret line just
 * before it, *caret is the caret's column in the echo line and word the
 * word of the echo line the caret points at; else *caret is -1. */
struct ios_error {
	char msg[256];
	int caret;
	char word[64];
};
bool ios_find_error(const char *text, struct ios_error *e);

/* For a command whose success is silent (configure terminal, interface,
 * shutdown, end, exit, clear ...): anything in its answer but blank lines,
 * syslog messages and configure terminal's banner is a failure, in the
 * switch's own words. True, with e filled as ios_find_error fills it (the
 * first `%` line, else the first unexpected line), when there is one. */
bool ios_find_unexpected(const char *text, struct ios_error *e);

/* `show mac address-table` (either form) answered with the table: its
 * "Mac Address" header is there. */
bool ios_mac_table(const char *text);

/* Do two IOS interface names name one port? "Gi0/2" and
 * "GigabitEthernet0/2" do: the letters of one start the other's (any
 * case), and the numbers after them are the same. */
bool ios_port_same(const char *a, const char *b);

/* `show mac address-table interface X` (either form): the MAC of every
 * entry whose port column (the last) names port into macs, *others the
 * count of entries of other ports (a switch that ignored the filter).
 * False when the answer is not a MAC table (no "Mac Address" or
 * "Destination Address" header). */
bool ios_port_macs(const char *text, const char *port, struct mac_list *macs, size_t *others);

/* `show lldp neighbors X detail`: each neighbour's Chassis id, Port id,
 * Port Description and System Name into out. False when the answer is not
 * that command's (no "Total entries displayed" line). */
bool ios_lldp_neighbors(const char *text, struct lldp_list *out);

/* `show privilege`: "Current privilege level is N" gives N; -1 if absent. */
int ios_privilege_level(const char *text);

/* From `show ip interface brief` (first column: the interface names), the
 * names near port, comma-separated into buf: those of the same type
 * (GigabitEthernet for Gi0/9), or all of them when none is. Returns how
 * many interfaces the answer listed. */
size_t ios_near_ports(const char *text, const char *port, char *buf, size_t len);

/* Administrative state from `show running-config interface X`: a
 * ` shutdown` line inside the interface block means down; an interface
 * block without one means up; no block: PORT_UNKNOWN. */
enum port_state ios_state_from_running(const char *text);

/* From `show interfaces X`: "X is administratively down, ..." means down,
 * "X is up, ..." or "X is down, ..." means administratively up. */
enum port_state ios_state_from_interfaces(const char *text);

/* The first non-empty output line after the echo line, not the prompt
 * (e.g. the first line of `show version`), into buf. */
void ios_first_output_line(const char *text, char *buf, size_t len);

#endif
