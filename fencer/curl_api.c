/* libcurl through dlopen: see curl_api.h for why. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fencer/curl_api.h"

/* The SONAME of libcurl's current ABI: Debian's libcurl4, the library
 * libcurl4-openssl-dev builds against. */
#define CURL_SONAME "libcurl.so.4"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct curl_api api;
static const struct curl_api *loaded;
static char why[256];

static const struct {
	void *slot;	/* a function pointer in api */
	const char *name;
} syms[] = {
	{ &api.global_init, "curl_global_init" },
	{ &api.easy_init, "curl_easy_init" },
	{ &api.easy_setopt, "curl_easy_setopt" },
	{ &api.easy_perform, "curl_easy_perform" },
	{ &api.easy_getinfo, "curl_easy_getinfo" },
	{ &api.easy_cleanup, "curl_easy_cleanup" },
	{ &api.easy_strerror, "curl_easy_strerror" },
	{ &api.slist_append, "curl_slist_append" },
	{ &api.slist_free_all, "curl_slist_free_all" },
	{ &api.version, "curl_version" },
};

static void load(void)
{
	void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL), *p;

	if (!lib) {
		snprintf(why, sizeof why, "cannot load %s (install libcurl4): %s", CURL_SONAME, dlerror());
		return;
	}
	/* The library stays loaded on every path: unloading buys nothing. */
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		if (!(p = dlsym(lib, syms[i].name))) {
			snprintf(why, sizeof why, "%s lacks %s", CURL_SONAME, syms[i].name);
			return;
		}
		/* POSIX: a function pointer and void * convert through memcpy. */
		memcpy(syms[i].slot, &p, sizeof p);
	}
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
