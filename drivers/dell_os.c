/*
 * dell-os: switch ports of Dell Networking OS6 switches (N1100-N3200,
 * PowerConnect 55xx/62xx/8100) over SSH, through their CLI
 * (docs/switches/dell-os.md). OS10 is close enough for the same commands
 * but is not what the lab emulates: see that page.
 *
 * One shell per switch through the shared CLI layer (drivers/ssh_cli.c),
 * driven by the prompts: console> (user EXEC), console# (privileged),
 * console(config)#, console(config-if-Gi1/0/1)#. The grammar is IOS's:
 * `%` errors with a caret under the echo line (drivers/ios_parse.c);
 * prompts and the read-back are drivers/dell_parse.c's.
 *
 * Fence: `configure`, `interface X`, `shutdown` (`no shutdown` to
 * unfence), `exit` to privileged EXEC. Read back: `show running-config
 * interface X`, else `show interfaces configuration X` (its Admin State).
 * `show interfaces status` is not used to verify: its Link State says
 * Down for a port without link as for a port shut, and a fence must not
 * be proven by a pulled cable. Flush: `clear mac address-table dynamic
 * interface X`. Paging: `terminal length 0`, else (PowerConnect)
 * `terminal datadump`; else the `--More--` pages are turned.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/dell_parse.h"
#include "drivers/ios_parse.h"
#include "drivers/lldp_text.h"
#include "drivers/ssh_cli.h"
#include "fencer/config.h"
#include "fencer/driver.h"
#include "fencer/log.h"
#include "fencer/wiring.h"

static const struct swcli_dialect dell_dialect = {
	.prompt = dell_prompt_parse,
	.more = "--More--",
};

struct dell {
	struct swcli cli;
	bool verify_by_config;	/* no `show running-config interface` */
};

/* ---- commands --------------------------------------------------------------- */

/* Run a command: 0 done, 1 the switch answered with a % error (in e), -1
 * no usable answer (sw->err set). */
static int dell_run(struct sw *sw, struct dell *s, const char *cmd, struct ios_error *e)
{
	if (swcli_run(sw, &s->cli, cmd) < 0)
		return -1;
	return ios_find_error(s->cli.text, e) ? 1 : 0;
}

/* A command whose success is silent: its prompt and nothing else. */
static int dell_act(struct sw *sw, struct dell *s, const char *cmd, struct ios_error *e)
{
	if (swcli_run(sw, &s->cli, cmd) < 0)
		return -1;
	return ios_find_unexpected(s->cli.text, e) ? 1 : 0;
}

/* An open session, and a port name fencer.conf(5) allows. */
static int check_port(struct sw *sw, struct dell *s, const char *port)
{
	return swcli_check_port(sw, &s->cli, port, "Dell");
}

static bool in_config(const struct dell *s)
{
	return s->cli.prompt.mode == DELL_CONFIG || s->cli.prompt.mode == DELL_CONFIG_SUB;
}

/* user EXEC -> privileged EXEC. */
static int dell_enable(struct sw *sw, struct dell *s)
{
	struct ios_error e;
	int rc;

	log_debug("%s: enable", sw->cfg->name);
	swcli_begin(&s->cli, true);
	if (swssh_send(sw, &s->cli.link, "enable\n", 7, "`enable`") < 0)
		return -1;
	rc = swcli_wait(sw, &s->cli, "the answer to `enable`");
	if (rc == SWCLI_PASSWORD) {
		if (!sw->cfg->enable_secret_file)
			return sw_fail(sw, SWE_ENABLE, "the switch asks for an enable password and [switch %s] has "
			    "no enable-secret-file", sw->cfg->name);
		if (swcli_send_secret(sw, &s->cli, sw->cfg->enable_secret_file, "the enable password") < 0)
			return -1;
		rc = swcli_wait(sw, &s->cli, "the answer to the enable password");
		if (rc == SWCLI_PASSWORD)
			return sw_fail(sw, SWE_ENABLE, "enable password refused (the switch asks for it again): "
			    "check enable-secret-file");
	}
	if (rc < 0)
		return -1;
	if (s->cli.prompt.mode == DELL_PRIV)
		return 0;
	rc = ios_find_error(s->cli.text, &e);
	return sw_fail(sw, SWE_ENABLE, "enable refused%s%s (prompt `%s`)", rc ? ": " : "", rc ? e.msg : "",
	    s->cli.prompt_text);
}

/* Paging off: OS6's command, else PowerConnect's; a switch that refuses
 * both has its pages turned as they come. */
static int dell_no_paging(struct sw *sw, struct dell *s)
{
	static const char *const forms[] = { "terminal length 0", "terminal datadump" };
	struct ios_error e;

	for (int i = 0; i < 2; i++) {
		int rc = dell_run(sw, s, forms[i], &e);

		if (rc <= 0)
			return rc;
		log_debug("%s: `%s` refused (%s)", sw->cfg->name, forms[i], e.msg);
	}
	log_debug("%s: paging stays on", sw->cfg->name);
	return 0;
}

/* Back to privileged EXEC: `end`, else `exit` one level at a time. */
#define EXIT_LEVELS 4

static int leave_config(struct sw *sw, struct dell *s)
{
	struct ios_error e;
	int rc;

	if (!in_config(s))
		return 0;
	if ((rc = dell_act(sw, s, "end", &e)) < 0)
		return -1;
	for (int i = 0; i < EXIT_LEVELS && in_config(s); i++) {
		if ((rc = dell_act(sw, s, "exit", &e)) < 0)
			return -1;
		if (rc == 1)
			return sw_fail(sw, SWE_COMMAND, "the switch rejected `exit` (%s): cannot leave config mode",
			    e.msg);
	}
	if (in_config(s))
		return sw_fail(sw, SWE_PROTOCOL, "still in config mode after %d `exit`s (prompt `%s`)", EXIT_LEVELS,
		    s->cli.prompt_text);
	return swcli_expect_mode(sw, &s->cli, "exit", DELL_PRIV);
}

static int enter_interface(struct sw *sw, struct dell *s, const char *port)
{
	struct ios_error e;
	char cmd[128];
	int rc;

	if (!in_config(s)) {
		if ((rc = dell_act(sw, s, "configure", &e)) != 0)
			return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, "configure", port, &e);
		if (swcli_expect_mode(sw, &s->cli, "configure", DELL_CONFIG) < 0)
			return -1;
	}
	snprintf(cmd, sizeof cmd, "interface %s", port);
	if ((rc = dell_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : swcli_port_rejected(sw, port, cmd, &e);
	return swcli_expect_mode(sw, &s->cli, cmd, DELL_CONFIG_SUB);
}

/* ---- the driver's operations ------------------------------------------------ */

static int dell_open(struct sw *sw, const struct deadline *dl)
{
	long t0 = mono_ms();
	struct dell *s = sw->priv;

	(void)dl;	/* sw->dl is the same, and follows the engine's later changes */
	if (swcli_open(sw, &s->cli, &dell_dialect) < 0)
		return -1;
	if (s->cli.prompt.mode == DELL_USER && dell_enable(sw, s) < 0)
		goto fail;
	if (leave_config(sw, s) < 0 || dell_no_paging(sw, s) < 0)
		goto fail;
	log_debug("%s: ready at `%s` (%ld ms)", sw->cfg->name, s->cli.prompt_text, mono_ms() - t0);
	return 0;
fail:
	swcli_close(&s->cli, NULL);
	return -1;
}

static int dell_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	const char *cmd = st == PORT_DOWN ? "shutdown" : "no shutdown";
	int rc;

	if (check_port(sw, s, port) < 0 || enter_interface(sw, s, port) < 0)
		return -1;
	sw->sent = true;
	if ((rc = dell_act(sw, s, cmd, &e)) != 0)
		return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, cmd, port, &e);
	return 0;
}

/* `show interfaces configuration X`: the Admin State column. */
static int state_by_config(struct sw *sw, struct dell *s, const char *port, enum port_state *st)
{
	struct ios_error e;
	char cmd[128], first[200];
	int rc;

	snprintf(cmd, sizeof cmd, "show interfaces configuration %s", port);
	if ((rc = dell_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && swcli_caret_on_port(&s->cli, cmd, port, &e))
		return swcli_port_rejected(sw, port, cmd, &e);
	if (rc == 1)
		return swcli_rejected(sw, SWE_COMMAND, cmd, port, &e);
	if ((*st = dell_state_from_config(s->cli.text, port)) != PORT_UNKNOWN)
		return 0;
	ios_first_output_line(s->cli.text, first, sizeof first);
	return swcli_no_such_port(sw, port, cmd, first[0] ? first : "nothing but the prompt");
}

static int dell_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	char cmd[128];
	int rc;

	if (check_port(sw, s, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	if (s->verify_by_config)
		return state_by_config(sw, s, port, st);
	snprintf(cmd, sizeof cmd, "show running-config interface %s", port);
	if ((rc = dell_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && swcli_caret_on_port(&s->cli, cmd, port, &e))
		return swcli_port_rejected(sw, port, cmd, &e);
	if (rc == 1) {
		log_debug("%s: `%s` refused (%s): reading ports with show interfaces configuration", sw->cfg->name,
		    cmd, e.msg);
		s->verify_by_config = true;
		return state_by_config(sw, s, port, st);
	}
	if ((*st = dell_state_from_running(s->cli.text)) == PORT_UNKNOWN)
		return state_by_config(sw, s, port, st);
	return 0;
}

static int dell_mac_flush(struct sw *sw, const char *port)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	char cmd[160];
	int rc;

	if (check_port(sw, s, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "clear mac address-table dynamic%s%s", port ? " interface " : "", port ? port : "");
	if ((rc = dell_act(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1)
		return swcli_rejected(sw, swcli_caret_on_port(&s->cli, cmd, port, &e) ? SWE_PORT : SWE_COMMAND, cmd,
		    port, &e);
	snprintf(sw->info, sizeof sw->info, "`%s` accepted", cmd);
	return 0;
}

static int dell_probe(struct sw *sw)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	char first[200];
	int rc;

	if (check_port(sw, s, NULL) < 0 || leave_config(sw, s) < 0)
		return -1;
	if ((rc = dell_run(sw, s, "show version", &e)) != 0)
		return rc < 0 ? -1 : swcli_rejected(sw, SWE_COMMAND, "show version", NULL, &e);
	ios_first_output_line(s->cli.text, first, sizeof first);
	snprintf(sw->info, sizeof sw->info, "%s: %s", s->cli.prompt.host, first[0] ? first : "(no version line)");
	return 0;
}

/* check: into the port's interface configuration and out again. */
static int dell_probe_write(struct sw *sw, const char *port, enum port_state st)
{
	struct dell *s = sw->priv;

	(void)st;
	if (check_port(sw, s, port) < 0 || leave_config(sw, s) < 0 || enter_interface(sw, s, port) < 0 ||
	    leave_config(sw, s) < 0)
		return -1;
	snprintf(sw->info, sizeof sw->info, "configure and interface %s accepted", port);
	return 0;
}

static int dell_probe_flush(struct sw *sw)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	int rc;

	if (check_port(sw, s, NULL) < 0 || leave_config(sw, s) < 0)
		return -1;
	if ((rc = dell_run(sw, s, "show mac address-table", &e)) < 0)
		return -1;
	return swcli_flush_answer(sw, &s->cli, rc, &e, rc == 0 && ios_mac_table(s->cli.text),
	    "show mac address-table", "clear mac address-table dynamic");
}

static int dell_port_macs(struct sw *sw, const char *port, struct mac_list *macs)
{
	struct dell *s = sw->priv;
	struct ios_error e;
	char cmd[160], first[200];
	size_t others;
	int rc;

	if (check_port(sw, s, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show mac address-table interface %s", port);
	if ((rc = dell_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1 && swcli_caret_on_port(&s->cli, cmd, port, &e))
		return swcli_port_rejected(sw, port, cmd, &e);
	if (rc == 1)
		return swcli_rejected(sw, SWE_UNSUPPORTED, cmd, port, &e);
	if (!ios_port_macs(s->cli.text, port, macs, &others)) {
		ios_first_output_line(s->cli.text, first, sizeof first);
		return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no MAC table: %s", cmd,
		    first[0] ? first : "nothing but the prompt");
	}
	if (others)
		log_debug("%s: `%s` listed %zu entries of other ports: left out", sw->cfg->name, cmd, others);
	return 0;
}

/* check, wiring: the LLDP neighbours of one port, from the detail
 * answer's "Key: value" lines. */
static int dell_port_neighbors(struct sw *sw, const char *port, struct lldp_list *out)
{
	static const struct lldp_text_keys keys = {
		.start = "Remote Identifier", .chassis = "Chassis ID", .port_id = "Port ID",
		.port_descr = "Port Description", .sysname = "System Name", .header = "Local Interface",
	};
	struct dell *s = sw->priv;
	struct ios_error e;
	char cmd[160], first[200];
	int rc;

	if (check_port(sw, s, port) < 0 || leave_config(sw, s) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "show lldp remote-device detail %s", port);
	if ((rc = dell_run(sw, s, cmd, &e)) < 0)
		return -1;
	if (rc == 1)
		return swcli_rejected(sw, SWE_UNSUPPORTED, cmd, port, &e);
	if (lldp_text_neighbors(s->cli.text, &keys, out))
		return 0;
	ios_first_output_line(s->cli.text, first, sizeof first);
	return sw_fail(sw, SWE_PROTOCOL, "`%s` answered with no neighbour list: %s", cmd,
	    first[0] ? first : "nothing but the prompt");
}

/* fencer serve: a kept session is at the privileged prompt, or in the
 * interface's config mode where a fence leaves it. One line must bring
 * back the kept host's prompt (a session the switch dropped fails here,
 * within a second, and is opened anew): `end` from a config mode, back to
 * the privileged prompt where a fresh open leaves the CLI (the `exit`s of
 * leave_config where `end` is refused), else an empty line. */
static int dell_reuse(struct sw *sw)
{
	struct dell *s = sw->priv;
	const char *cmd = in_config(s) ? "end" : "";

	if (s->cli.prompt.mode != DELL_PRIV && !in_config(s))
		return sw_fail(sw, SWE_PROTOCOL, "the kept session is at the prompt `%s`", s->cli.prompt_text);
	if (swcli_reuse(sw, &s->cli, cmd) < 0 || leave_config(sw, s) < 0)
		return -1;
	return swcli_expect_mode(sw, &s->cli, cmd[0] ? cmd : "an empty line to the kept session", DELL_PRIV);
}

static void dell_close(struct sw *sw)
{
	struct dell *s = sw->priv;

	swcli_close(&s->cli, in_config(s) ? "end\nexit\n" : "exit\n");
}

static void dell_validate(const struct sw_config *c, struct cfg_errors *e)
{
	if (!c->address)
		cfg_error(e, c->line, "[switch %s] driver dell-os needs address =", c->name);
	if (!c->user)
		cfg_error(e, c->line, "[switch %s] driver dell-os needs user =", c->name);
	if (!c->identity && !c->password_file)
		cfg_error(e, c->line, "[switch %s] driver dell-os needs identity = or password-file =", c->name);
}

const struct driver driver_dell_os = {
	.name = "dell-os",
	.default_port = 22,
	.keys = ssh_keys,
	.priv_size = sizeof(struct dell),
	.validate = dell_validate,
	.open = dell_open,
	.port_set = dell_port_set,
	.port_get = dell_port_get,
	.mac_flush = dell_mac_flush,
	.probe = dell_probe,
	.probe_write = dell_probe_write,
	.probe_flush = dell_probe_flush,
	.trust = swssh_trust,
	.port_macs = dell_port_macs,
	.port_neighbors = dell_port_neighbors,
	.close = dell_close,
	.reuse = dell_reuse,
};
