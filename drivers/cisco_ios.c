/*
 * cisco-ios: switch ports over SSH (libssh), through the IOS CLI.
 *
 * One interactive shell with a pty per switch (drivers/ssh_session.c:
 * connecting, the host key, the login, trust), driven by its prompts:
 * every command waits for the next prompt (never a fixed sleep), with the
 * time left of the operation's timeout inside the run's deadline. The
 * output is parsed by drivers/ios_parse.c.
 *
 * The session follows the engine's order: port_set for every port (staying
 * in config mode between them: `interface X` works from interface mode),
 * then port_get for every port (one `end`, then a show per port), then
 * mac_flush. Each answer's prompt tells which mode the CLI is in.
 *
 * A command whose success is silent (configure, interface, shutdown, end,
 * clear) succeeded only when the switch answered with nothing but its
 * prompt: any other line is a failure in the switch's own words, whether
 * it starts with `%` (IOS) or not (`No such command : ...` elsewhere).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ios_parse.h"
#include "drivers/ssh_session.h"
#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/log.h"

#define RAW_MAX (256 * 1024)
#define TEXT_MAX (64 * 1024)

/* The two spellings of the MAC flush: 12.2(25)+ and the 2950-era one. */
static const char *const clear_forms[] = {
	"clear mac address-table dynamic",
	"clear mac-address-table dynamic",
};

struct ios {
	struct swssh link;		/* drivers/ssh_session.h */
	struct ios_prompt prompt;	/* the last prompt seen: host and mode */
	char prompt_text[IOS_HOST_MAX + 48];
	char *raw;			/* this exchange's bytes, as received */
	size_t rawlen;
	char *text;			/* ... rendered (ios_render) */
	size_t more_seen;		/* --More-- prompts answered */
	int echo_prompt_len;		/* prompt length in this exchange's echo line */
	int clear_form;			/* index into clear_forms that works */
	bool verify_by_show_int;	/* no `show running-config interface` */
	bool end_refused;		/* leave config mode with `exit` */
};

enum wait_result { GOT_PROMPT, GOT_PASSWORD };

/* ---- deadlines and failures ------------------------------------------------ */

/* ---- connecting ------------------------------------------------------------ */

/* ---- logging in ------------------------------------------------------------- */

/* ---- the CLI ---------------------------------------------------------------- */

static size_t count_more(const char *raw, size_t len)
{
	size_t n = 0;

	for (const char *p = raw; (p = memmem(p, len - (size_t)(p - raw), "--More--", 8)); p += 8)
		n++;
	return n;
}

/* Start an exchange: seed with the prompt the command is typed after, so
 * the rendered first line is what the switch shows (and a caret under it
 * lines up). */
static void exchange_begin(struct ios *s, bool with_prompt)
{
	s->rawlen = 0;
	s->more_seen = 0;
	s->echo_prompt_len = with_prompt ? (int)strlen(s->prompt_text) : 0;
	if (with_prompt) {
		memcpy(s->raw, s->prompt_text, (size_t)s->echo_prompt_len);
		s->rawlen = (size_t)s->echo_prompt_len;
	}
	s->text[0] = '\0';
}

/* Read until the CLI waits for input: a prompt (remembered in s->prompt)
 * or an enable `Password:`. Pages of --More-- are turned with a space. */
static int ios_wait(struct sw *sw, struct ios *s, const char *what)
{
	struct deadline d;
	struct ios_prompt p;

	swssh_deadline(sw, &d);
	for (;;) {
		int rc = swssh_read(sw, &s->link, &d, what, s->raw, &s->rawlen, RAW_MAX);
		enum ios_tail t;
		size_t more;

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		ios_render(s->raw, s->rawlen, s->text, TEXT_MAX);
		t = ios_tail(s->text, s->prompt.host, &p);
		if (t == IOS_TAIL_PASSWORD)
			return GOT_PASSWORD;
		if (t == IOS_TAIL_PROMPT) {
			const char *last = strrchr(s->text, '\n');

			s->prompt = p;
			snprintf(s->prompt_text, sizeof s->prompt_text, "%s", last ? last + 1 : s->text);
			return GOT_PROMPT;
		}
		/* Only a --More-- not answered yet: the erase after a key press
		 * can arrive in pieces. */
		if (t == IOS_TAIL_MORE && (more = count_more(s->raw, s->rawlen)) > s->more_seen) {
			s->more_seen = more;
			if (swssh_send(sw, &s->link, " ", 1, what) < 0)
				return -1;
		}
	}
}

/* Run one command to its next prompt. 0: done; 1: the switch answered
 * with a % error (in e); -1: no usable answer (sw->err set). */
static int ios_run(struct sw *sw, struct ios *s, const char *cmd, struct ios_error *e)
{
	char line[256], what[300];
	int n = snprintf(line, sizeof line, "%s\n", cmd);

	snprintf(what, sizeof what, "`%s`", cmd);
	log_debug("%s: %s", sw->cfg->name, cmd);
	exchange_begin(s, true);
	if (swssh_send(sw, &s->link, line, (size_t)n, what) < 0)
		return -1;
	switch (ios_wait(sw, s, what)) {
	case GOT_PROMPT:
		return ios_find_error(s->text, e) ? 1 : 0;
	case GOT_PASSWORD:
		return sw_fail(sw, SWE_PROTOCOL, "`%s` asked for a password", cmd);
	default:
		return -1;
	}
}

/* Run a command whose success is silent: 0 only when the switch answered
 * with its prompt and nothing else (see ios_find_unexpected). */
static int ios_act(struct sw *sw, struct ios *s, const char *cmd, struct ios_error *e)
{
	int rc = ios_run(sw, s, cmd, e);

	if (rc == 0 && ios_find_unexpected(s->text, e))
		return 1;
	return rc;
}

/* A rejected command, in the switch's own words. */
static int command_fail(struct sw *sw, enum sw_error kind, const char *cmd, const char *port,
    const struct ios_error *e)
{
	return sw_fail(sw, kind, "the switch rejected `%s`%s%s: %s%s%s%s", cmd, port ? " for port " : "",
	    port ? port : "", e->msg, e->word[0] ? " (at '" : "", e->word, e->word[0] ? "')" : "");
}

/* Does the caret point into the port name at the end of cmd? */
static bool caret_on_port(const struct ios *s, const char *cmd, const char *port, const struct ios_error *e)
{
	return e->caret >= 0 && e->caret >= s->echo_prompt_len + (int)(strlen(cmd) - strlen(port));
}

static int expect_mode(struct sw *sw, struct ios *s, const char *cmd, enum ios_mode mode)
{
	if (s->prompt.mode == mode)
		return 0;
	return sw_fail(sw, SWE_PROTOCOL, "after `%s` the switch shows the prompt `%s`, not the expected mode",
	    cmd, s->prompt_text);
}

static int send_secret(struct sw *sw, struct ios *s, const char *path)
{
	char secret[SWSSH_SECRET_MAX + 1], err[512];
	size_t n;
	int rc;

	if (secret_read(path, secret, sizeof secret - 1, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "%s", err);
	n = strlen(secret);
	secret[n++] = '\n';
	exchange_begin(s, false);
	rc = swssh_send(sw, &s->link, secret, n, "the enable secret");
	explicit_bzero(secret, sizeof secret);
	return rc;
}

/* user EXEC (`name>`) -> privileged EXEC (`name#`). */
static int ios_enable(struct sw *sw, struct ios *s)
{
	struct ios_error e;
	int rc;

	log_debug("%s: enable", sw->cfg->name);
	exchange_begin(s, true);
	if (swssh_send(sw, &s->link, "enable\n", 7, "`enable`") < 0)
		return -1;
	rc = ios_wait(sw, s, "the answer to `enable`");
	if (rc == GOT_PASSWORD) {
		if (!sw->cfg->enable_secret_file)
			return sw_fail(sw, SWE_ENABLE, "the switch asks for an enable secret and [switch %s] has "
			    "no enable-secret-file", sw->cfg->name);
		if (send_secret(sw, s, sw->cfg->enable_secret_file) < 0)
			return -1;
		rc = ios_wait(sw, s, "the answer to the enable secret");
		if (rc == GOT_PASSWORD)
			return sw_fail(sw, SWE_ENABLE, "enable secret refused (the switch asks for it again): "
			    "check enable-secret-file");
	}
	if (rc < 0)
		return -1;
	if (s->prompt.mode == IOS_MODE_PRIV)
		return 0;
	rc = ios_find_error(s->text, &e);
	return sw_fail(sw, SWE_ENABLE, "enable refused%s%s (prompt `%s`)", rc ? ": " : "", rc ? e.msg : "",
	    s->prompt_text);
}

/* Paging off. A switch that rejects it is still usable: --More-- is
 * answered as it comes. */
static int ios_no_paging(struct sw *sw, struct ios *s)
{
	struct ios_error e;
	int rc = ios_run(sw, s, "terminal length 0", &e);

	if (rc == 1)
		log_debug("%s: terminal length 0 refused (%s): paging stays on", sw->cfg->name, e.msg);
	return rc < 0 ? -1 : 0;
}

static bool in_config(const struct ios *s)
{
	return s->prompt.mode == IOS_MODE_CONFIG || s->prompt.mode == IOS_MODE_CONFIG_SUB;
}

/* `end` leaves config mode from any depth; a CLI that refuses it is left
 * with `exit`, one level at a time, until the exec prompt. */
#define EXIT_LEVELS 4

static int leave_config(struct sw *sw, struct ios *s)
{
	struct ios_error e, end_e = { .msg = "" };
	int rc;

	if (!in_config(s))
		return 0;
	if (!s->end_refused) {
		if ((rc = ios_act(sw, s, "end", &end_e)) < 0)
			return -1;
		if (rc == 0 && !in_config(s))
			return expect_mode(sw, s, "end", IOS_MODE_PRIV);
		log_debug("%s: `end` refused (%s): leaving config mode with `exit`", sw->cfg->name,
		    end_e.msg[0] ? end_e.msg : s->prompt_text);
		s->end_refused = true;
	}
	for (int i = 0; i < EXIT_LEVELS && in_config(s); i++) {
		if ((rc = ios_act(sw, s, "exit", &e)) < 0)
			return -1;
		if (rc == 1)
			return sw_fail(sw, SWE_COMMAND, "the switch rejected `exit` (%s)%s%s%s: cannot leave config "
			    "mode", e.msg, end_e.msg[0] ? " and `end` (" : "", end_e.msg, end_e.msg[0] ? ")" : "");
	}
	if (in_config(s))
		return sw_fail(sw, SWE_PROTOCOL, "still in config mode after %d `exit`s (prompt `%s`)", EXIT_LEVELS,
		    s->prompt_text);
	return expect_mode(sw, s, "exit", IOS_MODE_PRIV);
}

/* ---- the driver's operations ----------------------------------------------- */

/* The session's end, the state itself being the engine's (priv_size);
 * goodbye is sent first when the shell is open. */
static void ios_end(struct ios *s, const char *goodbye)
{
	swssh_close(&s->link, goodbye);
	free(s->raw);
	free(s->text);
	*s = (struct ios){ 0 };
}

static int cisco_open(struct sw *sw, const struct deadline *dl)
{
	long t0 = mono_ms();
	struct ios *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	s->raw = xmalloc(RAW_MAX);
	s->text = xmalloc(TEXT_MAX);
	s->text[0] = '\0';
	if (swssh_open(sw, &s->link) < 0)
		goto fail;
	exchange_begin(s, false);
	if (ios_wait(sw, s, "the first prompt after login") != GOT_PROMPT) {
		if (sw->errkind == SWE_NONE)
			sw_fail(sw, SWE_PROTOCOL, "the switch asks for a password after login");
		goto fail;
	}
	if (s->prompt.mode == IOS_MODE_USER && ios_enable(sw, s) < 0)
		goto fail;
	if (s->prompt.mode != IOS_MODE_USER && ios_no_paging(sw, s) < 0)
		goto fail;
	log_debug("%s: ready at `%s` (%ld ms)", sw->cfg->name, s->prompt_text, mono_ms() - t0);
	return 0;
fail:
	ios_end(s, NULL);
	return -1;
}

/* fencer serve: a kept session is still logged in, enabled, and at the
 * exec prompt where the last run left it (every operation ends there).
 * An empty line must bring the prompt back: a session the switch dropped
 * since the last keepalive (restarted, its sshd killed) fails here, within
 * a second, and is opened anew instead of failing the fence. */
#define REUSE_WAIT_MS 1000

static int cisco_reuse(struct sw *sw)
{
	struct ios *s = sw->priv;
	const struct deadline *run_dl = sw->dl;
	struct deadline d;
	int rc;

	if (!s->link.ch || !ssh_channel_is_open(s->link.ch) || ssh_channel_is_eof(s->link.ch))
		return sw_fail(sw, SWE_PROTOCOL, "the kept session was closed by the switch");
	if (in_config(s) || s->prompt.mode == IOS_MODE_USER)
		return sw_fail(sw, SWE_PROTOCOL, "the kept session is not at the privileged exec prompt");
	deadline_sub(&d, run_dl, REUSE_WAIT_MS);
	sw->dl = &d;
	exchange_begin(s, true);
	rc = swssh_send(sw, &s->link, "\n", 1, "an empty line to the kept session");
	if (rc == 0)
		rc = ios_wait(sw, s, "the kept session's prompt") == GOT_PROMPT ? 0 : -1;
	sw->dl = run_dl;
	if (rc == 0 && (in_config(s) || s->prompt.mode == IOS_MODE_USER))
		return sw_fail(sw, SWE_PROTOCOL, "the kept session is not at the privileged exec prompt");
	if (rc < 0 && sw->errkind == SWE_NONE)
		sw_fail(sw, SWE_PROTOCOL, "the kept session asks for a password");
	return rc;
}

static int check_port(struct sw *sw, const char *port)
{
	if (!((struct ios *)sw->priv)->link.ch)
		return sw_fail(sw, SWE_PROTOCOL, "no session with the switch");
	if (port && !port_name_valid(port))
		return sw_fail(sw, SWE_CONFIG, "port name '%s' is not a valid IOS interface name", port);
	return 0;
}

/* The switch has no such port: say so, with the names it has near it
 * (from `show ip interface brief`, asked on this error path only) and its
 * own words. */
static int no_such_port(struct sw *sw, struct ios *s, const char *port, const char *cmd, const char *words)
{
	char said[300], near[400] = "";
	struct ios_error e;

	snprintf(said, sizeof said, "%s", words);
	if (leave_config(sw, s) == 0 && ios_run(sw, s, "show ip interface brief", &e) == 0)
		ios_near_ports(s->text, port, near, sizeof near);
	return sw_fail(sw, SWE_PORT, "no such port: switch %s has no %s (its answer to `%s`: %s)%s%s",
	    sw->cfg->name, port, cmd, said, near[0] ? "; near names on it: " : "", near);
}

static int port_rejected(struct sw *sw, struct ios *s, const char *port, const char *cmd, const struct ios_error *e)
{
	char words[300];

	snprintf(words, sizeof words, "%s%s%s%s", e->msg, e->word[0] ? " (at '" : "", e->word,
	    e->word[0] ? "')" : "");
	return no_such_port(sw, s, port, cmd, words);
}

static int enter_config(struct sw *sw, struct ios *s, const char *port)
{
	struct ios_error e;
	int rc;

	if (in_config(s))
		return 0;
	if ((rc = ios_act(sw, s, "configure terminal", &e)) != 0)
		return rc < 0 ? -1 : command_fail(sw, SWE_COMMAND, "configure terminal", port, &e);
	return expect_mode(sw, s, "configure terminal", IOS_MODE_CONFIG);
}

static int enter_interface(struct sw *sw, struct ios *s, const char *port)
{
	struct ios_error e;
	char cmd[128];
	int rc;

	snprintf(cmd, sizeof cmd, "interface %s", port);
	if ((rc = ios_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : port_rejected(sw, s, port, cmd, &e);
	return expect_mode(sw, s, cmd, IOS_MODE_CONFIG_SUB);
}

static int cisco_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct ios *s = sw->priv;
	struct ios_error e;
	const char *cmd = st == PORT_DOWN ? "shutdown" : "no shutdown";
	int rc;

	if (check_port(sw, port) < 0 || enter_config(sw, s, port) < 0 || enter_interface(sw, s, port) < 0)
		return -1;
	sw->sent = true;
	if ((rc = ios_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : command_fail(sw, SWE_COMMAND, cmd, port, &e);
	return 0;
}

/* `show interfaces X`: every IOS has it, where `show running-config
 * interface X` is missing on some old ones. */
static int state_by_show_int(struct sw *sw, struct ios *s, const char *port, enum port_state *st)
{
	struct ios_error e;
	char cmd[128];
	int rc;

	snprintf(cmd, sizeof cmd, "show interfaces %s", port);
	if ((rc = ios_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && caret_on_port(s, cmd, port, &e))
		return port_rejected(sw, s, port, cmd, &e);
	if (rc == 1)
		return command_fail(sw, SWE_COMMAND, cmd, port, &e);
	if ((*st = ios_state_from_interfaces(s->text)) == PORT_UNKNOWN) {
		char first[200];

		ios_first_output_line(s->text, first, sizeof first);
		return no_such_port(sw, s, port, cmd, first[0] ? first : "nothing but the prompt");
	}
	return 0;
}

static int cisco_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct ios *s = sw->priv;
	struct ios_error e;
	char cmd[128];
	int rc;

	if (check_port(sw, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	if (s->verify_by_show_int)
		return state_by_show_int(sw, s, port, st);
	snprintf(cmd, sizeof cmd, "show running-config interface %s", port);
	if ((rc = ios_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && caret_on_port(s, cmd, port, &e))
		return port_rejected(sw, s, port, cmd, &e);
	if (rc == 1) {
		log_debug("%s: `%s` refused (%s): reading ports with show interfaces", sw->cfg->name, cmd, e.msg);
		s->verify_by_show_int = true;
		return state_by_show_int(sw, s, port, st);
	}
	if ((*st = ios_state_from_running(s->text)) == PORT_UNKNOWN)
		return state_by_show_int(sw, s, port, st);
	return 0;
}

/* The switch does not say how many entries a clear removed: the journal
 * says which command it accepted. */
static int cisco_mac_flush(struct sw *sw, const char *port)
{
	struct ios *s = sw->priv;
	struct ios_error e[2];
	char cmd[2][160];
	int rc, i;

	if (check_port(sw, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	/* Start with the form that worked in this session. */
	for (i = s->clear_form; i < 2; i++) {
		snprintf(cmd[i], sizeof cmd[i], "%s%s%s", clear_forms[i], port ? " interface " : "", port ? port : "");
		if ((rc = ios_act(sw, s, cmd[i], &e[i])) < 0)
			return -1;
		if (rc == 0) {
			s->clear_form = i;
			snprintf(sw->info, sizeof sw->info, "`%s` accepted", cmd[i]);
			return 0;
		}
		if (port && caret_on_port(s, cmd[i], port, &e[i]))
			return command_fail(sw, SWE_PORT, cmd[i], port, &e[i]);
	}
	if (s->clear_form == 1)
		return command_fail(sw, SWE_COMMAND, cmd[1], port, &e[1]);
	return sw_fail(sw, SWE_COMMAND, "the switch rejected both `%s` (%s) and `%s` (%s)", cmd[0], e[0].msg,
	    cmd[1], e[1].msg);
}

/* Read-only: what the switch is, in its own words. */
static int cisco_probe(struct sw *sw)
{
	struct ios *s = sw->priv;
	struct ios_error e;
	char first[200];
	int rc;

	if (check_port(sw, NULL) < 0 || leave_config(sw, s) < 0)
		return -1;
	if ((rc = ios_run(sw, s, "show version", &e)) != 0)
		return rc < 0 ? -1 : command_fail(sw, SWE_COMMAND, "show version", NULL, &e);
	ios_first_output_line(s->text, first, sizeof first);
	snprintf(sw->info, sizeof sw->info, "%s: %s", s->prompt.host, first[0] ? first : "(no version line)");
	return 0;
}

/* check: the privilege level (IOS refuses configure terminal and clear
 * below 15 even at a `#` prompt), then into the port's interface mode and
 * out again: no command that changes anything. */
static int cisco_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct ios *s = sw->priv;
	struct ios_error e;
	int rc, level;

	(void)st;
	if (check_port(sw, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	if ((rc = ios_run(sw, s, "show privilege", &e)) < 0)
		return -1;
	level = rc == 0 ? ios_privilege_level(s->text) : -1;
	if (level >= 0 && level < 15)
		return sw_fail(sw, SWE_ENABLE, "the session is at privilege level %d (`show privilege`), where IOS "
		    "refuses configure terminal and clear mac address-table: give user %s privilege 15 on the "
		    "switch, or let it log in at user EXEC with enable-secret-file set", level,
		    sw->cfg->user ? sw->cfg->user : "?");
	if (enter_config(sw, s, port) < 0 || enter_interface(sw, s, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "%sconfigure terminal and interface %s accepted",
	    level >= 0 ? "privilege level 15, " : "", port);
	return 0;
}

/* check: the MAC table in the form the flush will use. Reading it proves
 * the command family exists; the clear itself cannot be tried without
 * flushing. */
static int cisco_probe_flush(struct sw *sw)
{
	static const char *const show_forms[] = { "show mac address-table dynamic", "show mac-address-table dynamic" };
	struct ios *s = sw->priv;
	struct ios_error e;
	char first[2][200];
	int rc;

	if (check_port(sw, NULL) < 0 || leave_config(sw, s) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if ((rc = ios_run(sw, s, show_forms[i], &e)) < 0)
			return -1;
		if (rc == 0 && ios_mac_table(s->text)) {
			s->clear_form = i;
			snprintf(sw->info, sizeof sw->info, "flushes with `%s` (`%s` answers)", clear_forms[i],
			    show_forms[i]);
			return 0;
		}
		if (rc == 1)
			snprintf(first[i], sizeof first[i], "%s", e.msg);
		else
			ios_first_output_line(s->text, first[i], sizeof first[i]);
	}
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch shows no MAC table to `%s` (%s) nor to `%s` (%s): the "
	    "flush with `%s` will fail", show_forms[0], first[0], show_forms[1], first[1], clear_forms[0]);
}

/* check, wiring: the MAC table of one port, in the form this switch
 * knows (the older `show mac-address-table` when the newer is refused).
 * An answer that is no MAC table is a failure in the switch's words. */
static int cisco_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	static const char *const forms[] = { "show mac address-table interface", "show mac-address-table interface" };
	struct ios *s = sw->priv;
	struct ios_error e[2];
	char cmd[2][128], first[200];
	size_t others;
	int rc, i;

	if (check_port(sw, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	for (i = s->clear_form; i < 2; i++) {
		snprintf(cmd[i], sizeof cmd[i], "%s %s", forms[i], port);
		if ((rc = ios_run(sw, s, cmd[i], &e[i])) < 0)
			return -1;
		if (rc == 1 && caret_on_port(s, cmd[i], port, &e[i]))
			return port_rejected(sw, s, port, cmd[i], &e[i]);
		if (rc == 1)
			continue;
		if (!ios_port_macs(s->text, port, macs, &others)) {
			ios_first_output_line(s->text, first, sizeof first);
			return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no MAC table: %s", cmd[i],
			    first[0] ? first : "nothing but the prompt");
		}
		s->clear_form = i;
		if (others)
			log_debug("%s: `%s` listed %zu entries of other ports: left out", sw->cfg->name, cmd[i], others);
		return 0;
	}
	if (s->clear_form == 1)
		return command_fail(sw, SWE_UNSUPPORTED, cmd[1], port, &e[1]);
	return sw_fail(sw, SWE_UNSUPPORTED, "the switch rejected both `%s` (%s) and `%s` (%s)", cmd[0], e[0].msg,
	    cmd[1], e[1].msg);
}

/* check, wiring: the LLDP neighbours of one port. `% LLDP is not enabled`
 * and the like say the switch cannot tell: unsupported, in its words. */
static int cisco_port_neighbors(struct sw *sw, const char *port, struct lldp_list *out)
{
	struct ios *s = sw->priv;
	struct ios_error e;
	char cmd[128], first[200];
	int rc;

	if (check_port(sw, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show lldp neighbors %s detail", port);
	if ((rc = ios_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1)
		return command_fail(sw, SWE_UNSUPPORTED, cmd, port, &e);
	if (!ios_lldp_neighbors(s->text, out)) {
		ios_first_output_line(s->text, first, sizeof first);
		return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no neighbour list: %s", cmd,
		    first[0] ? first : "nothing but the prompt");
	}
	return 0;
}

/* Leave as a person would: out of config mode, then logout. Nothing is
 * awaited: the answers would change nothing. */
static void cisco_close(struct sw *sw)
{
	struct ios *s = sw->priv;
	bool config = s->prompt.mode == IOS_MODE_CONFIG || s->prompt.mode == IOS_MODE_CONFIG_SUB;

	ios_end(s, config ? "end\nexit\n" : "exit\n");
}

static void cisco_validate(const struct sw_config *c, struct cfg_errors *e)
{
	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver cisco-ios needs address =", c->name);
	if (!c->user)
		cfg_error(e, c->line, "[switch %s] driver cisco-ios needs user =", c->name);
	if (!c->identity && !c->password_file)
		cfg_error(e, c->line, "[switch %s] driver cisco-ios needs identity = or password-file =", c->name);
}

const struct driver driver_cisco_ios = {
	.name = "cisco-ios",
	.default_port = 22,
	.keys = ssh_keys,
	.priv_size = sizeof(struct ios),
	.validate = cisco_validate,
	.open = cisco_open,
	.port_set = cisco_port_set,
	.port_get = cisco_port_get,
	.mac_flush = cisco_mac_flush,
	.probe = cisco_probe,
	.probe_write = cisco_probe_write,
	.probe_flush = cisco_probe_flush,
	.trust = swssh_trust,
	.port_macs = cisco_port_macs,
	.port_neighbors = cisco_port_neighbors,
	.close = cisco_close,
	.reuse = cisco_reuse,
};
