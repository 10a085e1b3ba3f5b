/* The mail channel: one SMTP transaction for every mail-to, with libcurl.
 * smtp:// upgrades with STARTTLS when the server offers it, and insists on
 * it when a password would be sent; smtps:// is TLS from the start. */
#include <stdio.h>
#include <string.h>

#include "fencer/curl_api.h"
#include "fencer/notify_channel.h"

struct reader {
	const char *p;
	size_t left;
};

static size_t read_message(char *buf, size_t size, size_t n, void *arg)
{
	struct reader *r = arg;
	size_t len = size * n < r->left ? size * n : r->left;

	memcpy(buf, r->p, len);
	r->p += len;
	r->left -= len;
	return len;
}

static struct curl_slist *recipients(const struct curl_api *C, const struct notify_config *n)
{
	struct curl_slist *l = NULL, *t;
	char addr[512];

	for (size_t i = 0; i < n->mail_to.n; i++) {
		snprintf(addr, sizeof addr, "<%s>", n->mail_to.v[i]);
		if (!(t = C->slist_append(l, addr))) {
			C->slist_free_all(l);
			return NULL;
		}
		l = t;
	}
	return l;
}

int mail_send(struct delivery *d)
{
	const struct notify_config *n = d->cfg;
	struct reader r = { .p = d->payload, .left = strlen(d->payload) };
	char errbuf[CURL_ERROR_SIZE], from[512], said[64] = "";
	const struct curl_api *C = curl_open(d);
	struct curl_slist *rcpt;
	CURL *c;
	CURLcode rc;
	long code = 0;

	if (!C)
		return -1;
	rcpt = recipients(C, n);
	c = C->easy_init();
	if (!c || !rcpt) {
		C->slist_free_all(rcpt);
		C->easy_cleanup(c);
		snprintf(d->err, sizeof d->err, "mail to %s failed: out of memory", d->target);
		return -1;
	}
	curl_common(c, d, errbuf);
	snprintf(from, sizeof from, "<%s>", n->mail_from);
	C->easy_setopt(c, CURLOPT_URL, n->smtp_url);
	C->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	C->easy_setopt(c, CURLOPT_USE_SSL, d->secret ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (d->secret && n->smtp_user) {
		C->easy_setopt(c, CURLOPT_USERNAME, n->smtp_user);
		C->easy_setopt(c, CURLOPT_PASSWORD, d->secret);
	}
	C->easy_setopt(c, CURLOPT_MAIL_FROM, from);
	C->easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	C->easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	C->easy_setopt(c, CURLOPT_READDATA, &r);
	C->easy_setopt(c, CURLOPT_UPLOAD, 1L);
	rc = C->easy_perform(c);
	C->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	C->slist_free_all(rcpt);
	C->easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	if (code)
		snprintf(said, sizeof said, "the server answered %ld", code);
	return curl_failed(d, rc, errbuf, said);
}
