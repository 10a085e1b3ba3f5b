/*
 * libcurl, loaded when a mail or webhook is first sent rather than at
 * every start: linking it maps some twenty libraries (LDAP, Kerberos,
 * RTMP, GnuTLS...) into every fencer run, which cost 5.4 ms of the 8.8 ms
 * a program linked like fencer takes to start on the lab machine, for the
 * fence, check and fence-agent runs that never notify.
 */
#ifndef FENCER_CURL_API_H
#define FENCER_CURL_API_H

#include <curl/curl.h>
#include <stddef.h>

struct curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	char *(*version)(void);
};

/* Load libcurl and run curl_global_init, once (call it before starting
 * threads: curl_global_init is not thread-safe). NULL if it cannot be
 * loaded; curl_api_error() then says why. */
const struct curl_api *curl_api(void);
const char *curl_api_error(void);

#endif
