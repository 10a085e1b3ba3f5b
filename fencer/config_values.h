/* Configuration values and the files a configuration names
 * (config_values.c): the checks the parser (config.c) applies. The ones
 * the command line and the fence agent share are in fencer/config.h. */
#ifndef FENCER_CONFIG_VALUES_H
#define FENCER_CONFIG_VALUES_H

#include <stdbool.h>
#include <stddef.h>

bool ip_literal(const char *s);
/* An IP literal, or a DNS name that cannot be mistaken for a bad IPv4. */
bool address_valid(const char *s);
bool mail_valid(const char *s);
/* v starts with one of schemes, has more after it, and no white space. */
bool url_has_scheme(const char *v, const char *const *schemes);
bool one_of(const char *v, const char *const *set);
bool parse_int(const char *v, long lo, long hi, long *out);
/* yes true on 1, no false off 0. */
bool parse_bool(const char *v, bool *out);

/* File checks, each (path, max, err, errlen) -> 0 or -1 with err set: a
 * secret fencer trusts, not empty and at most max bytes (read, then
 * wiped); an SSH private key (libssh reads it: the file only); a file
 * fencer believes (known hosts, a CA); a program it runs. */
int check_secret(const char *path, long max, char *err, size_t errlen);
int check_key_file(const char *path, long max, char *err, size_t errlen);
int check_conf_file(const char *path, long max, char *err, size_t errlen);
int check_program(const char *path, long max, char *err, size_t errlen);

#endif
