/* The webhook channel: POST the run as JSON. Any 2xx is delivered; any
 * other answer (redirects included: a POST is not replayed elsewhere) is a
 * failure that carries the status and the start of the server's words. */
#include <stdio.h>
#include <string.h>

#include "fencer/curl_api.h"
#include "fencer/notify_channel.h"
#include "fencer/notify_message.h"

struct answer {
	char text[256];
	size_t len;
};

static size_t keep_answer(char *buf, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t room = sizeof a->text - 1 - a->len, len = size * n;

	memcpy(a->text + a->len, buf, len < room ? len : room);
	a->len += len < room ? len : room;
	a->text[a->len] = '\0';
	return len;
}

int webhook_send(struct delivery *d)
{
	const struct curl_api *C = curl_open(d);
	char errbuf[CURL_ERROR_SIZE], words[200];
	struct answer a = { .len = 0 };
	struct curl_slist *h;
	CURL *c;
	CURLcode rc;
	long code = 0;

	if (!C)
		return -1;
	h = C->slist_append(NULL, "Content-Type: application/json");
	c = C->easy_init();
	if (!c || !h) {
		C->slist_free_all(h);
		C->easy_cleanup(c);
		snprintf(d->err, sizeof d->err, "webhook to %s failed: out of memory", d->target);
		return -1;
	}
	curl_common(c, d, errbuf);
	C->easy_setopt(c, CURLOPT_URL, d->dest);
	C->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	C->easy_setopt(c, CURLOPT_HTTPHEADER, h);
	C->easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
	C->easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	C->easy_setopt(c, CURLOPT_WRITEDATA, &a);
	rc = C->easy_perform(c);
	C->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	C->slist_free_all(h);
	C->easy_cleanup(c);
	if (rc != CURLE_OK)
		return curl_failed(d, rc, errbuf, NULL);
	if (code >= 200 && code < 300)
		return 0;
	text_one_line(a.text, words, sizeof words);
	snprintf(d->err, sizeof d->err, "webhook to %s failed: HTTP %ld%s%s", d->target, code,
	    words[0] ? ": " : "", words);
	return -1;
}
