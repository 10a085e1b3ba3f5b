/* Shared helpers for the cmocka unit tests. */
#ifndef FENCER_TESTUTIL_H
#define FENCER_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fencer/config.h"

/* A fresh temporary folder, removed by tu_cleanup (call it in teardown). */
const char *tu_tmpdir(void);
void tu_cleanup(void);
/* Write a file in the temp folder with a mode; returns its path (static per call). */
char *tu_write(const char *name, const char *text, unsigned mode);
/* The same with len bytes of data (which may hold NUL bytes). */
char *tu_write_n(const char *name, const char *data, size_t len, unsigned mode);
/* Write text as a config (mode 0600) and load it; errs collects errors. */
struct config *tu_config(const char *text, struct cfg_errors *errs);
/* True if some error line ends with ":LINE: " + a text containing `part`. */
int tu_has_error(const struct cfg_errors *, int line, const char *part);
void tu_print_errors(const struct cfg_errors *);

#endif
