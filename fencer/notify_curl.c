/* What the mail and webhook channels share of libcurl. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fencer/notify_channel.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void curl_lib_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* curl_global_init is not safe to race: once, before any thread. */
void curl_lib_init(void)
{
	pthread_once(&once, curl_lib_init_once);
}

void curl_common(void *handle, const struct delivery *d, char *errbuf)
{
	CURL *c = handle;
	/* A little under the deadline: the thread must report before the
	 * caller stops waiting for it. */
	long left = deadline_left_ms(&d->dl) - 50;

	if (left < 1)
		left = 1;
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	/* CAINFO replaces the default bundle; the default CA path stays, so
	 * the system's CAs and ca-file are both trusted. */
	if (d->cfg->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, d->cfg->ca_file);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "fencer/" FENCER_VERSION);
}

int curl_failed(struct delivery *d, int code, const char *errbuf, const char *server_said)
{
	d->timed_out = code == CURLE_OPERATION_TIMEDOUT;
	snprintf(d->err, sizeof d->err, "%s to %s failed: %s%s%s", d->channel, d->target,
	    errbuf[0] ? errbuf : curl_easy_strerror((CURLcode)code), server_said && *server_said ? ": " : "",
	    server_said ? server_said : "");
	return -1;
}
