/* The webhook channel: POST the run as JSON. Any 2xx is delivered; any
 * other answer (redirects included: a POST is not replayed elsewhere) is a
 * failure that carries the status and the start of the server's words. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

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
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char errbuf[CURL_ERROR_SIZE], words[200];
	struct answer a = { .len = 0 };
	CURL *c = curl_easy_init();
	CURLcode rc;
	long code = 0;

	if (!c || !h) {
		curl_slist_free_all(h);
		curl_easy_cleanup(c);
		snprintf(d->err, sizeof d->err, "webhook to %s failed: out of memory", d->target);
		return -1;
	}
	curl_common(c, d, errbuf);
	curl_easy_setopt(c, CURLOPT_URL, d->dest);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return curl_failed(d, rc, errbuf, NULL);
	if (code >= 200 && code < 300)
		return 0;
	text_one_line(a.text, words, sizeof words);
	snprintf(d->err, sizeof d->err, "webhook to %s failed: HTTP %ld%s%s", d->target, code,
	    words[0] ? ": " : "", words);
	return -1;
}
