/*
 * exec: any fence agent as a switch driver. The agent is run with the
 * ClusterLabs fence-agent stdin protocol: key=value lines (action, port,
 * plus the section's `option = KEY VALUE` lines and the secrets of its
 * `option-file = KEY FILE` lines), and answers with its exit code: for
 * off/on 0 is success; for status 0 is on, 2 is off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fencer/command.h"
#include "fencer/config.h"
#include "fencer/driver.h"

#define INPUT_MAX 8192

static void exec_validate(const struct sw_config *sw, struct cfg_errors *e)
{
	if (!sw->agent)
		cfg_error(e, sw->line, "[switch %s] driver exec needs agent = /path/to/fence_agent", sw->name);
	else if (access(sw->agent, X_OK) < 0)
		cfg_error(e, sw->line, "[switch %s] agent %s is not an executable file", sw->name, sw->agent);
}

/* The agent's stdin. Secrets go here, never into argv or the environment. */
static int build_input(struct sw *sw, const char *action, const char *port, char *buf, size_t len)
{
	const struct sw_config *c = sw->cfg;
	size_t used;
	char secret[1024], err[512];

	used = (size_t)snprintf(buf, len, "action=%s\n", action);
	if (port)
		used += (size_t)snprintf(buf + used, len - used, "port=%s\n", port);
	for (size_t i = 0; i < c->noptions && used < len; i++) {
		const char *value = c->options[i].value;

		if (c->options[i].file) {
			if (secret_read(c->options[i].file, secret, sizeof secret, err, sizeof err) < 0)
				return sw_fail(sw, SWE_CONFIG, "%s", err);	/* wiped by secret_read */
			value = secret;
		}
		if (strchr(value, '\n')) {
			explicit_bzero(secret, sizeof secret);
			return sw_fail(sw, SWE_CONFIG, "option %s holds a newline", c->options[i].key);
		}
		used += (size_t)snprintf(buf + used, len - used, "%s=%s\n", c->options[i].key, value);
	}
	explicit_bzero(secret, sizeof secret);
	if (used >= len)
		return sw_fail(sw, SWE_CONFIG, "the agent's options are longer than %zu bytes", len);
	return 0;
}

/* Run the agent once; returns its exit code, or -1 with sw->err set. */
static int agent_call(struct sw *sw, const char *action, const char *port)
{
	char *argv[] = { sw->cfg->agent, NULL };
	char input[INPUT_MAX], last[512];
	struct cmd_result res;
	struct deadline dl;
	int rc;

	if (build_input(sw, action, port, input, sizeof input) < 0)
		return -1;
	deadline_sub(&dl, sw->dl, sw->cfg->timeout_ms);
	rc = command_run_argv(argv, NULL, input, &dl, &res);
	explicit_bzero(input, sizeof input);
	if (rc < 0)
		return sw_fail(sw, SWE_CONNECT, "%s", res.output);
	if (res.timed_out)
		return sw_fail(sw, SWE_TIMEOUT, "%s action=%s did not finish within %ld ms",
		    sw->cfg->agent, action, sw->cfg->timeout_ms);
	if (res.status < 0)
		return sw_fail(sw, SWE_PROTOCOL, "%s action=%s died", sw->cfg->agent, action);
	command_last_line(&res, last, sizeof last);
	snprintf(sw->err, sizeof sw->err, "%s action=%s exited %d%s%s", sw->cfg->agent, action,
	    res.status, *last ? ": " : "", last);
	return res.status;
}

static int exec_port_set(struct sw *sw, const char *port, enum port_state st)
{
	int rc;

	sw->sent = true;	/* the agent may act before it fails */
	rc = agent_call(sw, st == PORT_DOWN ? "off" : "on", port);

	if (rc == 0)
		return 0;
	if (rc > 0)
		sw->errkind = SWE_COMMAND;
	return -1;
}

static int exec_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	int rc = agent_call(sw, "status", port);

	if (rc == 0 || rc == 2) {
		*st = rc == 0 ? PORT_UP : PORT_DOWN;
		return 0;
	}
	if (rc > 0)
		sw->errkind = SWE_COMMAND;
	return -1;
}

static int exec_probe(struct sw *sw)
{
	int rc = agent_call(sw, "monitor", NULL);

	if (rc == 0) {
		snprintf(sw->info, sizeof sw->info, "agent %s answers", sw->cfg->agent);
		return 0;
	}
	if (rc > 0)
		sw->errkind = SWE_CONNECT;
	return -1;
}

static const struct cfg_key exec_keys[] = {
	SW_KEY("agent", K_PROGRAM, agent, .def = NULL),
	SW_KEY("option", K_OPTION, options, .repeat = true),
	SW_KEY("option-file", K_OPTION_FILE, options, .repeat = true),
	CFG_KEYS_END
};

const struct driver driver_exec = {
	.name = "exec",
	.keys = exec_keys,
	.validate = exec_validate,
	.port_set = exec_port_set,
	.port_get = exec_port_get,
	.probe = exec_probe,
};
