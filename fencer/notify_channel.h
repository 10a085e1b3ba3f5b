/* One delivery of a notification: a mail, one webhook, one trap receiver.
 * notify.c prepares everything a delivery needs (payloads, secrets, copies
 * of the configuration) before its thread starts: a thread that overruns
 * the timeout is left behind, and must touch nothing but its delivery. */
#ifndef FENCER_NOTIFY_CHANNEL_H
#define FENCER_NOTIFY_CHANNEL_H

#include <stdbool.h>

#include "fencer/config.h"
#include "fencer/deadline.h"
#include "fencer/notify_message.h"

struct delivery {
	const char *channel;		/* "mail", "webhook", "trap" */
	char target[256];		/* for humans: never holds a secret */
	int (*send)(struct delivery *);
	struct deadline dl;
	/* inputs, owned by the batch */
	const struct notify_config *cfg;	/* the batch's own copy */
	const char *dest;		/* webhook URL, trap receiver */
	const char *payload;		/* mail message, JSON document */
	const struct notice *notice;
	const char *secret;		/* SMTP password, trap community */
	const char *auth_secret, *priv_secret;	/* SNMPv3 */
	/* results */
	int rc;				/* 0 delivered, -1 failed */
	bool timed_out;
	long duration_ms;
	char err[600];
};

int mail_send(struct delivery *);
int webhook_send(struct delivery *);
int trap_send(struct delivery *);

struct curl_api;

/* Shared by the curl channels (notify_curl.c). libcurl, loaded (see
 * curl_api.h), or NULL with d->err saying why it could not be. */
const struct curl_api *curl_open(struct delivery *);
/* Timeouts from the delivery's deadline, TLS always verified (ca-file adds
 * a CA to the system's), no signals (threads), errbuf for curl's words.
 * The CURL handle type stays out of this header. */
void curl_common(void *curl, const struct delivery *, char *errbuf);
/* "what failed: curl's words" into d->err; sets d->timed_out. */
int curl_failed(struct delivery *, int curl_code, const char *errbuf, const char *server_said);

#endif
