/* libcurl through dlopen: see curl_api.h for why. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fencer/curl_api.h"

/* The SONAME of libcurl's current ABI (Debian's libcurl4 and its
 * libcurl3-gnutls / nss flavours keep the same one for the openssl build). */
#define CURL_SONAME "libcurl.so.4"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_api api;
static const struct curl_api *loaded;
static char why[256];

static int sym(void *lib, void *slot, const char *name)
{
	void *p = dlsym(lib, name);

	if (!p) {
		snprintf(why, sizeof why, "%s lacks %s", CURL_SONAME, name);
		return -1;
	}
	/* POSIX: a function pointer and void * convert through memcpy. */
	memcpy(slot, &p, sizeof p);
	return 0;
}

static void load(void)
{
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		snprintf(why, sizeof why, "cannot load %s (install libcurl4): %s", CURL_SONAME, dlerror());
		return;
	}
	if (sym(lib, &api.global_init, "curl_global_init") < 0 || sym(lib, &api.easy_init, "curl_easy_init") < 0 ||
	    sym(lib, &api.easy_setopt, "curl_easy_setopt") < 0 ||
	    sym(lib, &api.easy_perform, "curl_easy_perform") < 0 ||
	    sym(lib, &api.easy_getinfo, "curl_easy_getinfo") < 0 ||
	    sym(lib, &api.easy_cleanup, "curl_easy_cleanup") < 0 ||
	    sym(lib, &api.easy_strerror, "curl_easy_strerror") < 0 ||
	    sym(lib, &api.slist_append, "curl_slist_append") < 0 ||
	    sym(lib, &api.slist_free_all, "curl_slist_free_all") < 0 || sym(lib, &api.version, "curl_version") < 0)
		return;	/* the library stays loaded: unloading buys nothing */
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(why, sizeof why, "curl_global_init failed");
		return;
	}
	loaded = &api;
}

const struct curl_api *curl_api(void)
{
	pthread_once(&once, load);
	return loaded;
}

const char *curl_api_error(void)
{
	return why;
}
