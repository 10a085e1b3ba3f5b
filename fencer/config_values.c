/*
 * Configuration values: what a value of each kind must look like
 * (fencer.conf(5)), and the checks of the files a configuration names,
 * secrets among them. Pure functions but for the file checks; the parser
 * (config.c) reports what they refuse with the key's FILE:LINE.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fencer/alloc.h"
#include "fencer/config.h"
#include "fencer/config_values.h"
#include "fencer/redact.h"
#include "fencer/trust.h"

#define DURATION_MAX_MS (86400L * 1000)	/* one day */

const char *const snmp_auth_protocols[] = { "md5", "sha", "sha256", "sha512", NULL };
const char *const snmp_priv_protocols[] = { "des", "aes", "aes256", NULL };

/* The documented forms only (fencer.conf(5)): a whole number of
 * milliseconds with "ms", or seconds with an optional decimal fraction and
 * "s" ("500ms", "3s", "1.5s"). No sign, exponent, hex, "inf" or spaces:
 * strtod took "0x10s" and "1e3s". A fraction of a second is rounded to the
 * millisecond; one of a millisecond must be zero. At most one day. */
bool parse_duration(const char *s, long *ms)
{
	static const long place[] = { 100, 10, 1 };	/* ms per fraction digit */
	long whole = 0, frac_ms = 0, v;
	bool seconds, zero_frac = true, round_up = false;
	size_t digits = 0;

	if (!s || !isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++)
		if ((whole = whole * 10 + (*s - '0')) > DURATION_MAX_MS)
			return false;
	if (*s == '.') {
		if (!isdigit((unsigned char)s[1]))
			return false;
		for (s++; isdigit((unsigned char)*s); s++, digits++) {
			zero_frac = zero_frac && *s == '0';
			if (digits < 3)
				frac_ms += (*s - '0') * place[digits];
			else if (digits == 3)
				round_up = *s >= '5';
		}
	}
	seconds = strcmp(s, "s") == 0;
	if (!seconds && (strcmp(s, "ms") != 0 || !zero_frac))
		return false;
	if (seconds && whole > DURATION_MAX_MS / 1000)
		return false;
	v = seconds ? whole * 1000 + frac_ms + round_up : whole;
	if (v > DURATION_MAX_MS)
		return false;
	*ms = v;
	return true;
}

/* S is 1..MAX characters, each a letter, a digit or one of EXTRA, and does
 * not start with one of LEAD (a leading '-' would read as an option). */
static bool word_valid(const char *s, const char *extra, const char *lead, size_t max)
{
	size_t n = 0;

	if (!s || !*s || strchr(lead, *s))
		return false;
	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return n <= max;
}

/* Letters, digits and / : . - only: nothing a switch CLI could read as
 * another command, an argument separator or a control character. */
bool port_name_valid(const char *s)
{
	return word_valid(s, "/:.-", "-", 64);
}

bool name_valid(const char *s)
{
	return word_valid(s, "_.-", "-.", 63);
}

/* Letters, digits and _ . - @ \ (user@realm, DOMAIN\user) only. The login
 * name never reaches a CLI, but it reaches the switch, the exec driver's
 * agent, logs and messages; nothing in it need be quoted anywhere. */
bool user_valid(const char *s)
{
	return word_valid(s, "_.-@\\", "-", 64);
}

bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		&b[4], &b[5], &tail) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return false;
		mac[i] = (uint8_t)b[i];
	}
	return true;
}

bool ip_literal(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* An IP literal, or a DNS name that cannot be mistaken for a bad IPv4. */
bool address_valid(const char *s)
{
	bool alpha = false;

	if (ip_literal(s))
		return true;
	if (!*s || strlen(s) > 253 || *s == '-' || *s == '.')
		return false;
	for (const char *p = s; *p; p++) {
		if (isalpha((unsigned char)*p))
			alpha = true;
		else if (!isdigit((unsigned char)*p) && *p != '-' && *p != '.')
			return false;
	}
	return alpha;
}

int secret_read(const char *path, char *buf, size_t len, char *err, size_t errlen)
{
	ssize_t n;

	if (!path || len < 2) {
		snprintf(err, errlen, "no secret file");
		goto fail;
	}
	if ((n = trust_read(path, TRUST_SECRET, buf, len - 1, err, errlen)) < 0)
		goto fail;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!*buf) {
		snprintf(err, errlen, "secret file %s is empty: its first line is the secret", path);
		goto fail;
	}
	redact_add(buf);
	return 0;
fail:
	if (len)
		explicit_bzero(buf, len);
	return -1;
}

bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

bool parse_int(const char *v, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return !errno && end != v && !*end && *out >= lo && *out <= hi;
}

bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };

	if (one_of(v, yes))
		*out = true;
	else if (one_of(v, no))
		*out = false;
	else
		return false;
	return true;
}

/* A secret is read when the configuration is: configtest refuses a file
 * fencer does not trust, an empty secret or one its reader would refuse as
 * too long, and every secret is known to the redaction from the start. */
int check_secret(const char *path, long max, char *err, size_t errlen)
{
	char *buf = xcalloc(1, (size_t)max + 1);
	int rc = secret_read(path, buf, (size_t)max + 1, err, errlen);

	explicit_bzero(buf, (size_t)max + 1);
	free(buf);
	return rc;
}

/* An SSH private key: read by libssh, so only the file is checked here. */
int check_key_file(const char *path, long max, char *err, size_t errlen)
{
	struct stat st;
	int fd = trust_open(path, TRUST_SECRET, max, err, errlen);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		snprintf(err, errlen, "secret file %s is empty", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A file fencer reads and believes (known hosts, a CA): when it exists, the
 * rule of the configuration file; when it does not, its folders. */
int check_conf_file(const char *path, long max, char *err, size_t errlen)
{
	char real[PATH_MAX];
	int fd = trust_open(path, TRUST_CONFIG, max, err, errlen);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != ENOENT)
		return -1;
	return trust_path(path, real, sizeof real, err, errlen);
}

int check_program(const char *path, long max, char *err, size_t errlen)
{
	int fd = trust_open(path, TRUST_PROGRAM, max, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

bool mail_valid(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && at[1] && !strpbrk(s, "<>\r\n\" ");
}

bool url_has_scheme(const char *v, const char *const *schemes)
{
	for (; *schemes; schemes++)
		if (strncmp(v, *schemes, strlen(*schemes)) == 0 && v[strlen(*schemes)])
			return !strpbrk(v, " \t\r\n");
	return false;
}
