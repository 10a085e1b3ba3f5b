/* libFuzzer target: redaction of a switch's or an agent's words. The
 * input is secrets, one a line, then a NUL byte, then the text. Whatever
 * the text, no secret may be left in it, whole or (for a text cut short)
 * as the beginning of one at its end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fencer/redact.h"

#define MAX_SECRETS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The masked text with every REDACTED as a newline, which no secret holds:
 * what is left is what was not masked. */
static char *unmasked(const char *masked)
{
	char *out = strdup(masked), *p;

	if (!out)
		abort();
	while ((p = strstr(out, REDACTED))) {
		*p = '\n';
		memmove(p + 1, p + strlen(REDACTED), strlen(p + strlen(REDACTED)) + 1);
	}
	return out;
}

/* The text whole, then cut at 255 bytes as an agent's output is, masked in
 * a buffer with room for every marker. */
static void check(const char *text, char *const *secrets, size_t n)
{
	size_t cut = strlen(text) < 255 ? strlen(text) : 255, size = cut * strlen(REDACTED) + 1;
	char *buf = malloc(size), *whole = redact_dup(text), *left = unmasked(whole);

	if (!buf)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strstr(left, secrets[i]))
			abort();
	memcpy(buf, text, cut);
	buf[cut] = '\0';
	redact_buf(buf, size, true);
	free(left);
	left = unmasked(buf);
	free(buf);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 1; k < strlen(secrets[i]) && k <= strlen(left); k++)
			if (strncmp(left + strlen(left) - k, secrets[i], k) == 0)
				abort();
	free(left);
	free(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *copy, *text, *secrets[MAX_SECRETS], *save = NULL;
	size_t n = 0;

	if (!nul)
		return 0;
	if (!(copy = malloc(size + 1)))
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	text = copy + (nul - data) + 1;
	for (char *s = strtok_r(copy, "\n", &save); s && n < MAX_SECRETS; s = strtok_r(NULL, "\n", &save)) {
		redact_add(s);
		secrets[n++] = s;
	}
	check(text, secrets, n);
	redact_clear();
	free(copy);
	return 0;
}
