/* Memory: the one out-of-memory policy. fencer's own allocations go
 * through these and end the process with "out of memory" (fatalx) when
 * the heap is exhausted: what fencer holds is small and bounded (a
 * configuration is at most CONFIG_MAX_BYTES), so a failed allocation means
 * the machine is failing, and a step carried on without its memory could
 * only report falsely. An allocation inside a library (libssh, net-snmp,
 * jansson, libcurl) that fails is that library's call failing: the step
 * reports it as such, in the words of the step. */
#ifndef FENCER_ALLOC_H
#define FENCER_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);		/* n of 0 gets one element */
void *xrealloc(void *p, size_t n, size_t size);	/* n elements of size */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
