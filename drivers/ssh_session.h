/*
 * The SSH layer the CLI drivers share (internal to drivers/): one libssh
 * session and one interactive shell per switch worker. Its functions are
 * swssh_* ("switch SSH"): libssh owns the ssh_* names.
 */
#ifndef FENCER_SSH_SESSION_H
#define FENCER_SSH_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh/libssh.h>

#include "fencer/config.h"
#include "fencer/driver.h"

#define SWSSH_SECRET_MAX 1024		/* a password or an enable secret, its newline included */

/* The keys of an SSH driver's [switch] (fencer/config.h): user, identity,
 * password-file, enable-secret-file, known-hosts. */
extern const struct cfg_key ssh_keys[];

struct swssh {
	ssh_session ssh;
	ssh_channel ch;			/* the shell, with a pty */
	enum ssh_known_hosts_e known;	/* what known-hosts says of the key */
	char key[160];			/* "ssh-ed25519 SHA256:..." */
};

/* One operation's budget: the switch's timeout, inside the run's deadline. */
void swssh_deadline(const struct sw *, struct deadline *);
/* Fail with SWE_TIMEOUT, saying whether the operation's timeout or the
 * run's deadline ran out. -1. */
int swssh_timeout(struct sw *, const char *what);
const char *swssh_addr(const struct sw *);

/* Connect, check the host key (an unknown or changed one is refused with
 * its fingerprint), log in with the identity and then the password, and
 * open a shell. 0, or -1 with sw_fail set; swssh_close in both cases. */
int swssh_open(struct sw *, struct swssh *);
/* The same connect, host key check and login, then a session channel with
 * the SSH subsystem name (RFC 4254 6.5: "netconf") instead of a pty and a
 * shell. 0, or -1 with sw_fail set; swssh_close in both cases. */
int swssh_open_subsystem(struct sw *, struct swssh *, const char *subsystem);
/* Send goodbye (when the shell is open and it is not NULL), then close. */
void swssh_close(struct swssh *, const char *goodbye);
int swssh_send(struct sw *, struct swssh *, const char *buf, size_t len, const char *what);
/* Read what has arrived into buf (*len bytes held, cap at most), waiting
 * until d: 1 bytes came, 0 nothing yet, -1 with sw_fail set. */
int swssh_read(struct sw *, struct swssh *, const struct deadline *d, const char *what, char *buf,
    size_t *len, size_t cap);
/* `fencer trust`: the driver's trust slot (fencer/driver.h). */
int swssh_trust(struct sw *, bool record);

#endif
