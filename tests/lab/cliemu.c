/*
 * cliemu: a switch CLI emulator with one dialect per family, for the
 * fencer lab: HPE/H3C Comware (`comware`) and Dell OS6 (`dell-os`).
 *
 * Like iosemu, it is the forced command of a real OpenSSH sshd inside a
 * switch namespace and applies what it is told to the real Linux bridge
 * there: `shutdown` takes the mapped kernel port down, the MAC flush
 * flushes the port's learned FDB entries, the display/show commands read
 * the kernel. What each dialect answers is in docs/switches/comware.md and
 * docs/switches/dell-os.md.
 *
 *   cliemu -c FILE
 *
 * FILE holds `key=value` lines:
 *   dialect=comware|dell-os   the CLI's grammar (default comware)
 *   hostname=NAME             prompt name
 *   bridge=br0                the bridge whose FDB is shown and flushed
 *   port=NAME KERNELIF        one per port, e.g. port=GigabitEthernet1/0/1 gi1
 *   secret-file=PATH          Comware `super` / Dell `enable` password
 *   privileged=1              Dell: land at `#` (no enable)
 *   log=PATH                  append every command line received (not secrets)
 *                             and events: login, `prompt after N ms` (from the
 *                             session's start), `answer after N ms` (delay-ms)
 *   lldp=SOCKET               answer the LLDP neighbour commands from the lldpd
 *                             whose control socket this is (lldpcli -u); without
 *                             it, the dialect's error for an unknown command
 *   length=N                  lines per page at login (default 24)
 *   delay-ms=N                wait N ms before answering each command
 *   login-delay-ms=N          wait N ms after authentication before the first
 *                             prompt (what is typed meanwhile waits for it)
 *   refuse=WORDS              a command line starting with WORDS is refused,
 *                             as the dialect refuses unknown input (repeatable)
 *   quirk=old-forms           the older command forms only: Comware 5's
 *                             `display brief interface X` for Comware 7's
 *                             `display interface X brief`; PowerConnect's
 *                             `terminal datadump` for `terminal length 0`
 *   quirk=no-paging           the paging command is refused: pages stay on
 *   quirk=ignore-shutdown     accept shutdown and its undo, change nothing
 *   quirk=logs                Comware: a log line on the terminal after each
 *                             shutdown and undo shutdown, as a switch with
 *                             `terminal monitor` shows
 *   quirk=hang                say nothing after login, ever
 *
 * With a tty it puts the terminal in raw mode and echoes itself; without
 * one it reads the same bytes from a pipe (tests/lab/test_cliemu.sh).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 32
#define MAX_WORDS 16
#define MAX_REFUSE 8
#define LINE_LEN 512

/* Modes: Comware's user view, system view, interface view; Dell's user
 * EXEC, privileged EXEC, config, interface config. */
enum mode { M_USER = 1, M_PRIV = 2, M_SYS = 4, M_IF = 8 };
#define M_ANY (M_USER | M_PRIV | M_SYS | M_IF)
#define M_EXEC (M_USER | M_PRIV)

struct port {
	char name[64];
	char kif[16];
};

struct config {
	char dialect[16];
	char hostname[64];
	char bridge[16];
	char secret[128];
	bool has_secret;
	bool privileged;
	char log[512];
	char lldp[512];
	struct port ports[MAX_PORTS];
	int nports;
	char refuse[MAX_REFUSE][64];
	int nrefuse;
	bool old_forms, no_paging, ignore_shutdown, logs, hang;
	int delay_ms;
	int login_delay_ms;
	int length;
};

struct session {
	enum mode mode;
	int port;		/* the interface of M_IF */
	int term_len;
	bool tty, done, skip_lf;
};

struct args {
	int port;
	long num;
};

struct text {
	char *buf;
	size_t len, cap;
};

typedef void handler(const struct args *);

struct command {
	unsigned modes;
	const char *pattern;	/* keywords; <if> and <num> take values */
	handler *run;
};

/* What a dialect is: its prompts, its pager and its error words. */
struct dialect {
	const char *name;
	const struct command *commands;
	size_t ncommands;
	const char *more;		/* the pager's marker */
	const char *unknown;		/* a word no command has */
	const char *bad_if;		/* a port it does not have */
	const char *incomplete;		/* a command cut short */
	void (*prompt)(char *buf, size_t size);
	enum mode login;
};

static struct config cfg;
static struct session ses;
static const struct dialect *dia;
static struct termios saved_tio;
static struct timespec started;	/* the session's start: sshd authenticated it */

/* ---- output and input ---------------------------------------------------- */

static void out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			exit(0);
		s += w;
		n -= (size_t)w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	if (t->len + (size_t)n + 3 > t->cap) {
		t->cap = (t->cap + (size_t)n + 3) * 2;
		if (!(t->buf = realloc(t->buf, t->cap)))
			exit(1);
	}
	memcpy(t->buf + t->len, line, (size_t)n);
	t->len += (size_t)n;
	memcpy(t->buf + t->len, "\r\n", 3);
	t->len += 2;
}

/* ---- time ---------------------------------------------------------------- */

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000L + (now.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* A switch that is slow to answer: the whole wait, even across signals. */
static void sleep_ms(int ms)
{
	struct timespec left = { ms / 1000, (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&left, &left) < 0 && errno == EINTR)
		;
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int fd, n;

	if (!cfg.log[0])
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	if ((fd = open(cfg.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return;
	if (write(fd, buf, (size_t)n) < 0) {
		/* the log is a test aid: losing a line must not end the session */
	}
	close(fd);
}

static int read_byte(void)
{
	unsigned char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r == 1)
			return c;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* One key for the pager; a CR LF pair is one key. */
static int read_key(void)
{
	int c = read_byte();

	if (c == '\n' && ses.skip_lf)
		c = read_byte();
	ses.skip_lf = c == '\r';
	return c;
}

/* A line, echoed when visible (a switch echoes itself, pty or not). */
static bool read_line(char *line, size_t size, bool visible)
{
	size_t n = 0;

	for (;;) {
		int c = read_byte();

		if (c < 0)
			return false;
		if (c == '\n' && ses.skip_lf) {
			ses.skip_lf = false;
			continue;
		}
		ses.skip_lf = c == '\r';
		if (c == '\r' || c == '\n') {
			line[n] = '\0';
			outs("\r\n");
			return true;
		}
		if (c == 0x7f || c == 0x08) {
			if (n > 0) {
				n--;
				if (visible)
					outs("\b \b");
			}
			continue;
		}
		if (c < 0x20 || n + 1 >= size)
			continue;
		line[n++] = (char)c;
		if (visible)
			out((char[]){ (char)c }, 1);
	}
}

static void tty_restore(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

static void tty_raw(void)
{
	struct termios t;

	ses.tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	if (!ses.tty)
		return;
	t = saved_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
	atexit(tty_restore);
}

/* Print output a page at a time, the dialect's marker between pages,
 * erased with backspaces after the key, as the switches do. */
static void page(struct text *t)
{
	const char *p = t->buf, *end = t->buf + t->len;
	int lines = 0, budget = ses.term_len > 0 ? ses.term_len - 1 : -1;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		if (budget >= 0 && lines == budget) {
			size_t m = strlen(dia->more);
			char erase[200];
			int k;

			outs(dia->more);
			k = read_key();
			memset(erase, '\b', m);
			memset(erase + m, ' ', m);
			memset(erase + 2 * m, '\b', m);
			out(erase, 3 * m);
			if (k == ' ')
				budget += ses.term_len - 1;
			else if (k == '\r' || k == '\n')
				budget += 1;
			else
				break;
		}
		out(p, (size_t)(next - p));
		lines++;
		p = next;
	}
	free(t->buf);
	*t = (struct text){ 0 };
}

/* ---- the kernel ---------------------------------------------------------- */

static int run(const char *const argv[], char *capture, size_t size)
{
	int pfd[2], status;
	size_t n = 0;
	pid_t pid;

	if (pipe(pfd) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(nul, STDIN_FILENO);
		dup2(capture ? pfd[1] : nul, STDOUT_FILENO);
		dup2(nul, STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char sink[512];
		ssize_t r = capture && n + 1 < size ? read(pfd[0], capture + n, size - n - 1)
						    : read(pfd[0], sink, sizeof sink);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (capture && n + 1 < size)
			n += (size_t)r;
	}
	if (capture)
		capture[n] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool sys_read(const char *kif, const char *what, char *buf, size_t size)
{
	char path[128];
	FILE *f;
	bool ok;

	snprintf(path, sizeof path, "/sys/class/net/%s/%s", kif, what);
	if (!(f = fopen(path, "r")))
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool admin_up(const struct port *p)
{
	char buf[32];

	return sys_read(p->kif, "flags", buf, sizeof buf) && (strtoul(buf, NULL, 16) & 1);
}

static bool oper_up(const struct port *p)
{
	char buf[32];

	return sys_read(p->kif, "operstate", buf, sizeof buf) && strcmp(buf, "up") == 0;
}

static void kernel_set(const struct port *p, bool up)
{
	const char *argv[] = { "ip", "link", "set", "dev", p->kif, up ? "up" : "down", NULL };

	log_line("kernel\tip link set dev %s %s", p->kif, up ? "up" : "down");
	if (!cfg.ignore_shutdown)
		run(argv, NULL, 0);
}

/* The learned entries of the bridge: MAC, VLAN (0: none) and port of each.
 * A switch's hardware-learned entries are modelled by extern_learn ones
 * too: the kernel keeps those when the port goes down, as a switch's
 * neighbours keep theirs, so a test can see the flush remove them. */
struct fdb_entry {
	char mac[18];
	int vlan;
	const struct port *port;
};

static int fdb_read(struct fdb_entry *v, int max)
{
	const char *argv[] = { "bridge", "fdb", "show", "br", cfg.bridge, NULL };
	static char buf[1 << 16];
	char *save = NULL;
	int n = 0;

	if (run(argv, buf, sizeof buf) != 0)
		return 0;
	for (char *l = strtok_r(buf, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
		char mac[18], dev[16];
		const char *vl = strstr(l, " vlan ");

		if (strstr(l, "permanent") || strstr(l, "static") || strstr(l, " self") ||
		    sscanf(l, "%17s dev %15s", mac, dev) != 2)
			continue;
		for (int i = 0; i < cfg.nports; i++)
			if (strcmp(cfg.ports[i].kif, dev) == 0) {
				snprintf(v[n].mac, sizeof v[n].mac, "%s", mac);
				v[n].vlan = vl ? atoi(vl + 6) : 0;
				v[n++].port = &cfg.ports[i];
			}
	}
	return n;
}

/* Delete the learned entries of one port, or of every port. */
static void kernel_flush(const struct port *p)
{
	struct fdb_entry v[256];
	int n = fdb_read(v, 256);

	log_line("kernel\tfdb flush %s", p ? p->kif : cfg.bridge);
	for (int i = 0; i < n; i++) {
		char vlan[16];
		const char *argv[] = { "bridge", "fdb", "del", v[i].mac, "dev", v[i].port->kif, "master",
			v[i].vlan ? "vlan" : NULL, vlan, NULL };

		if (p && v[i].port != p)
			continue;
		snprintf(vlan, sizeof vlan, "%d", v[i].vlan);
		run(argv, NULL, 0);
	}
}

/* aa:bb:cc:dd:ee:ff as Comware (aabb-ccdd-eeff) or Dell (aabb.ccdd.eeff)
 * writes it. */
static void mac_grouped(const char *mac, char sep, char *buf, size_t size)
{
	char hex[13] = "";
	size_t n = 0;

	for (const char *c = mac; *c && n < 12; c++)
		if (isxdigit((unsigned char)*c))
			hex[n++] = (char)tolower((unsigned char)*c);
	snprintf(buf, size, "%.4s%c%.4s%c%.4s", hex, sep, hex + 4, sep, hex + 8);
}

/* The LLDP neighbours lldpd sees on a kernel port, from lldpcli's
 * keyvalue lines (lldp.KIF.chassis.mac=...); a neighbour starts with its
 * .via= line. */
struct lldp_nb {
	char chassis[64], port_id[64], port_descr[128], name[128], descr[256];
};

static int lldp_read(const char *kif, struct lldp_nb *v, int max)
{
	const char *argv[] = { "lldpcli", "-u", cfg.lldp, "-f", "keyvalue", "show", "neighbors", "ports", kif,
		"details", NULL };
	static char buf[1 << 16];
	char prefix[64], *save = NULL;
	int n = -1;

	run(argv, buf, sizeof buf);
	snprintf(prefix, sizeof prefix, "lldp.%s.", kif);
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *key, *val = strchr(l, '=');

		if (strncmp(l, prefix, strlen(prefix)) != 0 || !val)
			continue;
		*val++ = '\0';
		key = l + strlen(prefix);
		if (strcmp(key, "via") == 0 && n + 1 < max)
			memset(&v[++n], 0, sizeof v[0]);
		if (n < 0)
			continue;
		if (strcmp(key, "chassis.mac") == 0 || strcmp(key, "chassis.local") == 0)
			snprintf(v[n].chassis, sizeof v[n].chassis, "%s", val);
		else if (strcmp(key, "chassis.name") == 0)
			snprintf(v[n].name, sizeof v[n].name, "%s", val);
		else if (strcmp(key, "chassis.descr") == 0)
			snprintf(v[n].descr, sizeof v[n].descr, "%s", val);
		else if (strcmp(key, "port.mac") == 0 || strcmp(key, "port.ifname") == 0 || strcmp(key, "port.local") == 0)
			snprintf(v[n].port_id, sizeof v[n].port_id, "%s", val);
		else if (strcmp(key, "port.descr") == 0)
			snprintf(v[n].port_descr, sizeof v[n].port_descr, "%s", val);
	}
	return n + 1;
}

/* ---- interface names ----------------------------------------------------- */

static int port_lookup(const char *word)
{
	for (int i = 0; i < cfg.nports; i++)
		if (strcasecmp(word, cfg.ports[i].name) == 0)
			return i;
	return -1;
}

/* How Comware's tables abbreviate: GigabitEthernet1/0/1 -> GE1/0/1. */
static void comware_short(const char *name, char *buf, size_t size)
{
	size_t t = strcspn(name, "0123456789");

	if (t == 19 && strncasecmp(name, "Ten-GigabitEthernet", 19) == 0)
		snprintf(buf, size, "XGE%s", name + t);
	else if (t == 15 && strncasecmp(name, "GigabitEthernet", 15) == 0)
		snprintf(buf, size, "GE%s", name + t);
	else
		snprintf(buf, size, "%s", name);
}

/* ---- Comware -------------------------------------------------------------- */

static void cw_prompt(char *buf, size_t size)
{
	if (ses.mode == M_USER)
		snprintf(buf, size, "<%s>", cfg.hostname);
	else if (ses.mode == M_SYS)
		snprintf(buf, size, "[%s]", cfg.hostname);
	else
		snprintf(buf, size, "[%s-%s]", cfg.hostname, cfg.ports[ses.port].name);
}

static void cw_log(const struct port *p, bool up)
{
	char line[256];

	if (!cfg.logs)
		return;
	snprintf(line, sizeof line, "%%Dec  1 17:00:00:123 2026 %s IFNET/3/PHY_UPDOWN: Physical state on the "
	    "interface %s changed to %s.\r\n", cfg.hostname, p->name, up ? "up" : "down");
	outs(line);
}

static void cw_system_view(const struct args *a)
{
	(void)a;
	ses.mode = M_SYS;
	outs("System View: return to User View with Ctrl+Z.\r\n");
}

static void cw_screen_length(const struct args *a)
{
	(void)a;
	ses.term_len = 0;
}

/* Ask for the secret, three tries, as Comware's super and Dell's enable
 * do; the event (super, enable) logged with ok or failed. */
static bool ask_password(const char *event)
{
	char pw[LINE_LEN];

	for (int tries = 0; tries < 3; tries++) {
		outs("Password:");
		if (!read_line(pw, sizeof pw, false)) {
			ses.done = true;
			return false;
		}
		if (strcmp(pw, cfg.secret) == 0) {
			log_line("event\t%s ok", event);
			return true;
		}
	}
	log_line("event\t%s failed", event);
	return false;
}

static void cw_super(const struct args *a)
{
	(void)a;
	if (!cfg.has_secret)
		return;
	if (ask_password("super"))
		outs("User privilege level is 3, and only those commands that can be used at this level "
		    "are available.\r\n");
	else if (!ses.done)
		outs("% Password is incorrect.\r\n");
}

static void cw_interface(const struct args *a)
{
	ses.mode = M_IF;
	ses.port = a->port;
}

static void cw_shutdown(const struct args *a)
{
	(void)a;
	kernel_set(&cfg.ports[ses.port], false);
	cw_log(&cfg.ports[ses.port], false);
}

static void cw_undo_shutdown(const struct args *a)
{
	(void)a;
	kernel_set(&cfg.ports[ses.port], true);
	cw_log(&cfg.ports[ses.port], true);
}

static void cw_quit(const struct args *a)
{
	(void)a;
	if (ses.mode == M_USER)
		ses.done = true;
	else
		ses.mode = ses.mode == M_IF ? M_SYS : M_USER;
}

static void cw_return(const struct args *a)
{
	(void)a;
	ses.mode = M_USER;
}

static const char *cw_link(const struct port *p)
{
	return !admin_up(p) ? "ADM" : oper_up(p) ? "UP" : "DOWN";
}

static void cw_brief(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct text t = { 0 };
	char name[64];

	comware_short(p->name, name, sizeof name);
	text_add(&t, "Brief information on interfaces in bridge mode:");
	text_add(&t, "Link: ADM - administratively down; Stby - standby");
	text_add(&t, "Speed: (a) - auto");
	text_add(&t, "Duplex: (a)/A - auto; H - half; F - full");
	text_add(&t, "Type: A - access; T - trunk; H - hybrid");
	text_add(&t, "Interface            Link Speed   Duplex Type PVID Description");
	text_add(&t, "%-20s %-4s %-7s %-6s A    1", name, cw_link(p), oper_up(p) ? "1G(a)" : "auto",
	    oper_up(p) ? "F(a)" : "A");
	page(&t);
}

/* Comware 5's form and table. */
static void cw_brief_v5(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct text t = { 0 };
	char name[64];

	comware_short(p->name, name, sizeof name);
	text_add(&t, "The brief information of interface(s) under bridge mode:");
	text_add(&t, "Interface            Link      Speed        Duplex   Link-type  PVID");
	text_add(&t, "%-20s %-9s auto         auto     access     1", name, cw_link(p));
	page(&t);
}

static void cw_mac_table(int only)
{
	struct fdb_entry v[256];
	struct text t = { 0 };
	int n = fdb_read(v, 256);

	text_add(&t, "MAC Address      VLAN ID    State            Port/NickName            Aging");
	for (int i = 0; i < n; i++) {
		char mac[16], name[64];

		if (only >= 0 && v[i].port != &cfg.ports[only])
			continue;
		mac_grouped(v[i].mac, '-', mac, sizeof mac);
		comware_short(v[i].port->name, name, sizeof name);
		text_add(&t, "%-16s 1          Learned          %-24s Y", mac, name);
	}
	page(&t);
}

static void cw_display_mac(const struct args *a)
{
	cw_mac_table(a->port);
}

static void cw_undo_mac(const struct args *a)
{
	kernel_flush(&cfg.ports[a->port]);
}

static void cw_lldp(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct lldp_nb nb[8];
	struct text t = { 0 };
	int n = lldp_read(p->kif, nb, 8);

	if (n > 0) {
		text_add(&t, "LLDP neighbor-information of port %d[%s]:", a->port + 1, p->name);
		text_add(&t, "LLDP agent nearest-bridge:");
	}
	for (int i = 0; i < n; i++) {
		char c[16];

		mac_grouped(nb[i].chassis, '-', c, sizeof c);
		text_add(&t, " LLDP neighbor index : %d", i + 1);
		text_add(&t, " Update time         : 0 days, 0 hours, 0 minutes, 1 seconds");
		text_add(&t, " Chassis type        : MAC address");
		text_add(&t, " Chassis ID          : %s", c);
		text_add(&t, " Port ID type        : Interface name");
		text_add(&t, " Port ID             : %s", nb[i].port_id);
		text_add(&t, " Time to live        : 121");
		text_add(&t, " Port description    : %s", nb[i].port_descr);
		text_add(&t, " System name         : %s", nb[i].name);
		text_add(&t, " System description  : %s", nb[i].descr);
	}
	page(&t);
}

static void cw_version(const struct args *a)
{
	struct text t = { 0 };

	(void)a;
	text_add(&t, "HPE Comware Software, Version 7.1.070, Release 3208P08 (cliemu)");
	text_add(&t, "Copyright (c) 2010-2026 Hewlett Packard Enterprise Development LP");
	page(&t);
}

static const struct command cw_commands[] = {
	{ M_USER, "system-view", cw_system_view },
	{ M_USER, "screen-length disable", cw_screen_length },
	{ M_USER, "super", cw_super },
	{ M_SYS | M_IF, "interface <if>", cw_interface },
	{ M_IF, "shutdown", cw_shutdown },
	{ M_IF, "undo shutdown", cw_undo_shutdown },
	{ M_ANY, "quit", cw_quit },
	{ M_SYS | M_IF, "return", cw_return },
	{ M_ANY, "display interface <if> brief", cw_brief },
	{ M_ANY, "display brief interface <if>", cw_brief_v5 },
	{ M_ANY, "display mac-address", cw_display_mac },
	{ M_ANY, "display mac-address dynamic", cw_display_mac },
	{ M_ANY, "display mac-address interface <if>", cw_display_mac },
	{ M_SYS, "undo mac-address dynamic interface <if>", cw_undo_mac },
	{ M_ANY, "display version", cw_version },
	{ M_ANY, "display lldp neighbor-information interface <if> verbose", cw_lldp },
};

/* ---- Dell OS6 -------------------------------------------------------------- */

static void dell_prompt(char *buf, size_t size)
{
	switch (ses.mode) {
	case M_USER: snprintf(buf, size, "%s>", cfg.hostname); break;
	case M_PRIV: snprintf(buf, size, "%s#", cfg.hostname); break;
	case M_SYS: snprintf(buf, size, "%s(config)#", cfg.hostname); break;
	case M_IF: snprintf(buf, size, "%s(config-if-%s)#", cfg.hostname, cfg.ports[ses.port].name); break;
	}
}

static void dell_enable(const struct args *a)
{
	(void)a;
	if (!cfg.has_secret || ask_password("enable"))
		ses.mode = M_PRIV;
	else if (!ses.done)
		outs("% Incorrect password.\r\n");
}

static void dell_term_len(const struct args *a)
{
	ses.term_len = (int)a->num;
}

static void dell_datadump(const struct args *a)
{
	(void)a;
	ses.term_len = 0;
}

static void dell_configure(const struct args *a)
{
	(void)a;
	ses.mode = M_SYS;
}

static void dell_interface(const struct args *a)
{
	ses.mode = M_IF;
	ses.port = a->port;
}

static void dell_shutdown(const struct args *a)
{
	(void)a;
	kernel_set(&cfg.ports[ses.port], false);
}

static void dell_no_shutdown(const struct args *a)
{
	(void)a;
	kernel_set(&cfg.ports[ses.port], true);
}

static void dell_exit(const struct args *a)
{
	(void)a;
	if (ses.mode & M_EXEC)
		ses.done = true;
	else
		ses.mode = ses.mode == M_IF ? M_SYS : M_PRIV;
}

static void dell_end(const struct args *a)
{
	(void)a;
	ses.mode = M_PRIV;
}

static void dell_running_if(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct text t = { 0 };

	text_add(&t, "interface %s", p->name);
	if (!admin_up(p))
		text_add(&t, "shutdown");
	text_add(&t, "exit");
	page(&t);
}

static void dell_if_config(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct text t = { 0 };

	text_add(&t, "Port      Description              Duplex  Speed     Neg     MTU   Admin");
	text_add(&t, "                                                                   State");
	text_add(&t, "--------- ------------------------ ------  -------   ----    ----- -----");
	text_add(&t, "%-9s                          Auto    Unknown   Auto    1518  %s", p->name,
	    admin_up(p) ? "Up" : "Down");
	page(&t);
}

static void dell_if_status(const struct args *a)
{
	struct text t = { 0 };

	text_add(&t, "Port       Description         Vlan  Duplex Speed   Neg  Link   Flow Ctrl");
	text_add(&t, "                                                         State  Status");
	text_add(&t, "---------  ------------------- ----- ------ ------- ---- ------ ---------");
	for (int i = 0; i < cfg.nports; i++)
		if (a->port < 0 || a->port == i)
			text_add(&t, "%-10s                     1     Full   1000    Auto %-6s Inactive",
			    cfg.ports[i].name, oper_up(&cfg.ports[i]) ? "Up" : "Down");
	page(&t);
}

static void dell_mac_table(const struct args *a)
{
	struct fdb_entry v[256];
	struct text t = { 0 };
	int n = fdb_read(v, 256), shown = 0;

	text_add(&t, "Aging time is 300 Sec");
	text_add(&t, "%s", "");
	text_add(&t, "Vlan     Mac Address           Type        Port");
	text_add(&t, "-------- --------------------- ----------- ---------------------");
	for (int i = 0; i < n; i++) {
		char mac[16];

		if (a->port >= 0 && v[i].port != &cfg.ports[a->port])
			continue;
		mac_grouped(v[i].mac, '.', mac, sizeof mac);
		text_add(&t, "1        %-21s Dynamic     %s", mac, v[i].port->name);
		shown++;
	}
	text_add(&t, "%s", "");
	text_add(&t, "Total MAC Addresses in use: %d", shown);
	page(&t);
}

static void dell_clear_mac(const struct args *a)
{
	kernel_flush(a->port >= 0 ? &cfg.ports[a->port] : NULL);
}

static void dell_lldp(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct lldp_nb nb[8];
	struct text t = { 0 };
	int n = lldp_read(p->kif, nb, 8);

	text_add(&t, "%s", "");
	text_add(&t, "Local Interface: %s", p->name);
	for (int i = 0; i < n; i++) {
		text_add(&t, "%s", "");
		text_add(&t, "Remote Identifier: %d", i + 1);
		text_add(&t, "Chassis ID Subtype: MAC Address");
		text_add(&t, "Chassis ID: %s", nb[i].chassis);
		text_add(&t, "Port ID Subtype: Interface Name");
		text_add(&t, "Port ID: %s", nb[i].port_id);
		text_add(&t, "System Name: %s", nb[i].name);
		text_add(&t, "System Description: %s", nb[i].descr);
		text_add(&t, "Port Description: %s", nb[i].port_descr);
		text_add(&t, "Time To Live: 120");
	}
	page(&t);
}

static void dell_version(const struct args *a)
{
	struct text t = { 0 };

	(void)a;
	text_add(&t, "Machine Description............... Dell EMC Networking Switch (cliemu)");
	text_add(&t, "System Model ID................... N3024ET-ON");
	text_add(&t, "Software Version.................. 6.7.1.20");
	page(&t);
}

static const struct command dell_commands[] = {
	{ M_USER, "enable", dell_enable },
	{ M_EXEC, "terminal length <num>", dell_term_len },
	{ M_EXEC, "terminal datadump", dell_datadump },
	{ M_PRIV, "configure", dell_configure },
	{ M_SYS | M_IF, "interface <if>", dell_interface },
	{ M_IF, "shutdown", dell_shutdown },
	{ M_IF, "no shutdown", dell_no_shutdown },
	{ M_ANY, "exit", dell_exit },
	{ M_SYS | M_IF, "end", dell_end },
	{ M_PRIV, "show running-config interface <if>", dell_running_if },
	{ M_EXEC, "show interfaces configuration <if>", dell_if_config },
	{ M_EXEC, "show interfaces status", dell_if_status },
	{ M_EXEC, "show interfaces status <if>", dell_if_status },
	{ M_EXEC, "show mac address-table", dell_mac_table },
	{ M_EXEC, "show mac address-table interface <if>", dell_mac_table },
	{ M_PRIV, "clear mac address-table dynamic", dell_clear_mac },
	{ M_PRIV, "clear mac address-table dynamic interface <if>", dell_clear_mac },
	{ M_EXEC, "show version", dell_version },
	{ M_EXEC, "show lldp remote-device detail <if>", dell_lldp },
};

static const struct dialect dialects[] = {
	{ "comware", cw_commands, sizeof cw_commands / sizeof cw_commands[0], "  ---- More ----",
	  "% Unrecognized command found at '^' position.", "% Wrong parameter found at '^' position.",
	  "% Incomplete command found at '^' position.", cw_prompt, M_USER },
	{ "dell-os", dell_commands, sizeof dell_commands / sizeof dell_commands[0], "--More-- or (q)uit",
	  "% Invalid input detected at '^' marker.", "% Invalid input detected at '^' marker.",
	  "% Incomplete command.", dell_prompt, M_USER },
};

/* ---- matching ------------------------------------------------------------- */

/* Commands a quirk takes away: the old or the new form, the pager's off
 * switch, a command the configuration refuses. */
static bool command_enabled(const struct command *c)
{
	if (!(c->modes & ses.mode))
		return false;
	if (strcmp(c->pattern, "display interface <if> brief") == 0 || strcmp(c->pattern, "terminal length <num>") == 0)
		return !cfg.old_forms && !(cfg.no_paging && c->pattern[0] == 't');
	if (strcmp(c->pattern, "display brief interface <if>") == 0 || strcmp(c->pattern, "terminal datadump") == 0)
		return cfg.old_forms && !(cfg.no_paging && c->pattern[0] == 't');
	if (strcmp(c->pattern, "screen-length disable") == 0)
		return !cfg.no_paging;
	if (strstr(c->pattern, " lldp "))
		return cfg.lldp[0] != '\0';
	return true;
}

static bool refused(const char *line)
{
	for (int i = 0; i < cfg.nrefuse; i++)
		if (strncasecmp(line, cfg.refuse[i], strlen(cfg.refuse[i])) == 0)
			return true;
	return false;
}

struct word {
	char text[LINE_LEN];
	int off;
};

static int split(const char *line, struct word *w)
{
	const char *p = line;
	int n = 0;

	while (n < MAX_WORDS) {
		size_t len;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		snprintf(w[n].text, sizeof w[n].text, "%.*s", (int)len, p);
		w[n++].off = (int)(p - line);
		p += len;
	}
	return n;
}

static bool token(const char *pattern, int i, char *buf, size_t size)
{
	const char *p = pattern;

	for (; i > 0; i--)
		if (!(p = strchr(p, ' ')) || !*++p)
			return false;
	snprintf(buf, size, "%.*s", (int)strcspn(p, " "), p);
	return true;
}

static void caret(int col, const char *msg)
{
	char pad[LINE_LEN + 100];

	if (col > LINE_LEN + 90)
		col = LINE_LEN + 90;
	memset(pad, ' ', (size_t)col);
	pad[col] = '^';
	pad[col + 1] = '\0';
	outs(pad);
	outs("\r\n");
	outs(msg);
	outs("\r\n");
}

/* Match the words against the dialect's table, exactly (the drivers type
 * full words), and run the match; else the dialect's error, its caret
 * under the first word that fits no command. */
static void execute(const char *line, int prompt_len)
{
	struct word w[MAX_WORDS];
	bool alive[64];
	struct args a = { .port = -1 };
	int n = split(line, w);
	size_t nc = dia->ncommands;

	if (n == 0)
		return;
	if (refused(line)) {
		caret(prompt_len + w[0].off, dia->unknown);
		return;
	}
	for (size_t c = 0; c < nc; c++)
		alive[c] = command_enabled(&dia->commands[c]);
	for (int i = 0; i < n; i++) {
		bool any = false, bad_if = false;
		char tok[64];

		for (size_t c = 0; c < nc; c++) {
			if (!alive[c])
				continue;
			if (!token(dia->commands[c].pattern, i, tok, sizeof tok))
				alive[c] = false;
			else if (strcmp(tok, "<if>") == 0) {
				a.port = port_lookup(w[i].text);
				alive[c] = a.port >= 0;
				bad_if |= a.port < 0;
			} else if (strcmp(tok, "<num>") == 0) {
				char *end;

				a.num = strtol(w[i].text, &end, 10);
				alive[c] = *end == '\0';
			} else {
				alive[c] = strcasecmp(tok, w[i].text) == 0;
			}
			any |= alive[c];
		}
		if (!any) {
			caret(prompt_len + w[i].off, bad_if ? dia->bad_if : dia->unknown);
			return;
		}
	}
	for (size_t c = 0; c < nc; c++) {
		char tok[64];

		if (alive[c] && !token(dia->commands[c].pattern, n, tok, sizeof tok)) {
			if (cfg.delay_ms > 0) {
				struct timespec t0;

				clock_gettime(CLOCK_MONOTONIC, &t0);
				sleep_ms(cfg.delay_ms);
				log_line("event\tanswer after %ld ms", ms_since(&t0));
			}
			dia->commands[c].run(&a);
			return;
		}
	}
	caret(prompt_len + (int)strlen(line), dia->incomplete);
}

/* ---- configuration and main loop ----------------------------------------- */

static void read_secret(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	if (fgets(cfg.secret, sizeof cfg.secret, f)) {
		cfg.secret[strcspn(cfg.secret, "\r\n")] = '\0';
		cfg.has_secret = true;
	}
	fclose(f);
}

static void config_line(char *line)
{
	char *v = strchr(line, '=');

	line[strcspn(line, "\r\n")] = '\0';
	if (!v || line[0] == '#')
		return;
	*v++ = '\0';
	if (strcmp(line, "dialect") == 0)
		snprintf(cfg.dialect, sizeof cfg.dialect, "%s", v);
	else if (strcmp(line, "hostname") == 0)
		snprintf(cfg.hostname, sizeof cfg.hostname, "%s", v);
	else if (strcmp(line, "bridge") == 0)
		snprintf(cfg.bridge, sizeof cfg.bridge, "%s", v);
	else if (strcmp(line, "secret-file") == 0)
		read_secret(v);
	else if (strcmp(line, "privileged") == 0)
		cfg.privileged = atoi(v) != 0;
	else if (strcmp(line, "log") == 0)
		snprintf(cfg.log, sizeof cfg.log, "%s", v);
	else if (strcmp(line, "lldp") == 0)
		snprintf(cfg.lldp, sizeof cfg.lldp, "%s", v);
	else if (strcmp(line, "length") == 0)
		cfg.length = atoi(v);
	else if (strcmp(line, "delay-ms") == 0)
		cfg.delay_ms = atoi(v);
	else if (strcmp(line, "login-delay-ms") == 0)
		cfg.login_delay_ms = atoi(v);
	else if (strcmp(line, "refuse") == 0 && cfg.nrefuse < MAX_REFUSE)
		snprintf(cfg.refuse[cfg.nrefuse++], sizeof cfg.refuse[0], "%s", v);
	else if (strcmp(line, "quirk") == 0) {
		cfg.old_forms |= strcmp(v, "old-forms") == 0;
		cfg.no_paging |= strcmp(v, "no-paging") == 0;
		cfg.ignore_shutdown |= strcmp(v, "ignore-shutdown") == 0;
		cfg.logs |= strcmp(v, "logs") == 0;
		cfg.hang |= strcmp(v, "hang") == 0;
	} else if (strcmp(line, "port") == 0 && cfg.nports < MAX_PORTS) {
		struct port *p = &cfg.ports[cfg.nports];

		if (sscanf(v, "%63s %15s", p->name, p->kif) == 2)
			cfg.nports++;
	}
}

static int load_config(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	snprintf(cfg.dialect, sizeof cfg.dialect, "comware");
	snprintf(cfg.hostname, sizeof cfg.hostname, "Switch");
	snprintf(cfg.bridge, sizeof cfg.bridge, "br0");
	if (!f) {
		fprintf(stderr, "cliemu: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f))
		config_line(line);
	fclose(f);
	for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
		if (strcmp(cfg.dialect, dialects[i].name) == 0)
			dia = &dialects[i];
	if (!dia) {
		fprintf(stderr, "cliemu: %s: no dialect %s (comware, dell-os)\n", path, cfg.dialect);
		return -1;
	}
	return 0;
}

static void session(void)
{
	char line[LINE_LEN], prompt[160];

	ses.mode = cfg.privileged && dia->prompt == dell_prompt ? M_PRIV : dia->login;
	ses.term_len = cfg.length > 0 ? cfg.length : 24;
	log_line("event\tlogin");
	sleep_ms(cfg.login_delay_ms);
	log_line("event\tprompt after %ld ms", ms_since(&started));
	outs("\r\n");
	while (!ses.done) {
		dia->prompt(prompt, sizeof prompt);
		outs(prompt);
		if (!read_line(line, sizeof line, true))
			break;
		log_line("%s\t%s", prompt, line);
		execute(line, (int)strlen(prompt));
	}
	log_line("event\tlogout");
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt != 'c') {
			fprintf(stderr, "usage: cliemu -c FILE\n");
			return 2;
		}
		conf = optarg;
	}
	clock_gettime(CLOCK_MONOTONIC, &started);
	if (!conf || load_config(conf) < 0)
		return 2;
	tty_raw();
	if (cfg.hang) {
		log_line("event\thang");
		while (read_byte() >= 0)
			;
		return 0;
	}
	session();
	return 0;
}
