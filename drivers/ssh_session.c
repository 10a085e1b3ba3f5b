/*
 * The SSH layer of the drivers that drive a switch's CLI over SSH
 * (libssh): connect, check the host key against known-hosts, log in (key,
 * password, keyboard-interactive), open a shell with a pty, send, read,
 * and `fencer trust`. Non-blocking throughout: every wait is bounded by
 * the operation's timeout inside the run's deadline. The CLI's own
 * grammar (prompts, errors, paging) is the driver's: cisco_ios.c with
 * ios_parse.c is the first.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/ssh_session.h"
#include "fencer/config.h"
#include "fencer/log.h"

const struct cfg_key ssh_keys[] = {
	SW_KEY("user", K_USER, user, .def = NULL),
	SW_KEY("identity", K_KEYFILE, identity, .def = NULL),
	SW_KEY("password-file", K_SECRET, password_file, .max = SECRET_LINE_MAX),
	SW_KEY("enable-secret-file", K_SECRET, enable_secret_file, .max = SECRET_LINE_MAX),
	SW_KEY("known-hosts", K_CONFFILE, known_hosts, .def = NULL),
	CFG_KEYS_END
};

/* One operation's budget: the switch's timeout, inside the run's deadline. */
void swssh_deadline(const struct sw *sw, struct deadline *d)
{
	deadline_sub(d, sw->dl, sw->cfg->timeout_ms);
}

/* The callers' waits end when less than a millisecond is left: so does the
 * run's deadline here, or a wait it cut would be reported as the timeout. */
int swssh_timeout(struct sw *sw, const char *what)
{
	if (deadline_left_ms(sw->dl) == 0)
		return sw_fail(sw, SWE_TIMEOUT, "the run's deadline passed while waiting for %s", what);
	return sw_fail(sw, SWE_TIMEOUT, "no answer within %ld ms (timeout) to %s", sw->cfg->timeout_ms, what);
}

const char *swssh_addr(const struct sw *sw)
{
	return sw->cfg->address ? sw->cfg->address : "";
}

static int port_of(const struct sw *sw)
{
	return sw->cfg->port ? sw->cfg->port : sw->drv->default_port;
}

/* Acknowledge at once what arrives next. Without it, the ACK of one small
 * packet waits up to 40 ms (delayed ACK) while the server holds its next
 * small packet for it (Nagle): measured 40-50 ms at the channel open. The
 * kernel clears the flag again by itself, so it is set before each wait. */
static void quick_ack(struct swssh *l)
{
	int one = 1, fd = ssh_get_fd(l->ssh);

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

/* Wait until libssh's socket is ready, for a non-blocking call that
 * answered SSH_AGAIN. */
static int wait_socket(struct sw *sw, struct swssh *l, const struct deadline *d, const char *what)
{
	struct pollfd pfd = { .fd = ssh_get_fd(l->ssh), .events = POLLIN };
	long left = deadline_left_ms(d);
	int rc;

	if (ssh_get_poll_flags(l->ssh) & SSH_WRITE_PENDING)
		pfd.events |= POLLOUT;
	quick_ack(l);
	if (left <= 0)
		return swssh_timeout(sw, what);
	rc = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
	if (rc < 0 && errno != EINTR)
		return sw_fail(sw, SWE_PROTOCOL, "poll: %s", strerror(errno));
	return 0;
}

/* Nothing from the user's or the system's ssh configuration applies: the
 * switch section says everything, and known-hosts is the only key store. */
static int link_setup(struct sw *sw, struct swssh *l)
{
	const struct sw_config *c = sw->cfg;
	int port = port_of(sw), off = 0, on = 1, quiet = SSH_LOG_NOLOG;

	if (!(l->ssh = ssh_new()))
		return sw_fail(sw, SWE_PROTOCOL, "out of memory");
	if (ssh_options_set(l->ssh, SSH_OPTIONS_PROCESS_CONFIG, &off) < 0 ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_HOST, swssh_addr(sw)) < 0 ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_PORT, &port) < 0 ||
	    (c->user && ssh_options_set(l->ssh, SSH_OPTIONS_USER, c->user) < 0) ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_KNOWNHOSTS, c->known_hosts) < 0 ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") < 0 ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_NODELAY, &on) < 0 ||
	    ssh_options_set(l->ssh, SSH_OPTIONS_LOG_VERBOSITY, &quiet) < 0)
		return sw_fail(sw, SWE_CONFIG, "ssh options: %s", ssh_get_error(l->ssh));
	return 0;
}

/* The TCP connect and the key exchange, non-blocking like everything
 * after: each wait is bounded by the operation's deadline. */
static int link_dial(struct sw *sw, struct swssh *l)
{
	struct deadline d;
	int rc;

	swssh_deadline(sw, &d);
	ssh_set_blocking(l->ssh, 0);
	while ((rc = ssh_connect(l->ssh)) == SSH_AGAIN)
		if (wait_socket(sw, l, &d, "the connection and key exchange") < 0)
			return -1;
	if (rc != SSH_OK)
		return sw_fail(sw, SWE_CONNECT, "cannot connect to %s port %d: %s", swssh_addr(sw), port_of(sw),
		    ssh_get_error(l->ssh));
	return 0;
}

/* The offered key's type and SHA256 fingerprint, and what known-hosts says. */
static int host_key_read(struct sw *sw, struct swssh *l)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL;
	int rc = -1;

	if (ssh_get_server_publickey(l->ssh, &key) < 0 ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) < 0 ||
	    !(fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen))) {
		sw_fail(sw, SWE_PROTOCOL, "cannot read the switch's host key: %s", ssh_get_error(l->ssh));
		goto fail;
	}
	snprintf(l->key, sizeof l->key, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), fp);
	l->known = ssh_session_is_known_server(l->ssh);
	rc = 0;
fail:
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return rc;
}

static int host_key_check(struct sw *sw, struct swssh *l)
{
	const char *kh = sw->cfg->known_hosts, *name = sw->cfg->name;

	if (host_key_read(sw, l) < 0)
		return -1;
	switch (l->known) {
	case SSH_KNOWN_HOSTS_OK:
		return 0;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		return sw_fail(sw, SWE_HOSTKEY, "HOST KEY CHANGED: %s offers %s, which is not the key %s holds "
		    "for it (the session may be intercepted, or the switch was replaced); refused. If the "
		    "new key is right, run: fencer trust %s", swssh_addr(sw), l->key, kh, name);
	case SSH_KNOWN_HOSTS_ERROR:
		return sw_fail(sw, SWE_HOSTKEY, "cannot check the host key against %s: %s", kh,
		    ssh_get_error(l->ssh));
	default:
		return sw_fail(sw, SWE_HOSTKEY, "unknown host key: %s offers %s, which is not in %s; refused. "
		    "Check it on the switch's console, then run: fencer trust %s", swssh_addr(sw), l->key, kh, name);
	}
}

static int auth_result(struct sw *sw, struct swssh *l, int rc, const char *how)
{
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		return sw_fail(sw, SWE_PROTOCOL, "%s login failed: %s", how, ssh_get_error(l->ssh));
	return 1;	/* denied or partial: maybe another method */
}

static int auth_key(struct sw *sw, struct swssh *l, const struct deadline *d)
{
	ssh_key key = NULL;
	int rc;

	if (ssh_pki_import_privkey_file(sw->cfg->identity, NULL, NULL, NULL, &key) != SSH_OK)
		return sw_fail(sw, SWE_CONFIG, "cannot read the private key %s (identity)", sw->cfg->identity);
	while ((rc = ssh_userauth_publickey(l->ssh, NULL, key)) == SSH_AUTH_AGAIN)
		if (wait_socket(sw, l, d, "the public-key login") < 0)
			break;
	ssh_key_free(key);
	if (rc == SSH_AUTH_AGAIN)
		return -1;
	return auth_result(sw, l, rc, "public-key");
}

/* keyboard-interactive: the password answers the hidden prompts, the user
 * name the echoed ones (a "Username:" some servers ask). */
static int auth_kbdint(struct sw *sw, struct swssh *l, const struct deadline *d, const char *pw)
{
	int rc, rounds = 0;

	while ((rc = ssh_userauth_kbdint(l->ssh, NULL, NULL)) == SSH_AUTH_AGAIN || rc == SSH_AUTH_INFO) {
		if (rc == SSH_AUTH_AGAIN) {
			if (wait_socket(sw, l, d, "the keyboard-interactive login") < 0)
				return -1;
			continue;
		}
		if (++rounds > 4)
			break;
		for (int i = 0; i < ssh_userauth_kbdint_getnprompts(l->ssh); i++) {
			char echo = 0;

			ssh_userauth_kbdint_getprompt(l->ssh, (unsigned)i, &echo);
			ssh_userauth_kbdint_setanswer(l->ssh, (unsigned)i, echo ? sw->cfg->user : pw);
		}
	}
	return auth_result(sw, l, rc, "keyboard-interactive");
}

static int auth_password(struct sw *sw, struct swssh *l, const struct deadline *d)
{
	char pw[SWSSH_SECRET_MAX], err[512];
	int rc;

	if (secret_read(sw->cfg->password_file, pw, sizeof pw, err, sizeof err) < 0)
		return sw_fail(sw, SWE_CONFIG, "%s", err);
	while ((rc = ssh_userauth_password(l->ssh, NULL, pw)) == SSH_AUTH_AGAIN)
		if (wait_socket(sw, l, d, "the password login") < 0)
			break;
	if (rc != SSH_AUTH_AGAIN)
		rc = auth_result(sw, l, rc, "password");
	else
		rc = -1;
	if (rc == 1 && (ssh_userauth_list(l->ssh, NULL) & SSH_AUTH_METHOD_INTERACTIVE))
		rc = auth_kbdint(sw, l, d, pw);
	explicit_bzero(pw, sizeof pw);
	return rc;
}

static int link_login(struct sw *sw, struct swssh *l)
{
	struct deadline d;
	int rc = 1;

	swssh_deadline(sw, &d);
	if (sw->cfg->identity && (rc = auth_key(sw, l, &d)) < 0)
		return -1;
	if (rc == 1 && sw->cfg->password_file && (rc = auth_password(sw, l, &d)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	return sw_fail(sw, SWE_AUTH, "login refused for user %s with %s (the server: %s)",
	    sw->cfg->user ? sw->cfg->user : "?", sw->cfg->identity && sw->cfg->password_file ?
	    "the key and the password" : sw->cfg->identity ? "the key" : "the password", ssh_get_error(l->ssh));
}

/* A session channel with a pty and a shell. Non-blocking: each request is
 * repeated while libssh says SSH_AGAIN, waiting on the socket between. */
static int shell_open(struct sw *sw, struct swssh *l)
{
	static const char *const steps[] = { "a session channel", "a pty", "an interactive shell" };
	struct deadline d;
	int rc = SSH_OK;

	swssh_deadline(sw, &d);
	if (!(l->ch = ssh_channel_new(l->ssh)))
		return sw_fail(sw, SWE_PROTOCOL, "cannot create a channel: %s", ssh_get_error(l->ssh));
	for (int i = 0; i < 3; i++) {
		do {
			if (i == 0)
				rc = ssh_channel_open_session(l->ch);
			else if (i == 1)	/* 511 columns: IOS never scrolls a command line */
				rc = ssh_channel_request_pty_size(l->ch, "vt100", 511, 24);
			else
				rc = ssh_channel_request_shell(l->ch);
		} while (rc == SSH_AGAIN && wait_socket(sw, l, &d, steps[i]) == 0);
		if (rc == SSH_AGAIN)
			return -1;
		if (rc != SSH_OK)
			return sw_fail(sw, SWE_PROTOCOL, "the switch refused %s: %s", steps[i], ssh_get_error(l->ssh));
	}
	return 0;
}

int swssh_send(struct sw *sw, struct swssh *l, const char *buf, size_t len, const char *what)
{
	int rc = ssh_channel_write(l->ch, buf, (uint32_t)len);

	if (rc != (int)len)
		return sw_fail(sw, SWE_PROTOCOL, "the connection broke while sending %s: %s", what,
		    ssh_get_error(l->ssh));
	return 0;
}


/* The known-hosts name of the switch: "addr", or "[addr]:port" off port 22. */
static void host_pattern(const struct sw *sw, char *buf, size_t len)
{
	if (port_of(sw) == 22)		/* known-hosts' own convention */
		snprintf(buf, len, "%s", swssh_addr(sw));
	else
		snprintf(buf, len, "[%s]:%d", swssh_addr(sw), port_of(sw));
}

static bool line_names_host(const char *line, const char *host)
{
	size_t hl = strlen(host), n = strcspn(line, " \t");

	if (line[0] == '@' || line[0] == '#' || line[0] == '|')
		return false;	/* markers, comments, hashed names: left alone */
	for (const char *p = line; p < line + n;) {
		size_t len = strcspn(p, ", \t");

		if (len == hl && strncmp(p, host, hl) == 0)
			return true;
		p += len + (p[len] == ',');
		if (len == 0)
			break;
	}
	return false;
}

/* Drop the lines naming this switch, so a replaced key does not stay
 * trusted beside the new one. Written to a temp file and renamed. */
static int known_hosts_forget(struct sw *sw)
{
	const char *path = sw->cfg->known_hosts;
	char tmp[4096], host[300], line[8192];
	FILE *in, *out = NULL;
	struct stat st;
	int fd, rc = -1;

	host_pattern(sw, host, sizeof host);
	if (!(in = fopen(path, "r")))
		return errno == ENOENT ? 0 : sw_fail(sw, SWE_CONFIG, "%s: %s", path, strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (fstat(fileno(in), &st) < 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 0644)) < 0 ||
	    !(out = fdopen(fd, "w"))) {
		sw_fail(sw, SWE_CONFIG, "cannot rewrite %s: %s", path, strerror(errno));
		goto fail;
	}
	while (fgets(line, sizeof line, in))
		if (!line_names_host(line, host))
			fputs(line, out);
	if (fflush(out) != 0 || fsync(fileno(out)) < 0 || rename(tmp, path) < 0) {
		sw_fail(sw, SWE_CONFIG, "cannot rewrite %s: %s", path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	rc = 0;
fail:
	if (out)
		fclose(out);
	fclose(in);
	return rc;
}

static enum trust_state known_state(enum ssh_known_hosts_e k)
{
	switch (k) {
	case SSH_KNOWN_HOSTS_OK: return TRUST_KNOWN;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER: return TRUST_CHANGED;
	default: return TRUST_UNKNOWN;
	}
}

/* Read what has arrived into buf (*len bytes held, cap at most), waiting
 * until d: 1 bytes came, 0 nothing yet, -1 with sw_fail set. */
int swssh_read(struct sw *sw, struct swssh *l, const struct deadline *d, const char *what, char *buf,
    size_t *len, size_t cap)
{
	long left = deadline_left_ms(d);
	int n;

	if (left <= 0)
		return swssh_timeout(sw, what);
	quick_ack(l);
	n = ssh_channel_poll_timeout(l->ch, left > 60000 ? 60000 : (int)left, 0);
	if (n == SSH_EOF || (n == 0 && ssh_channel_is_eof(l->ch)))
		return sw_fail(sw, SWE_PROTOCOL, "the switch closed the session while waiting for %s", what);
	if (n == SSH_ERROR)
		return sw_fail(sw, SWE_PROTOCOL, "the connection broke while waiting for %s: %s", what,
		    ssh_get_error(l->ssh));
	if (n <= 0)
		return 0;
	if (*len + (size_t)n > cap)
		return sw_fail(sw, SWE_PROTOCOL, "more than %zu bytes of output for %s", cap, what);
	n = ssh_channel_read_nonblocking(l->ch, buf + *len, (uint32_t)n, 0);
	if (n == SSH_ERROR)
		return sw_fail(sw, SWE_PROTOCOL, "the connection broke while reading the answer to %s: %s",
		    what, ssh_get_error(l->ssh));
	if (n > 0)
		*len += (size_t)n;
	return n > 0 ? 1 : 0;
}

/* Connect far enough to see the key; record it only when asked. */
int swssh_trust(struct sw *sw, bool record)
{
	struct swssh l = { 0 };
	int rc = -1;

	if (link_setup(sw, &l) < 0 || link_dial(sw, &l) < 0 || host_key_read(sw, &l) < 0)
		goto fail;
	if (l.known == SSH_KNOWN_HOSTS_ERROR) {
		sw_fail(sw, SWE_HOSTKEY, "cannot read %s: %s", sw->cfg->known_hosts, ssh_get_error(l.ssh));
		goto fail;
	}
	snprintf(sw->info, sizeof sw->info, "%s (%s port %d) offers %s", sw->cfg->name, swssh_addr(sw),
	    port_of(sw), l.key);
	rc = (int)known_state(l.known);
	if (record && rc != TRUST_KNOWN) {
		bool changed = rc == TRUST_CHANGED;

		rc = -1;
		if (changed && known_hosts_forget(sw) < 0)
			goto fail;
		if (ssh_session_update_known_hosts(l.ssh) != SSH_OK) {
			sw_fail(sw, SWE_CONFIG, "cannot write %s: %s", sw->cfg->known_hosts, ssh_get_error(l.ssh));
			goto fail;
		}
		rc = changed ? TRUST_REPLACED : TRUST_RECORDED;
	}
fail:
	swssh_close(&l, NULL);
	return rc;
}

/* Connect, check the host key, log in and open a shell. */
int swssh_open(struct sw *sw, struct swssh *l)
{
	long t0 = mono_ms();

	if (link_setup(sw, l) < 0 || link_dial(sw, l) < 0 || host_key_check(sw, l) < 0)
		return -1;
	log_debug("%s: connected, host key %s known (%ld ms)", sw->cfg->name, l->key, mono_ms() - t0);
	if (link_login(sw, l) < 0)
		return -1;
	log_debug("%s: logged in (%ld ms)", sw->cfg->name, mono_ms() - t0);
	if (shell_open(sw, l) < 0)
		return -1;
	log_debug("%s: shell open (%ld ms)", sw->cfg->name, mono_ms() - t0);
	return 0;
}

/* A session channel with a subsystem (no pty: the subsystem's bytes are
 * its protocol's, never a terminal's). */
static int subsystem_open(struct sw *sw, struct swssh *l, const char *subsystem)
{
	struct deadline d;
	int rc;

	swssh_deadline(sw, &d);
	if (!(l->ch = ssh_channel_new(l->ssh)))
		return sw_fail(sw, SWE_PROTOCOL, "cannot create a channel: %s", ssh_get_error(l->ssh));
	while ((rc = ssh_channel_open_session(l->ch)) == SSH_AGAIN)
		if (wait_socket(sw, l, &d, "a session channel") < 0)
			return -1;
	if (rc != SSH_OK)
		return sw_fail(sw, SWE_PROTOCOL, "the switch refused a session channel: %s", ssh_get_error(l->ssh));
	while ((rc = ssh_channel_request_subsystem(l->ch, subsystem)) == SSH_AGAIN)
		if (wait_socket(sw, l, &d, "the subsystem") < 0)
			return -1;
	if (rc != SSH_OK)
		return sw_fail(sw, SWE_PROTOCOL, "the switch refused the SSH subsystem %s (is it enabled on "
		    "the switch?): %s", subsystem, ssh_get_error(l->ssh));
	return 0;
}

int swssh_open_subsystem(struct sw *sw, struct swssh *l, const char *subsystem)
{
	long t0 = mono_ms();

	if (link_setup(sw, l) < 0 || link_dial(sw, l) < 0 || host_key_check(sw, l) < 0)
		return -1;
	log_debug("%s: connected, host key %s known (%ld ms)", sw->cfg->name, l->key, mono_ms() - t0);
	if (link_login(sw, l) < 0)
		return -1;
	log_debug("%s: logged in (%ld ms)", sw->cfg->name, mono_ms() - t0);
	if (subsystem_open(sw, l, subsystem) < 0)
		return -1;
	log_debug("%s: subsystem %s open (%ld ms)", sw->cfg->name, subsystem, mono_ms() - t0);
	return 0;
}

void swssh_close(struct swssh *l, const char *goodbye)
{
	if (l->ch && goodbye && ssh_channel_is_open(l->ch)) {
		ssh_channel_write(l->ch, goodbye, (uint32_t)strlen(goodbye));
		ssh_channel_send_eof(l->ch);
	}
	if (l->ch) {
		ssh_channel_close(l->ch);
		ssh_channel_free(l->ch);
	}
	if (l->ssh) {
		ssh_disconnect(l->ssh);
		ssh_free(l->ssh);
	}
	*l = (struct swssh){ 0 };
}
