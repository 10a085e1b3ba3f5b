/*
 * comware: switch ports of HPE/H3C Comware switches (the 3Com 4500/5500
 * line's successors: HPE FlexNetwork 5130/5510/5700/5940, H3C S5xxx) over
 * SSH, through the Comware CLI (docs/switches/comware.md).
 *
 * One shell per switch through the shared CLI layer (drivers/ssh_cli.c),
 * driven by Comware's prompts: <name> in user view, [name] in system view,
 * [name-GigabitEthernet1/0/1] in an interface view. The session enters
 * system view once and stays there: Comware runs display commands in any
 * view, so the engine's order (port_set for every port, port_get for
 * every port, mac_flush) costs no view changes. The output is parsed by
 * drivers/comware_parse.c.
 *
 * Fence: `interface X`, `shutdown` (`undo shutdown` to unfence). Read
 * back: `display interface X brief` (Comware 7), else `display brief
 * interface X` (Comware 5); its Link column says ADM when the port is shut.
 * Flush: `undo mac-address dynamic interface X` in system view, the port's
 * learned entries in every VLAN. Paging: `screen-length disable`; a
 * switch that refuses it has its `---- More ----` pages turned.
 *
 * A command whose success is silent succeeded only when the switch
 * answered with nothing but its prompt (log lines aside): any other line
 * is a failure in the switch's own words.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/comware_parse.h"
#include "drivers/lldp_text.h"
#include "drivers/ssh_cli.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/log.h"
#include "fencer/wiring.h"

static const struct swcli_dialect comware_dialect = {
	.prompt = comware_prompt_parse,
	.more = "---- More ----",
};

/* The two spellings of the brief read-back: Comware 7's, then Comware 5's. */
static const char *const brief_forms[] = { "display interface %s brief", "display brief interface %s" };

struct cw {
	struct swcli cli;
	int brief_form;		/* index into brief_forms that works */
};

/* ---- commands --------------------------------------------------------------- */

/* Run a command: 0 done, 1 the switch answered with an error (in e), -1
 * no usable answer (sw->err set). */
static int cw_run(struct sw *sw, struct cw *s, const char *cmd, struct ios_error *e)
{
	if (swcli_run(sw, &s->cli, cmd) < 0)
		return -1;
	return comware_find_error(s->cli.text, e) ? 1 : 0;
}

/* A command whose success is silent: its prompt and nothing else. */
static int cw_act(struct sw *sw, struct cw *s, const char *cmd, struct ios_error *e)
{
	if (swcli_run(sw, &s->cli, cmd) < 0)
		return -1;
	return comware_find_unexpected(s->cli.text, e) ? 1 : 0;
}

/* An open session, and a port name fencer.conf(5) allows. */
static int check_port(struct sw *sw, struct cw *s, const char *port)
{
	return swcli_check_port(sw, &s->cli, port, "Comware");
}

/* user view -> system view, once per session. */
static int system_view(struct sw *sw, struct cw *s)
{
	struct ios_error e;
	int rc;

	if (s->cli.prompt.mode == CW_SYSTEM)
		return 0;
	if (s->cli.prompt.mode == CW_SUB) {
		if ((rc = cw_act(sw, s, "quit", &e)) != 0)
			return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, "quit", NULL, &e);
		return swcli_expect_mode(sw, &s->cli, "quit", CW_SYSTEM);
	}
	if ((rc = cw_act(sw, s, "system-view", &e)) != 0)
		return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, "system-view", NULL, &e);
	return swcli_expect_mode(sw, &s->cli, "system-view", CW_SYSTEM);
}

static int enter_interface(struct sw *sw, struct cw *s, const char *port)
{
	struct ios_error e;
	char cmd[128];
	int rc;

	if (system_view(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "interface %s", port);
	if ((rc = cw_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : swcli_port_rejected(sw, port, cmd, &e);
	return swcli_expect_mode(sw, &s->cli, cmd, CW_SUB);
}

/* `super`: the switch asks for its password when the user logs in below
 * the role (Comware 7) or level (Comware 5) that may configure. */
static int cw_super(struct sw *sw, struct cw *s)
{
	struct ios_error e;
	int rc;

	log_debug("%s: super", sw->cfg->name);
	swcli_begin(&s->cli, true);
	if (swssh_send(sw, &s->cli.link, "super\n", 6, "`super`") < 0)
		return -1;
	rc = swcli_wait(sw, &s->cli, "the answer to `super`");
	if (rc == SWCLI_PASSWORD) {
		if (swcli_send_secret(sw, &s->cli, sw->cfg->enable_secret_file, "the super password") < 0)
			return -1;
		rc = swcli_wait(sw, &s->cli, "the answer to the super password");
		if (rc == SWCLI_PASSWORD)
			return sw_fail(sw, SWE_ENABLE, "super password refused (the switch asks for it again): check "
			    "enable-secret-file");
	}
	if (rc < 0)
		return -1;
	if (comware_find_error(s->cli.text, &e))
		return sw_fail(sw, SWE_ENABLE, "the switch refused `super`: %s", e.msg);
	return 0;
}

/* Paging off. A switch that refuses it is still usable: its pages are
 * turned as they come. */
static int cw_no_paging(struct sw *sw, struct cw *s)
{
	struct ios_error e;
	int rc = cw_run(sw, s, "screen-length disable", &e);

	if (rc == 1)
		log_debug("%s: screen-length disable refused (%s): paging stays on", sw->cfg->name, e.msg);
	return rc < 0 ? -1 : 0;
}

/* ---- the driver's operations ------------------------------------------------ */

static int cw_open(struct sw *sw, const struct deadline *dl)
{
	long t0 = mono_ms();
	struct cw *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	if (swcli_open(sw, &s->cli, &comware_dialect) < 0)
		return -1;
	if (sw->cfg->enable_secret_file && cw_super(sw, s) < 0)
		goto fail;
	if (cw_no_paging(sw, s) < 0)
		goto fail;
	log_debug("%s: ready at `%s` (%ld ms)", sw->cfg->name, s->cli.prompt_text, mono_ms() - t0);
	return 0;
fail:
	swcli_close(&s->cli, NULL);
	return -1;
}

static int cw_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct cw *s = sw->priv;
	struct ios_error e;
	const char *cmd = st == PORT_DOWN ? "shutdown" : "undo shutdown";
	int rc;

	if (check_port(sw, s, port) < 0 || enter_interface(sw, s, port) < 0)
		return -1;
	sw->sent = true;
	if ((rc = cw_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, cmd, port, &e);
	return 0;
}

/* One form of the brief read-back: 0 read, 1 the form is refused (e), -1. */
static int brief_read(struct sw *sw, struct cw *s, int form, const char *port, enum port_state *st,
    struct ios_error *e, char *cmd, size_t len)
{
	char first[200];
	int rc;

	snprintf(cmd, len, brief_forms[form], port);
	if ((rc = cw_run(sw, s, cmd, e)) < 0)
		return -1;
	if (rc == 1 && swcli_caret_on_port(&s->cli, cmd, port, e))
		return swcli_port_rejected(sw, port, cmd, e);
	if (rc == 1)
		return 1;
	if ((*st = comware_brief_state(s->cli.text, port)) != PORT_UNKNOWN)
		return 0;
	ios_first_output_line(s->cli.text, first, sizeof first);
	return swcli_no_such_port(sw, port, cmd, first[0] ? first : "nothing but the prompt");
}

static int cw_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct cw *s = sw->priv;
	struct ios_error e[2];
	char cmd[2][160];
	int rc, i;

	if (check_port(sw, s, port) < 0)
		return -1;
	for (i = s->brief_form; i < 2; i++) {
		if ((rc = brief_read(sw, s, i, port, st, &e[i], cmd[i], sizeof cmd[i])) <= 0) {
			if (rc == 0)
				s->brief_form = i;
			return rc;
		}
		log_debug("%s: `%s` refused (%s)", sw->cfg->name, cmd[i], e[i].msg);
	}
	if (s->brief_form == 1)
		return swcli_rejected(sw, SWE_COMMAND, cmd[1], port, &e[1]);
	return sw_fail(sw, SWE_COMMAND, "the switch rejected both `%s` (%s) and `%s` (%s)", cmd[0], e[0].msg,
	    cmd[1], e[1].msg);
}

/* The switch does not say how many entries it deleted: the journal says
 * which command it accepted. */
static int cw_mac_flush(struct sw *sw, const char *port)
{
	struct cw *s = sw->priv;
	struct ios_error e;
	char cmd[160];
	int rc;

	if (check_port(sw, s, port) < 0)
		return -1;
	if (!port)
		return sw_fail(sw, SWE_UNSUPPORTED, "driver comware flushes per port (`undo mac-address dynamic "
		    "interface X`): Comware's command for the whole table deletes static entries too");
	if (system_view(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "undo mac-address dynamic interface %s", port);
	if ((rc = cw_act(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1)
		return swcli_rejected(sw, swcli_caret_on_port(&s->cli, cmd, port, &e) ? SWE_PORT : SWE_COMMAND, cmd,
		    port, &e);
	snprintf(sw->info, sizeof sw->info, "`%s` accepted", cmd);
	return 0;
}

/* Read-only: what the switch is, in its own words. */
static int cw_probe(struct sw *sw)
{
	struct cw *s = sw->priv;
	struct ios_error e;
	char first[200];
	int rc;

	if (check_port(sw, s, NULL) < 0)
		return -1;
	if ((rc = cw_run(sw, s, "display version", &e)) != 0)
		return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, "display version", NULL, &e);
	ios_first_output_line(s->cli.text, first, sizeof first);
	snprintf(sw->info, sizeof sw->info, "%s: %s", s->cli.prompt.host, first[0] ? first : "(no version line)");
	return 0;
}

/* check: into system view and the port's interface view and out again, no
 * command that changes anything. A role that may not configure is
 * refused at system-view or interface. */
static int cw_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct cw *s = sw->priv;

	(void)st;
	if (check_port(sw, s, port) < 0 || enter_interface(sw, s, port) < 0 || system_view(sw, s) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "system-view and interface %s accepted", port);
	return 0;
}

/* check: the MAC table in the form the flush uses. Reading it proves the
 * command family exists; the delete cannot be tried without deleting. */
static int cw_probe_flush(struct sw *sw)
{
	struct cw *s = sw->priv;
	struct ios_error e;
	int rc;

	if (check_port(sw, s, NULL) < 0)
		return -1;
	if ((rc = cw_run(sw, s, "display mac-address dynamic", &e)) < 0)
		return -1;
	return swcli_flush_answer(sw, &s->cli, rc, &e, rc == 0 && comware_mac_table(s->cli.text),
	    "display mac-address dynamic", "undo mac-address dynamic interface X");
}

/* check, wiring: the MAC addresses learned on one port. */
static int cw_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct cw *s = sw->priv;
	struct ios_error e;
	char cmd[160], first[200];
	size_t others;
	int rc;

	if (check_port(sw, s, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "display mac-address interface %s", port);
	if ((rc = cw_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && swcli_caret_on_port(&s->cli, cmd, port, &e))
		return swcli_port_rejected(sw, port, cmd, &e);
	if (rc == 1)
		return swcli_rejected(sw, SWE_UNSUPPORTED, cmd, port, &e);
	if (!comware_port_macs(s->cli.text, port, macs, &others)) {
		ios_first_output_line(s->cli.text, first, sizeof first);
		if (!first[0])
			return 0;	/* nothing at all: nothing learned there */
		return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no MAC table: %s", cmd, first);
	}
	if (others)
		log_debug("%s: `%s` listed %zu entries of other ports: left out", sw->cfg->name, cmd, others);
	return 0;
}

/* check, wiring: the LLDP neighbours of one port, from the verbose
 * answer's "Key : value" lines; an answer with nothing but the prompt is
 * a port without neighbours. */
static int cw_port_neighbors(struct sw *sw, const char *port, struct lldp_list *out)
{
	static const struct lldp_text_keys keys = {
		.start = "LLDP neighbor index", .chassis = "Chassis ID", .port_id = "Port ID",
		.port_descr = "Port description", .sysname = "System name", .header = "LLDP neighbor-information of port",
	};
	struct cw *s = sw->priv;
	struct ios_error e;
	char cmd[160], first[200];
	int rc;

	if (check_port(sw, s, port) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "display lldp neighbor-information interface %s verbose", port);
	if ((rc = cw_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1)
		return swcli_rejected(sw, SWE_UNSUPPORTED, cmd, port, &e);
	if (lldp_text_neighbors(s->cli.text, &keys, out))
		return 0;
	ios_first_output_line(s->cli.text, first, sizeof first);
	if (!first[0])
		return 0;
	return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no neighbour list: %s", cmd, first);
}

/* fencer serve: a kept session is where the last run left it, in user or
 * system view, or in an interface view after a fence. One line brings it
 * back to where the next run starts and proves the switch still answers:
 * `quit` from an interface view to system view (which a run enters at its
 * first change anyway, and stays in), else an empty line. A session the
 * switch dropped, or a prompt of any other view, fails here within a
 * second and is opened anew. */
static int cw_reuse(struct sw *sw)
{
	struct cw *s = sw->priv;
	int mode = s->cli.prompt.mode;
	const char *cmd = mode == CW_SUB ? "quit" : "";

	if (mode != CW_USER && mode != CW_SYSTEM && mode != CW_SUB)
		return sw_fail(sw, SWE_PROTOCOL, "the kept session is at the prompt `%s`", s->cli.prompt_text);
	if (swcli_reuse(sw, &s->cli, cmd) < 0)
		return -1;
	if (s->cli.prompt.mode != (mode == CW_SUB ? CW_SYSTEM : mode))
		return sw_fail(sw, SWE_PROTOCOL, "the kept session answered `%s` with the prompt `%s`",
		    cmd[0] ? cmd : "an empty line", s->cli.prompt_text);
	return 0;
}

/* Leave as a person would: back to user view, then quit. Nothing is
 * awaited: the answers would change nothing. */
static void cw_close(struct sw *sw)
{
	struct cw *s = sw->priv;

	swcli_close(&s->cli, s->cli.prompt.mode == CW_USER ? "quit\n" : "return\nquit\n");
}

static void cw_validate(const struct sw_config *c, struct cfg_errors *e)
{
	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver comware needs address =", c->name);
	if (!c->user)
		cfg_error(e, c->line, "[switch %s] driver comware needs user =", c->name);
	if (!c->identity && !c->password_file)
		cfg_error(e, c->line, "[switch %s] driver comware needs identity = or password-file =", c->name);
	if (c->flush == FLUSH_ALL)
		cfg_error(e, c->line, "[switch %s] driver comware cannot flush = all: Comware's command for the "
		    "whole table deletes static entries too; use flush = port (each fenced port's learned entries)",
		    c->name);
}

const struct driver driver_comware = {
	.name = "comware",
	.default_port = 22,
	.keys = ssh_keys,
	.priv_size = sizeof(struct cw),
	.validate = cw_validate,
	.open = cw_open,
	.port_set = cw_port_set,
	.port_get = cw_port_get,
	.mac_flush = cw_mac_flush,
	.probe = cw_probe,
	.probe_write = cw_probe_write,
	.probe_flush = cw_probe_flush,
	.trust = swssh_trust,
	.port_macs = cw_port_macs,
	.port_neighbors = cw_port_neighbors,
	.close = cw_close,
	.reuse = cw_reuse,
};
