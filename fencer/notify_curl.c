/* What the mail and webhook channels share of libcurl. */
#include <stdio.h>
#include <string.h>

#include "fencer/curl_api.h"
#include "fencer/notify_channel.h"

const struct curl_api *curl_open(struct delivery *d)
{
	const struct curl_api *C = curl_api();

	if (!C)
		snprintf(d->err, sizeof d->err, "%s to %s failed: %s", d->channel, d->target, curl_api_error());
	return C;
}

void curl_common(void *handle, const struct delivery *d, char *errbuf)
{
	const struct curl_api *C = curl_api();
	CURL *c = handle;
	/* A little under the deadline: the thread must report before the
	 * caller stops waiting for it. */
	long left = deadline_left_ms(&d->dl) - 50;

	if (left < 1)
		left = 1;
	errbuf[0] = '\0';
	C->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	C->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	C->easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	C->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
	C->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	C->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	/* CAINFO replaces the default bundle; the default CA path stays, so
	 * the system's CAs and ca-file are both trusted. */
	if (d->cfg->ca_file)
		C->easy_setopt(c, CURLOPT_CAINFO, d->cfg->ca_file);
	C->easy_setopt(c, CURLOPT_USERAGENT, "fencer/" FENCER_VERSION);
}

int curl_failed(struct delivery *d, int code, const char *errbuf, const char *server_said)
{
	const struct curl_api *C = curl_api();

	d->timed_out = code == CURLE_OPERATION_TIMEDOUT;
	snprintf(d->err, sizeof d->err, "%s to %s failed: %s%s%s", d->channel, d->target,
	    errbuf[0] ? errbuf : C->easy_strerror((CURLcode)code), server_said && *server_said ? ": " : "",
	    server_said ? server_said : "");
	return -1;
}
