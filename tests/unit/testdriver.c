#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fencer/config.h"
#include "testdriver.h"

#define MAX_SW 8
#define MAX_PORTS 32

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char log_path[512], record_path[512];
static int barrier, arrived, inside, peak, hanging;
static struct {
	char name[64];
	struct td_behaviour b;
} behaviour[MAX_SW];
static struct {
	char sw[64], port[64];
	enum port_state st;
} ports[MAX_PORTS];

void td_reset(const char *path, int n)
{
	pthread_mutex_lock(&mu);
	snprintf(log_path, sizeof log_path, "%s", path);
	barrier = n;
	record_path[0] = '\0';
	arrived = inside = peak = hanging = 0;
	memset(behaviour, 0, sizeof behaviour);
	memset(ports, 0, sizeof ports);
	pthread_mutex_unlock(&mu);
}

void td_set(const char *sw, struct td_behaviour b)
{
	for (int i = 0; i < MAX_SW; i++)
		if (!behaviour[i].name[0]) {
			snprintf(behaviour[i].name, sizeof behaviour[i].name, "%s", sw);
			behaviour[i].b = b;
			return;
		}
}

static struct td_behaviour get(const struct sw *sw)
{
	for (int i = 0; i < MAX_SW; i++)
		if (strcmp(behaviour[i].name, sw->cfg->name) == 0)
			return behaviour[i].b;
	return (struct td_behaviour){ 0 };
}

static void logline(const char *what, const struct sw *sw, const char *port)
{
	char line[256];
	int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	if (fd < 0)
		return;
	snprintf(line, sizeof line, "%s %s %s\n", what, sw->cfg->name, port ? port : "-");
	if (write(fd, line, strlen(line)) < 0)
		perror("log");
	close(fd);
}

static enum port_state *slot(const char *sw, const char *port)
{
	for (int i = 0; i < MAX_PORTS; i++)
		if (strcmp(ports[i].sw, sw) == 0 && strcmp(ports[i].port, port) == 0)
			return &ports[i].st;
	for (int i = 0; i < MAX_PORTS; i++)
		if (!ports[i].sw[0]) {
			snprintf(ports[i].sw, sizeof ports[i].sw, "%s", sw);
			snprintf(ports[i].port, sizeof ports[i].port, "%s", port);
			ports[i].st = PORT_UP;
			return &ports[i].st;
		}
	return NULL;
}

void td_watch_record(const char *path)
{
	snprintf(record_path, sizeof record_path, "%s", path);
}

static bool recorded(const char *port)
{
	char buf[8192], want[128];
	FILE *fp = record_path[0] ? fopen(record_path, "r") : NULL;
	size_t n;

	if (!fp)
		return false;
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	snprintf(want, sizeof want, "\"port\": \"%s\"", port);
	return strstr(buf, want) != NULL;
}

enum port_state td_port(const char *sw, const char *port)
{
	enum port_state st;

	pthread_mutex_lock(&mu);
	st = *slot(sw, port);
	pthread_mutex_unlock(&mu);
	return st;
}

void td_force(const char *sw, const char *port, enum port_state st)
{
	pthread_mutex_lock(&mu);
	*slot(sw, port) = st;
	pthread_mutex_unlock(&mu);
}

int td_peak(void)
{
	return peak;
}

bool td_still_hanging(void)
{
	return hanging > 0;
}

bool td_idle(void)
{
	bool idle;

	pthread_mutex_lock(&mu);
	idle = !hanging && !inside;
	pthread_mutex_unlock(&mu);
	return idle;
}

/* The barrier: open waits (up to 2 s) until `barrier` workers are inside
 * at once. Run in parallel, all arrive and the peak equals the switch
 * count; run one after another, each waits alone and the peak stays 1. */
static int td_open(struct sw *sw, const struct deadline *dl)
{
	struct deadline wait;
	struct timespec ts;

	(void)dl;
	logline("open", sw, NULL);
	if (get(sw).fail_open)
		return sw_fail(sw, SWE_AUTH, "%% Authentication failed.");
	deadline_start(&wait, 2000);
	ts = deadline_abstime(&wait);
	pthread_mutex_lock(&mu);
	inside++;
	arrived++;
	if (inside > peak)
		peak = inside;
	pthread_cond_broadcast(&cv);
	while (barrier && arrived < barrier && !deadline_passed(&wait))
		pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
	return 0;
}

/* A random pause, so that two engines' operations interleave. */
static void jitter(const struct td_behaviour *b)
{
	static unsigned long x = 88172645463325252UL;
	unsigned long r;

	if (!b->jitter_us)
		return;
	pthread_mutex_lock(&mu);
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r = x;
	pthread_mutex_unlock(&mu);
	usleep((useconds_t)(r % (unsigned long)b->jitter_us));
}

static int td_port_set(struct sw *sw, const char *port, enum port_state st)
{
	struct td_behaviour b = get(sw);

	jitter(&b);
	logline(st == PORT_DOWN ? "shut" : "noshut", sw, port);
	if (b.hang_ms) {
		pthread_mutex_lock(&mu);
		hanging++;
		pthread_mutex_unlock(&mu);
		usleep((useconds_t)b.hang_ms * 1000);
		pthread_mutex_lock(&mu);
		hanging--;
		pthread_mutex_unlock(&mu);
	}
	if (b.reject_set)
		return sw_fail(sw, SWE_COMMAND, "%% Invalid input detected at '^' marker.");
	sw->sent = true;
	if (b.fail_after_send) {
		pthread_mutex_lock(&mu);
		*slot(sw->cfg->name, port) = st;
		pthread_mutex_unlock(&mu);
		return sw_fail(sw, SWE_COMMAND, "No such command : end");
	}
	if (!b.ignore_shutdown) {
		pthread_mutex_lock(&mu);
		*slot(sw->cfg->name, port) = st;
		pthread_mutex_unlock(&mu);
	}
	return 0;
}

static int td_port_get(struct sw *sw, const char *port, enum port_state *st)
{
	struct td_behaviour b = get(sw);

	jitter(&b);
	logline("verify", sw, port);
	if (recorded(port))
		logline("recorded", sw, port);
	*st = td_port(sw->cfg->name, port);
	jitter(&b);
	return 0;
}

static int td_flush(struct sw *sw, const char *port)
{
	logline("flush", sw, port);
	if (get(sw).flush_info)
		snprintf(sw->info, sizeof sw->info, "%s", get(sw).flush_info);
	return get(sw).fail_flush ? sw_fail(sw, SWE_COMMAND, "%% flush refused") : 0;
}

static void td_close(struct sw *sw)
{
	logline("close", sw, NULL);
	pthread_mutex_lock(&mu);
	inside--;
	pthread_mutex_unlock(&mu);
}

const struct driver test_driver = {
	.name = "test",
	.open = td_open,
	.port_set = td_port_set,
	.port_get = td_port_get,
	.mac_flush = td_flush,
	.close = td_close,
};
