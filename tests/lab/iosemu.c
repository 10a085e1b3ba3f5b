/*
 * iosemu: a Cisco IOS CLI emulator for the fencer lab.
 *
 * It is the ForceCommand of a real OpenSSH sshd inside a switch namespace
 * and applies what it is told to the real Linux bridge there: `shutdown`
 * takes the mapped kernel port down, `clear mac address-table dynamic`
 * flushes the bridge FDB, `show` commands read the kernel.
 *
 *   iosemu -c FILE
 *
 * FILE holds `key=value` lines:
 *   hostname=NAME             prompt name
 *   bridge=br0                the bridge whose FDB is shown and flushed
 *   port=IOSNAME KERNELIF     one per port, e.g. port=GigabitEthernet0/1 p1
 *   enable-secret-file=PATH   the enable password (first line)
 *   privilege=15              land in privileged EXEC (no enable needed)
 *   privilege=N               (2..14) land in privileged EXEC at level N:
 *                             `#` prompt, but configure terminal and clear
 *                             are refused until `enable` (level 15)
 *   log=PATH                  append every command line received (not secrets)
 *                             and events: login, `prompt after N ms` (from the
 *                             session's start), `answer after N ms` (delay-ms)
 *   fault=ignore-shutdown     accept shutdown / no shutdown, change nothing
 *   fault=ignore-no-shutdown  accept no shutdown, change nothing (a port that
 *                             will not come up)
 *   fault=old-clear           only the 2950-era `clear mac-address-table`
 *   fault=no-clear            neither form of `clear`: both are invalid input
 *   fault=no-terminal-length  reject `terminal length`: paging stays on
 *   fault=hang                say nothing after login, ever
 *   fault=no-end              `end` is not a command (as on CLIs that take
 *                             only `exit` to leave config mode)
 *   fault=no-exit             `exit` is not a command in config modes
 *   fault=no-mac-table        no `show`/`clear` mac address-table, either form
 *   fault=plain-errors        a refused line is answered `No such command :
 *                             LINE`, without `%` or caret
 *   lldp=SOCKET               answer `show lldp neighbors X detail` from the
 *                             lldpd whose control socket this is (lldpcli
 *                             -u SOCKET), in IOS's words; without it, `%
 *                             LLDP is not enabled`
 *   delay-ms=N                wait N ms before answering each command
 *   login-delay-ms=N          wait N ms after authentication before the first
 *                             prompt (a real switch takes about a second);
 *                             what is typed meanwhile waits for the prompt
 *   length=N                  terminal length at login (default 24)
 *
 * Like IOS it echoes and edits input itself: with a tty (ssh -t) it puts the
 * terminal in raw mode (Ctrl-Z arrives as a byte); without one it reads the
 * same bytes from a pipe, so it can be driven line by line.
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

#define MAX_PORTS 64
#define MAX_WORDS 32
#define LINE_MAX_LEN 512
#define MORE " --More-- "

enum mode { M_USER = 1, M_PRIV = 2, M_CONF = 4, M_CONF_IF = 8 };
#define M_EXEC (M_USER | M_PRIV)
#define M_CONFS (M_CONF | M_CONF_IF)

struct port {
	char ios[64];
	char kif[16];
	char descr[128];
};

struct config {
	char hostname[64];
	char bridge[16];
	char secret[128];
	bool has_secret;
	char log[512];
	char lldp[512];
	struct port ports[MAX_PORTS];
	int nports;
	bool privileged;
	int level;		/* privilege level at login in privileged EXEC */
	bool ignore_shutdown, ignore_no_shutdown, old_clear, no_clear, no_term_len, hang;
	bool no_end, no_exit, no_mac_table, plain_errors;
	int delay_ms;
	int login_delay_ms;
	int length;
};

struct session {
	enum mode mode;
	int level;		/* privilege level: 1 user, 15 after enable */
	int port;		/* current interface in config-if mode */
	int term_len;
	int term_width;
	bool tty;
	bool done;
	bool skip_lf;		/* a CR ended the last line: drop a following LF */
};

struct args {
	int port;
	long num;
	const char *rest;
};

struct word {
	char text[LINE_MAX_LEN];
	int off;
};

struct text {
	char *buf;
	size_t len, cap;
};

static struct config cfg;
static struct session ses;
static struct termios saved_tio;
static struct timespec started;	/* the session's start: sshd authenticated it */

/* ---- output ------------------------------------------------------------ */

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

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	char line[1024];
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
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			exit(1);
	}
	memcpy(t->buf + t->len, line, (size_t)n);
	t->len += (size_t)n;
	memcpy(t->buf + t->len, "\r\n", 3);
	t->len += 2;
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
	fd = open(cfg.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, buf, (size_t)n) < 0) {
		/* the log is a test aid: losing a line must not end the session */
	}
	close(fd);
}

/* ---- time -------------------------------------------------------------- */

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

/* ---- input ------------------------------------------------------------- */

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

/* One key for --More--; a CR LF pair is one key. */
static int read_key(void)
{
	int c = read_byte();

	if (c == '\n' && ses.skip_lf)
		c = read_byte();
	ses.skip_lf = c == '\r';
	return c;
}

enum { LINE_OK, LINE_EOF, LINE_CTRL_Z, LINE_CTRL_C };

static void echo(const char *s, bool visible)
{
	if (visible)	/* IOS echoes itself, with or without a pty */
		outs(s);
}

static int read_line(char *line, size_t size, bool visible)
{
	size_t n = 0;

	for (;;) {
		int c = read_byte();
		char ch[2] = { 0, 0 };

		if (c < 0)
			return LINE_EOF;
		if (c == '\n' && ses.skip_lf) {
			ses.skip_lf = false;
			continue;
		}
		ses.skip_lf = c == '\r';
		if (c == '\r' || c == '\n') {
			line[n] = 0;
			echo("\r\n", true);
			return LINE_OK;
		}
		if (c == 0x1a) {
			echo("^Z\r\n", true);
			return LINE_CTRL_Z;
		}
		if (c == 0x03) {
			echo("^C\r\n", true);
			return LINE_CTRL_C;
		}
		if (c == 0x7f || c == 0x08) {
			if (n > 0) {
				n--;
				echo("\b \b", visible);
			}
			continue;
		}
		if (c < 0x20 || n + 1 >= size)
			continue;
		line[n++] = (char)c;
		ch[0] = (char)c;
		echo(ch, visible);
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
	tcsetattr(STDIN_FILENO, TCSANOW, &t);	/* keep input typed ahead */
	atexit(tty_restore);
}

/* Print show output, stopping at --More-- every page unless length 0. */
static void page(const struct text *t)
{
	const char *p = t->buf, *end = t->buf + t->len;
	int lines = 0, budget = ses.term_len > 0 ? ses.term_len - 1 : -1;

	if (!t->buf)
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		if (budget >= 0 && lines == budget) {
			int k;

			outs(MORE);
			k = read_key();
			outs("\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b");
			if (k == ' ')
				budget += ses.term_len - 1;
			else if (k == '\r' || k == '\n')
				budget += 1;
			else
				return;
		}
		out(p, (size_t)(next - p));
		lines++;
		p = next;
	}
}

/* ---- the kernel -------------------------------------------------------- */

static int run(const char *const argv[], char *capture, size_t size)
{
	int pfd[2], status;
	size_t n = 0;
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
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
		ssize_t r;
		char sink[512];

		if (capture && n + 1 < size)
			r = read(pfd[0], capture + n, size - n - 1);
		else
			r = read(pfd[0], sink, sizeof sink);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (capture && n + 1 < size)
			n += (size_t)r;
	}
	if (capture)
		capture[n] = 0;
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
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

static bool port_admin_up(const struct port *p)
{
	char buf[32];

	return sys_read(p->kif, "flags", buf, sizeof buf) && (strtoul(buf, NULL, 16) & 1);
}

static bool port_oper_up(const struct port *p)
{
	char buf[32];

	return sys_read(p->kif, "operstate", buf, sizeof buf) && strcmp(buf, "up") == 0;
}

static void port_set(const struct port *p, bool up)
{
	const char *argv[] = { "ip", "link", "set", "dev", p->kif, up ? "up" : "down", NULL };

	log_line("kernel\tip link set dev %s %s", p->kif, up ? "up" : "down");
	if (!cfg.ignore_shutdown && !(up && cfg.ignore_no_shutdown))
		run(argv, NULL, 0);
}

static void fdb_flush(const struct port *p)
{
	const char *one[] = { "ip", "link", "set", "dev", p ? p->kif : "", "type",
			      "bridge_slave", "fdb_flush", NULL };
	const char *all[] = { "ip", "link", "set", "dev", cfg.bridge, "type", "bridge",
			      "fdb_flush", NULL };

	log_line("kernel\tfdb_flush %s", p ? p->kif : cfg.bridge);
	run(p ? one : all, NULL, 0);
}

static const struct port *port_by_kif(const char *kif)
{
	for (int i = 0; i < cfg.nports; i++)
		if (strcmp(cfg.ports[i].kif, kif) == 0)
			return &cfg.ports[i];
	return NULL;
}

/* "GigabitEthernet0/1" -> "Gi0/1", as the MAC table shows ports. */
static void short_name(const char *ios, char *buf, size_t size)
{
	size_t t = strcspn(ios, "0123456789");

	snprintf(buf, size, "%.2s%s", ios, ios + t);
}

static void dotted_mac(const char *mac, char *buf, size_t size)
{
	char hex[13] = "";
	size_t n = 0;

	for (const char *c = mac; *c && n < 12; c++)
		if (isxdigit((unsigned char)*c))
			hex[n++] = (char)tolower((unsigned char)*c);
	snprintf(buf, size, "%.4s.%.4s.%.4s", hex, hex + 4, hex + 8);
}

/* ---- interface names --------------------------------------------------- */

static int port_lookup(const char *word)
{
	size_t tlen = strcspn(word, "0123456789");
	int found = -1;

	if (tlen == 0 || word[tlen] == 0)
		return -1;
	for (int i = 0; i < cfg.nports; i++) {
		const char *ios = cfg.ports[i].ios;
		size_t ptlen = strcspn(ios, "0123456789");

		if (tlen > ptlen || strncasecmp(word, ios, tlen) != 0)
			continue;
		if (strcmp(word + tlen, ios + ptlen) != 0)
			continue;
		if (found >= 0)
			return -1;
		found = i;
	}
	return found;
}

/* ---- commands ---------------------------------------------------------- */

typedef void handler(const struct args *);

struct command {
	unsigned modes;
	unsigned flags;
	const char *pattern;	/* keywords; <if> <num> <rest> take values */
	handler *run;
};

enum { F_NEW_CLEAR = 1, F_TERM_LEN = 2, F_LEVEL15 = 4, F_END = 8, F_EXIT = 16, F_MAC = 32, F_CLEAR = 64 };

static void h_enable(const struct args *a)
{
	char pw[LINE_MAX_LEN];

	(void)a;
	if (ses.mode == M_PRIV && ses.level >= 15)
		return;
	if (!cfg.has_secret) {
		outs("% No password set\r\n");
		return;
	}
	for (int tries = 0; tries < 3; tries++) {
		outs("Password: ");
		if (read_line(pw, sizeof pw, false) == LINE_EOF) {
			ses.done = true;
			return;
		}
		if (strcmp(pw, cfg.secret) == 0) {
			ses.mode = M_PRIV;
			ses.level = 15;
			log_line("event\tenable ok");
			return;
		}
	}
	log_line("event\tenable failed");
	outs("% Bad secrets\r\n\r\n");
}

static void h_disable(const struct args *a)
{
	(void)a;
	ses.mode = M_USER;
	ses.level = 1;
}

static void h_show_privilege(const struct args *a)
{
	char line[64];

	(void)a;
	snprintf(line, sizeof line, "Current privilege level is %d\r\n", ses.level);
	outs(line);
}

static void h_show_ip_int_brief(const struct args *a)
{
	struct text t = { 0 };

	(void)a;
	text_add(&t, "Interface              IP-Address      OK? Method Status                Protocol");
	for (int i = 0; i < cfg.nports; i++) {
		const struct port *p = &cfg.ports[i];

		text_add(&t, "%-22s unassigned      YES unset  %-21s %s", p->ios,
			 !port_admin_up(p) ? "administratively down" : port_oper_up(p) ? "up" : "down",
			 port_oper_up(p) ? "up" : "down");
	}
	text_add(&t, "%-22s 10.77.0.2       YES NVRAM  up                    up", "Vlan1");
	page(&t);
	free(t.buf);
}

static void h_exit(const struct args *a)
{
	(void)a;
	if (ses.mode & M_EXEC)
		ses.done = true;
	else if (ses.mode == M_CONF_IF)
		ses.mode = M_CONF;
	else
		ses.mode = M_PRIV;
}

static void h_logout(const struct args *a)
{
	(void)a;
	ses.done = true;
}

static void h_end(const struct args *a)
{
	(void)a;
	ses.mode = M_PRIV;
}

static void h_term_len(const struct args *a)
{
	if (a->num < 0 || a->num > 512) {
		outs("% Invalid input detected at '^' marker.\r\n\r\n");
		return;
	}
	ses.term_len = (int)a->num;
}

static void h_term_width(const struct args *a)
{
	if (a->num < 0 || a->num > 512) {
		outs("% Invalid input detected at '^' marker.\r\n\r\n");
		return;
	}
	ses.term_width = (int)a->num;
}

static void h_configure(const struct args *a)
{
	(void)a;
	outs("Enter configuration commands, one per line.  End with CNTL/Z.\r\n");
	ses.mode = M_CONF;
}

static void h_interface(const struct args *a)
{
	ses.port = a->port;
	ses.mode = M_CONF_IF;
}

static void h_shutdown(const struct args *a)
{
	(void)a;
	port_set(&cfg.ports[ses.port], false);
}

static void h_no_shutdown(const struct args *a)
{
	(void)a;
	port_set(&cfg.ports[ses.port], true);
}

static void h_description(const struct args *a)
{
	snprintf(cfg.ports[ses.port].descr, sizeof cfg.ports[ses.port].descr, "%s", a->rest);
}

static void h_no_description(const struct args *a)
{
	(void)a;
	cfg.ports[ses.port].descr[0] = 0;
}

static void h_mac_aging(const struct args *a)
{
	char cs[32];
	const char *argv[] = { "ip", "link", "set", "dev", cfg.bridge, "type", "bridge",
			       "ageing_time", cs, NULL };

	if (a->num < 10 || a->num > 1000000) {
		outs("% Invalid input detected at '^' marker.\r\n\r\n");
		return;
	}
	snprintf(cs, sizeof cs, "%ld", a->num * 100);
	run(argv, NULL, 0);
}

static void interface_config(struct text *t, const struct port *p)
{
	text_add(t, "interface %s", p->ios);
	if (p->descr[0])
		text_add(t, " description %s", p->descr);
	text_add(t, " switchport mode access");
	if (!port_admin_up(p))
		text_add(t, " shutdown");
	text_add(t, "!");
}

static void h_show_run_int(const struct args *a)
{
	struct text body = { 0 }, t = { 0 };

	interface_config(&body, &cfg.ports[a->port]);
	text_add(&t, "Building configuration...");
	text_add(&t, "%s", "");
	text_add(&t, "Current configuration : %zu bytes", body.len);
	text_add(&t, "!");
	text_add(&t, "%.*s", (int)body.len - 5, body.buf);
	text_add(&t, "end");
	text_add(&t, "%s", "");
	page(&t);
	free(body.buf);
	free(t.buf);
}

static void h_show_run(const struct args *a)
{
	struct text t = { 0 };

	(void)a;
	text_add(&t, "Building configuration...");
	text_add(&t, "%s", "");
	text_add(&t, "Current configuration : 4242 bytes");
	text_add(&t, "!");
	text_add(&t, "version 15.0");
	text_add(&t, "no service pad");
	text_add(&t, "service timestamps debug datetime msec");
	text_add(&t, "service timestamps log datetime msec");
	text_add(&t, "service password-encryption");
	text_add(&t, "!");
	text_add(&t, "hostname %s", cfg.hostname);
	text_add(&t, "!");
	text_add(&t, "enable secret 5 $1$lab$notarealhash000000000");
	text_add(&t, "!");
	text_add(&t, "username fencer privilege 1 secret 5 $1$lab$notarealhash000000001");
	text_add(&t, "no aaa new-model");
	text_add(&t, "system mtu routing 1500");
	text_add(&t, "ip domain-name lab.example");
	text_add(&t, "!");
	text_add(&t, "spanning-tree mode rapid-pvst");
	text_add(&t, "spanning-tree extend system-id");
	text_add(&t, "!");
	text_add(&t, "vlan internal allocation policy ascending");
	text_add(&t, "!");
	for (int i = 0; i < cfg.nports; i++)
		interface_config(&t, &cfg.ports[i]);
	text_add(&t, "interface Vlan1");
	text_add(&t, " no ip address");
	text_add(&t, "!");
	text_add(&t, "ip http server");
	text_add(&t, "ip http secure-server");
	text_add(&t, "!");
	text_add(&t, "line con 0");
	text_add(&t, "line vty 0 4");
	text_add(&t, " login local");
	text_add(&t, " transport input ssh");
	text_add(&t, "line vty 5 15");
	text_add(&t, " login local");
	text_add(&t, " transport input ssh");
	text_add(&t, "!");
	text_add(&t, "end");
	text_add(&t, "%s", "");
	page(&t);
	free(t.buf);
}

static void h_show_int(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct text t = { 0 };
	char mac[32] = "", dmac[20];
	bool admin = port_admin_up(p), oper = port_oper_up(p);

	sys_read(p->kif, "address", mac, sizeof mac);
	dotted_mac(mac, dmac, sizeof dmac);
	if (!admin)
		text_add(&t, "%s is administratively down, line protocol is down (disabled)", p->ios);
	else if (!oper)
		text_add(&t, "%s is down, line protocol is down (notconnect)", p->ios);
	else
		text_add(&t, "%s is up, line protocol is up (connected)", p->ios);
	text_add(&t, "  Hardware is Gigabit Ethernet, address is %s (bia %s)", dmac, dmac);
	if (p->descr[0])
		text_add(&t, "  Description: %s", p->descr);
	text_add(&t, "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,");
	text_add(&t, "     reliability 255/255, txload 1/255, rxload 1/255");
	text_add(&t, "  Encapsulation ARPA, loopback not set");
	text_add(&t, "  Keepalive set (10 sec)");
	text_add(&t, "  Full-duplex, 1000Mb/s, media type is 10/100/1000BaseTX");
	text_add(&t, "  input flow-control is off, output flow-control is unsupported");
	text_add(&t, "  ARP type: ARPA, ARP Timeout 04:00:00");
	text_add(&t, "  Last input never, output 00:00:01, output hang never");
	text_add(&t, "  Last clearing of \"show interface\" counters never");
	text_add(&t, "  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0");
	text_add(&t, "  Queueing strategy: fifo");
	text_add(&t, "  Output queue: 0/40 (size/max)");
	text_add(&t, "  5 minute input rate 0 bits/sec, 0 packets/sec");
	text_add(&t, "  5 minute output rate 0 bits/sec, 0 packets/sec");
	page(&t);
	free(t.buf);
}

static void mac_table(const struct args *a, bool dynamic_only)
{
	const char *argv[] = { "bridge", "fdb", "show", "br", cfg.bridge, NULL };
	static char fdb[1 << 16];
	struct text t = { 0 };
	int total = 0;

	run(argv, fdb, sizeof fdb);
	text_add(&t, "          Mac Address Table");
	text_add(&t, "-------------------------------------------");
	text_add(&t, "%s", "");
	text_add(&t, "Vlan    Mac Address       Type        Ports");
	text_add(&t, "----    -----------       --------    -----");
	for (char *save = NULL, *l = strtok_r(fdb, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char mac[32], dev[32], dmac[20], sname[32];
		const struct port *p;
		const char *v = strstr(l, " vlan ");
		bool is_static = strstr(l, " static") != NULL;

		if (sscanf(l, "%31s dev %31s", mac, dev) != 2 || !strstr(l, " master ") ||
		    strstr(l, " permanent") || (strtoul(mac, NULL, 16) & 1))
			continue;
		p = port_by_kif(dev);
		if (a && a->port >= 0 && p != &cfg.ports[a->port])
			continue;
		if (dynamic_only && is_static)
			continue;
		dotted_mac(mac, dmac, sizeof dmac);
		if (p)
			short_name(p->ios, sname, sizeof sname);
		else
			snprintf(sname, sizeof sname, "%s", dev);
		text_add(&t, "%4d    %-14s    %-8s    %s", v ? atoi(v + 6) : 1, dmac,
			 is_static ? "STATIC" : "DYNAMIC", sname);
		total++;
	}
	text_add(&t, "Total Mac Addresses for this criterion: %d", total);
	page(&t);
	free(t.buf);
}

static void h_show_mac(const struct args *a)
{
	mac_table(a, false);
}

static void h_show_mac_dyn(const struct args *a)
{
	mac_table(a, true);
}

static void h_clear_mac(const struct args *a)
{
	fdb_flush(a->port >= 0 ? &cfg.ports[a->port] : NULL);
}

/* One neighbour of `lldpcli -f keyvalue show neighbors ports X details`. */
struct lldp_nb {
	char chassis[64], port_id[64], port_descr[128], name[128], descr[256], ttl[16];
};

/* lldpcli's keyvalue lines for port kif: lldp.KIF.chassis.mac=...; a
 * neighbour starts with its .via= line. */
static int lldp_read(const char *kif, struct lldp_nb *v, int max)
{
	const char *argv[] = { "lldpcli", "-u", cfg.lldp, "-f", "keyvalue", "show", "neighbors", "ports", kif,
			       "details", NULL };
	static char buf[1 << 16];
	char prefix[64];
	int n = -1;

	run(argv, buf, sizeof buf);
	snprintf(prefix, sizeof prefix, "lldp.%s.", kif);
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *key, *val = strchr(l, '=');

		if (strncmp(l, prefix, strlen(prefix)) != 0 || !val)
			continue;
		*val++ = 0;
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
		else if (strcmp(key, "port.mac") == 0 || strcmp(key, "port.ifname") == 0 ||
			 strcmp(key, "port.local") == 0)
			snprintf(v[n].port_id, sizeof v[n].port_id, "%s", val);
		else if (strcmp(key, "port.descr") == 0)
			snprintf(v[n].port_descr, sizeof v[n].port_descr, "%s", val);
		else if (strcmp(key, "port.ttl") == 0)
			snprintf(v[n].ttl, sizeof v[n].ttl, "%s", val);
	}
	return n + 1;
}

/* A MAC as IOS prints it (aabb.ccdd.eeff); anything else as it is. */
static const char *ios_id(const char *id, char *buf, size_t size)
{
	if (strlen(id) == 17 && id[2] == ':' && id[5] == ':') {
		dotted_mac(id, buf, size);
		return buf;
	}
	return id;
}

static void h_show_lldp(const struct args *a)
{
	const struct port *p = &cfg.ports[a->port];
	struct lldp_nb nb[8];
	struct text t = { 0 };
	char sname[32], c[20], pid[20];
	int n;

	if (!cfg.lldp[0]) {
		outs("% LLDP is not enabled\r\n");
		return;
	}
	n = lldp_read(p->kif, nb, 8);
	short_name(p->ios, sname, sizeof sname);
	text_add(&t, "Capability codes:");
	text_add(&t, "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device");
	text_add(&t, "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other");
	text_add(&t, "%s", "");
	for (int i = 0; i < n; i++) {
		text_add(&t, "------------------------------------------------");
		text_add(&t, "Local Intf: %s", sname);
		text_add(&t, "Chassis id: %s", ios_id(nb[i].chassis, c, sizeof c));
		text_add(&t, "Port id: %s", ios_id(nb[i].port_id, pid, sizeof pid));
		text_add(&t, "Port Description: %s", nb[i].port_descr);
		text_add(&t, "System Name: %s", nb[i].name);
		text_add(&t, "%s", "");
		text_add(&t, "System Description: ");
		text_add(&t, "%s", nb[i].descr);
		text_add(&t, "%s", "");
		text_add(&t, "Time remaining: %s seconds", nb[i].ttl[0] ? nb[i].ttl : "120");
		text_add(&t, "System Capabilities: B,S");
		text_add(&t, "Enabled Capabilities: S");
		text_add(&t, "Management Addresses - not advertised");
		text_add(&t, "Auto Negotiation - not supported");
		text_add(&t, "Physical media capabilities - not advertised");
		text_add(&t, "Media Attachment Unit type - not advertised");
		text_add(&t, "Vlan ID: - not advertised");
		text_add(&t, "%s", "");
	}
	text_add(&t, "%s", "");
	text_add(&t, "Total entries displayed: %d", n);
	page(&t);
	free(t.buf);
}

static void h_show_version(const struct args *a)
{
	struct text t = { 0 };

	(void)a;
	text_add(&t, "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)");
	text_add(&t, "Technical Support: http://www.cisco.com/techsupport");
	text_add(&t, "Copyright (c) 1986-2017 by Cisco Systems, Inc.");
	text_add(&t, "(fencer lab emulator: the ports are Linux bridge %s)", cfg.bridge);
	text_add(&t, "%s", "");
	text_add(&t, "ROM: Bootstrap program is C2960 boot loader");
	text_add(&t, "%s uptime is 1 day, 2 hours, 3 minutes", cfg.hostname);
	text_add(&t, "System image file is \"flash:c2960-lanbasek9-mz.150-2.SE11.bin\"");
	text_add(&t, "%s", "");
	text_add(&t, "cisco WS-C2960-24TT-L (PowerPC405) processor with 65536K bytes of memory.");
	text_add(&t, "%d Gigabit Ethernet interfaces", cfg.nports);
	text_add(&t, "Configuration register is 0xF");
	page(&t);
	free(t.buf);
}

static void h_write(const struct args *a)
{
	(void)a;
	outs("Building configuration...\r\n[OK]\r\n");
}

static const struct command commands[] = {
	{ M_USER, 0, "enable", h_enable },
	{ M_PRIV, 0, "enable", h_enable },
	{ M_PRIV, 0, "disable", h_disable },
	{ M_EXEC, 0, "exit", h_exit },
	{ M_CONFS, F_EXIT, "exit", h_exit },
	{ M_EXEC, 0, "logout", h_logout },
	{ M_EXEC, 0, "quit", h_logout },
	{ M_CONFS, F_END, "end", h_end },
	{ M_EXEC, F_TERM_LEN, "terminal length <num>", h_term_len },
	{ M_EXEC, 0, "terminal width <num>", h_term_width },
	{ M_EXEC, 0, "show privilege", h_show_privilege },
	{ M_EXEC, 0, "show ip interface brief", h_show_ip_int_brief },
	{ M_PRIV, F_LEVEL15, "configure terminal", h_configure },
	{ M_CONFS, 0, "interface <if>", h_interface },
	{ M_CONF_IF, 0, "shutdown", h_shutdown },
	{ M_CONF_IF, 0, "no shutdown", h_no_shutdown },
	{ M_CONF_IF, 0, "description <rest>", h_description },
	{ M_CONF_IF, 0, "no description", h_no_description },
	{ M_CONF, F_NEW_CLEAR, "mac address-table aging-time <num>", h_mac_aging },
	{ M_CONF, 0, "mac-address-table aging-time <num>", h_mac_aging },
	{ M_EXEC, 0, "show interfaces <if>", h_show_int },
	{ M_PRIV, F_LEVEL15, "show running-config", h_show_run },
	{ M_PRIV, F_LEVEL15, "show running-config interface <if>", h_show_run_int },
	{ M_EXEC, 0, "show version", h_show_version },
	{ M_EXEC, 0, "show lldp neighbors <if> detail", h_show_lldp },
	{ M_EXEC, F_NEW_CLEAR | F_MAC, "show mac address-table", h_show_mac },
	{ M_EXEC, F_NEW_CLEAR | F_MAC, "show mac address-table dynamic", h_show_mac_dyn },
	{ M_EXEC, F_NEW_CLEAR | F_MAC, "show mac address-table interface <if>", h_show_mac },
	{ M_EXEC, F_NEW_CLEAR | F_MAC, "show mac address-table dynamic interface <if>", h_show_mac_dyn },
	{ M_EXEC, F_MAC, "show mac-address-table", h_show_mac },
	{ M_EXEC, F_MAC, "show mac-address-table dynamic", h_show_mac_dyn },
	{ M_EXEC, F_MAC, "show mac-address-table interface <if>", h_show_mac },
	{ M_EXEC, F_MAC, "show mac-address-table dynamic interface <if>", h_show_mac_dyn },
	{ M_PRIV, F_NEW_CLEAR | F_MAC | F_LEVEL15 | F_CLEAR, "clear mac address-table dynamic", h_clear_mac },
	{ M_PRIV, F_NEW_CLEAR | F_MAC | F_LEVEL15 | F_CLEAR, "clear mac address-table dynamic interface <if>",
	    h_clear_mac },
	{ M_PRIV, F_MAC | F_LEVEL15 | F_CLEAR, "clear mac-address-table dynamic", h_clear_mac },
	{ M_PRIV, F_MAC | F_LEVEL15 | F_CLEAR, "clear mac-address-table dynamic interface <if>", h_clear_mac },
	{ M_PRIV, 0, "write memory", h_write },
	{ M_PRIV, 0, "copy running-config startup-config", h_write },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The i-th space-separated token of a pattern, into buf; false past the end. */
static bool pattern_token(const char *pattern, int i, char *buf, size_t size)
{
	const char *p = pattern;

	for (; i > 0; i--) {
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
	snprintf(buf, size, "%.*s", (int)strcspn(p, " "), p);
	return true;
}

static int pattern_len(const char *pattern)
{
	int n = 1;

	for (const char *p = pattern; *p; p++)
		n += *p == ' ';
	return n;
}

static bool command_enabled(const struct command *c)
{
	if (!(c->modes & ses.mode))
		return false;
	if ((c->flags & F_NEW_CLEAR) && cfg.old_clear)
		return false;
	if ((c->flags & F_CLEAR) && cfg.no_clear)
		return false;
	if ((c->flags & F_TERM_LEN) && cfg.no_term_len)
		return false;
	if ((c->flags & F_LEVEL15) && ses.level < 15)
		return false;
	if (((c->flags & F_END) && cfg.no_end) || ((c->flags & F_EXIT) && cfg.no_exit) ||
	    ((c->flags & F_MAC) && cfg.no_mac_table))
		return false;
	return true;
}

static bool placeholder_ok(const char *tok, const char *word, struct args *a)
{
	char *end;

	if (strcmp(tok, "<if>") == 0) {
		a->port = port_lookup(word);
		return a->port >= 0;
	}
	if (strcmp(tok, "<num>") == 0) {
		a->num = strtol(word, &end, 10);
		return *word && *end == 0;
	}
	return strcmp(tok, "<rest>") == 0;
}

/* A CLI that is not quite IOS answers every refused line alike. */
static void plain_error(const char *line)
{
	outs("No such command : ");
	outs(line);
	outs("\r\n");
}

static void caret(int prompt_len, int off)
{
	char pad[LINE_MAX_LEN + 80];
	int n = prompt_len + off;

	if (n >= (int)sizeof pad - 1)
		n = (int)sizeof pad - 2;
	memset(pad, ' ', (size_t)n);
	pad[n] = '^';
	pad[n + 1] = 0;
	outs(pad);
	outs("\r\n% Invalid input detected at '^' marker.\r\n\r\n");
}

/* Split a line into words; "gi 0/1" after "interface(s)" becomes one word. */
static int split(const char *line, struct word *w)
{
	int n = 0;
	const char *p = line;

	while (n < MAX_WORDS) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " \t");
		if (n > 0 && isdigit((unsigned char)*p) && strlen(w[n - 1].text) >= 1 &&
		    strcspn(w[n - 1].text, "0123456789") == strlen(w[n - 1].text) && n > 1 &&
		    strlen(w[n - 2].text) >= 2 && strncasecmp(w[n - 2].text, "interfaces",
							       strlen(w[n - 2].text)) == 0) {
			size_t have = strlen(w[n - 1].text);
			snprintf(w[n - 1].text + have, sizeof w[n - 1].text - have, "%.*s",
				 (int)len, p);
		} else {
			snprintf(w[n].text, sizeof w[n].text, "%.*s", (int)len, p);
			w[n].off = (int)(p - line);
			n++;
		}
		p += len;
	}
	return n;
}

static void prompt_string(char *buf, size_t size)
{
	switch (ses.mode) {
	case M_USER: snprintf(buf, size, "%s>", cfg.hostname); break;
	case M_PRIV: snprintf(buf, size, "%s#", cfg.hostname); break;
	case M_CONF: snprintf(buf, size, "%s(config)#", cfg.hostname); break;
	case M_CONF_IF: snprintf(buf, size, "%s(config-if)#", cfg.hostname); break;
	}
}

/* Match the words against the command table, IOS style, and run the match. */
static void execute(const char *line, int prompt_len)
{
	struct word w[MAX_WORDS];
	bool alive[NCOMMANDS];
	struct args a = { .port = -1 };
	int n = split(line, w), rest_at = -1;

	if (n == 0)
		return;
	for (size_t c = 0; c < NCOMMANDS; c++)
		alive[c] = command_enabled(&commands[c]);
	for (int i = 0; i < n; i++) {
		char tok[64], first_kw[64] = "";
		bool exact = false, any = false, ambiguous = false;

		for (size_t c = 0; c < NCOMMANDS; c++)
			if (alive[c] && pattern_token(commands[c].pattern, i, tok, sizeof tok) &&
			    strcasecmp(tok, w[i].text) == 0)
				exact = true;
		for (size_t c = 0; c < NCOMMANDS; c++) {
			if (!alive[c])
				continue;
			if (!pattern_token(commands[c].pattern, i, tok, sizeof tok)) {
				alive[c] = strstr(commands[c].pattern, "<rest>") != NULL;
			} else if (tok[0] == '<') {
				alive[c] = placeholder_ok(tok, w[i].text, &a);
				if (alive[c] && strcmp(tok, "<rest>") == 0 && rest_at < 0)
					rest_at = i;
			} else if (exact) {
				alive[c] = strcasecmp(tok, w[i].text) == 0;
			} else {
				alive[c] = strncasecmp(tok, w[i].text, strlen(w[i].text)) == 0;
				if (alive[c] && first_kw[0] && strcasecmp(first_kw, tok) != 0)
					ambiguous = true;
				if (alive[c] && !first_kw[0])
					snprintf(first_kw, sizeof first_kw, "%s", tok);
			}
			any |= alive[c];
		}
		if (!any && cfg.plain_errors) {
			plain_error(line);
			return;
		}
		if (!any) {
			caret(prompt_len, w[i].off);
			return;
		}
		if (ambiguous && cfg.plain_errors) {
			plain_error(line);
			return;
		}
		if (ambiguous) {
			outs("% Ambiguous command: \"");
			outs(line);
			outs("\"\r\n");
			return;
		}
	}
	if (rest_at >= 0)
		a.rest = line + w[rest_at].off;
	for (size_t c = 0; c < NCOMMANDS; c++) {
		int len = pattern_len(commands[c].pattern);

		if (alive[c] && (len == n || (rest_at >= 0 && len == rest_at + 1))) {
			if (cfg.delay_ms > 0) {
				struct timespec t0;

				clock_gettime(CLOCK_MONOTONIC, &t0);
				sleep_ms(cfg.delay_ms);
				log_line("event\tanswer after %ld ms", ms_since(&t0));
			}
			commands[c].run(&a);
			return;
		}
	}
	if (cfg.plain_errors)
		plain_error(line);
	else
		outs("% Incomplete command.\r\n\r\n");
}

/* ---- configuration and main loop -------------------------------------- */

static void read_secret(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	if (fgets(cfg.secret, sizeof cfg.secret, f)) {
		cfg.secret[strcspn(cfg.secret, "\r\n")] = 0;
		cfg.has_secret = true;
	}
	fclose(f);
}

static void config_line(char *line)
{
	char *v = strchr(line, '=');

	line[strcspn(line, "\r\n")] = 0;
	if (!v || line[0] == '#')
		return;
	*v++ = 0;
	if (strcmp(line, "hostname") == 0)
		snprintf(cfg.hostname, sizeof cfg.hostname, "%s", v);
	else if (strcmp(line, "bridge") == 0)
		snprintf(cfg.bridge, sizeof cfg.bridge, "%s", v);
	else if (strcmp(line, "enable-secret-file") == 0)
		read_secret(v);
	else if (strcmp(line, "log") == 0)
		snprintf(cfg.log, sizeof cfg.log, "%s", v);
	else if (strcmp(line, "lldp") == 0)
		snprintf(cfg.lldp, sizeof cfg.lldp, "%s", v);
	else if (strcmp(line, "privilege") == 0) {
		cfg.level = atoi(v);
		cfg.privileged = cfg.level >= 2;
	}
	else if (strcmp(line, "length") == 0)
		cfg.length = atoi(v);
	else if (strcmp(line, "delay-ms") == 0)
		cfg.delay_ms = atoi(v);
	else if (strcmp(line, "login-delay-ms") == 0)
		cfg.login_delay_ms = atoi(v);
	else if (strcmp(line, "fault") == 0) {
		cfg.ignore_shutdown |= strcmp(v, "ignore-shutdown") == 0;
		cfg.ignore_no_shutdown |= strcmp(v, "ignore-no-shutdown") == 0;
		cfg.old_clear |= strcmp(v, "old-clear") == 0;
		cfg.no_clear |= strcmp(v, "no-clear") == 0;
		cfg.no_term_len |= strcmp(v, "no-terminal-length") == 0;
		cfg.hang |= strcmp(v, "hang") == 0;
		cfg.no_end |= strcmp(v, "no-end") == 0;
		cfg.no_exit |= strcmp(v, "no-exit") == 0;
		cfg.no_mac_table |= strcmp(v, "no-mac-table") == 0;
		cfg.plain_errors |= strcmp(v, "plain-errors") == 0;
	} else if (strcmp(line, "port") == 0 && cfg.nports < MAX_PORTS) {
		struct port *p = &cfg.ports[cfg.nports];
		if (sscanf(v, "%63s %15s", p->ios, p->kif) == 2)
			cfg.nports++;
	}
}

static int load_config(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	snprintf(cfg.hostname, sizeof cfg.hostname, "Switch");
	snprintf(cfg.bridge, sizeof cfg.bridge, "br0");
	if (!f) {
		fprintf(stderr, "iosemu: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f))
		config_line(line);
	fclose(f);
	return 0;
}

static void hang(void)
{
	log_line("event\thang");
	while (read_byte() >= 0)
		;
	exit(0);
}

static void session(void)
{
	char line[LINE_MAX_LEN], prompt[128];

	ses.mode = cfg.privileged ? M_PRIV : M_USER;
	ses.level = !cfg.privileged ? 1 : cfg.level > 15 ? 15 : cfg.level;
	ses.term_len = cfg.length > 0 ? cfg.length : 24;
	ses.term_width = 80;
	log_line("event\tlogin");
	sleep_ms(cfg.login_delay_ms);
	log_line("event\tprompt after %ld ms", ms_since(&started));
	outs("\r\n");
	while (!ses.done) {
		int r;

		prompt_string(prompt, sizeof prompt);
		outs(prompt);
		r = read_line(line, sizeof line, true);
		if (r == LINE_EOF)
			break;
		if (r == LINE_CTRL_Z || r == LINE_CTRL_C) {
			if ((ses.mode & M_CONFS) && r == LINE_CTRL_Z)
				ses.mode = M_PRIV;
			log_line("%s\t^%c", prompt, r == LINE_CTRL_Z ? 'Z' : 'C');
			continue;
		}
		log_line("%s\t%s", prompt, line);
		execute(line, (int)strlen(prompt));
	}
	log_line("event\tlogout");
}

int main(int argc, char **argv)
{
	const char *conf = getenv("IOSEMU_CONFIG");
	int opt;

	clock_gettime(CLOCK_MONOTONIC, &started);
	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt == 'c')
			conf = optarg;
		else {
			fprintf(stderr, "usage: iosemu -c FILE\n");
			return 2;
		}
	}
	if (!conf || load_config(conf) < 0)
		return 2;
	tty_raw();
	if (cfg.hang)
		hang();
	session();
	return 0;
}
