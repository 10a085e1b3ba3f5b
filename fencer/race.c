/* The fence race: the rule, and one switch's part of a claim as a step
 * machine (race.h says why; docs/split-brain.md says what users see). */
#include <stdio.h>
#include <string.h>

#include "fencer/config.h"
#include "fencer/race.h"

bool race_outranks(const struct node_config *me, const struct node_config *peer)
{
	if (me->priority != peer->priority)
		return me->priority > peer->priority;
	return strcmp(me->name, peer->name) < 0;
}

const char *race_role_name(enum race_role role)
{
	switch (role) {
	case RACE_WINS:
		return "wins a race";
	case RACE_YIELDS:
		return "yields in a race";
	case RACE_WATCHES:
		return "watches";
	}
	return "?";
}

void race_init(struct race *r, enum race_role role, long window_ms)
{
	*r = (struct race){ .role = role, .window_ms = window_ms };
	r->watch_ms = window_ms;
	r->poll_ms = window_ms / 8 > 0 ? window_ms / 8 : 1;
}

void race_watch_start(struct race *r, long now, long latest)
{
	r->watch_ms = r->window_ms;
	if (r->slowest_ms * RACE_SLOW_FACTOR > r->watch_ms)
		r->watch_ms = r->slowest_ms * RACE_SLOW_FACTOR;
	if (r->login_ms > r->watch_ms)
		r->watch_ms = r->login_ms;
	/* Eight rounds a window: a peer's write is seen within an eighth of it. */
	r->poll_ms = r->watch_ms / 8 > 0 ? r->watch_ms / 8 : 1;
	r->latest = latest > 0 ? latest : 1;	/* 0 means "not started" */
	r->watch_until = now + r->watch_ms < r->latest ? now + r->watch_ms : r->latest;
	if (r->watch_until <= 0)
		r->watch_until = 1;
}

/* A whole window from now, if the watch has started. */
static void extend_watch(struct race *r, long now)
{
	long until = now + r->watch_ms < r->latest ? now + r->watch_ms : r->latest;

	if (r->watch_until && r->watch_until < until)
		r->watch_until = until;
}

void claim_init(struct claim *c, const char *sw, struct claim_port *ports, size_t n)
{
	*c = (struct claim){ .sw = sw, .ports = ports, .n = n, .stage = CLAIM_SETTING };
	for (size_t i = 0; i < n; i++) {
		ports[i].set_ok = ports[i].read_ok = ports[i].verified = ports[i].was_held = false;
		ports[i].seen = ports[i].before = PORT_UNKNOWN;
	}
}

bool claim_port_held(const struct claim *c, size_t i)
{
	const struct claim_port *p = &c->ports[i];

	return p->set_ok && p->read_ok && p->seen == p->want;
}

void claim_describe(const struct claim *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->n && off < len; i++) {
		const struct claim_port *p = &c->ports[i];
		int w;

		if (!p->set_ok || claim_port_held(c, i))
			continue;
		w = snprintf(buf + off, len - off, "%s%s %s (want %s)", off ? ", " : "", p->port,
		    p->read_ok ? port_state_name(p->seen) : "unread", port_state_name(p->want));
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* ---- one round of reads, judged --------------------------------------- */

enum round { ROUND_CLEAN, ROUND_PARTIAL, ROUND_PEER };

/* ROUND_PEER: the peer's whole claim on this switch, every port of the
 * peer up and every one of ours down, and more than a switch that ignores
 * the command would show: ports of both nodes are wrong, or a port changed
 * after it was read as claimed. Anything short of it may be a write in
 * flight, a port that ignores the command, or somebody's fence. */
static enum round judge(const struct claim *c)
{
	bool clean = true, peer_up = true, own_down = true, any_peer = false, any_own = false, flipped = false;

	for (size_t i = 0; i < c->n; i++) {
		const struct claim_port *p = &c->ports[i];

		if (!p->set_ok)
			continue;
		clean = clean && claim_port_held(c, i);
		flipped = flipped || (p->was_held && !claim_port_held(c, i));
		if (p->peer) {
			any_peer = true;
			peer_up = peer_up && p->read_ok && p->seen == PORT_UP;
		} else {
			any_own = true;
			own_down = own_down && p->read_ok && p->seen == PORT_DOWN;
		}
	}
	if (clean)
		return ROUND_CLEAN;
	return peer_up && own_down && ((any_peer && any_own) || flipped) ? ROUND_PEER : ROUND_PARTIAL;
}

/* A port verified at the first read-back and not as claimed now. */
static bool moved(const struct claim *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ports[i].verified && !claim_port_held(c, i))
			return true;
	return false;
}

/* The round after a re-assert: a port as wrong as before it. */
static bool in_vain(const struct claim *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ports[i].wrong && !claim_port_held(c, i))
			return true;
	return false;
}

static bool any_accepted(const struct claim *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->ports[i].set_ok)
			return true;
	return false;
}

static void start_round(struct claim *c, enum claim_stage stage)
{
	c->stage = stage;
	c->i = 0;
	while (c->i < c->n && !c->ports[c->i].set_ok)
		c->i++;
}

/* The next round of reads, after a pause. */
static void rest(struct claim *c, const struct race *r, long now)
{
	start_round(c, CLAIM_WATCHING);
	c->resting = true;
	c->pause_until = now + r->poll_ms;
}

static bool watch_over(const struct race *r, long now)
{
	return r->watch_until && now >= r->watch_until;
}

/* Write every port again, the peer's first; the watch goes on for a whole
 * window after it, for the peer to see it and stand down. */
static enum claim_event reassert(struct claim *c, struct race *r, long now)
{
	for (size_t i = 0; i < c->n; i++)
		c->ports[i].wrong = !claim_port_held(c, i);
	c->reasserts++;
	if (r->role == RACE_WINS)
		r->reasserts++;
	extend_watch(r, now);
	c->stage = CLAIM_SETTING;
	c->i = 0;
	return CLAIM_REASSERT;
}

static enum claim_event lose(struct claim *c, struct race *r)
{
	char what[200];

	claim_describe(c, what, sizeof what);
	if (!r->lost)
		snprintf(r->evidence, sizeof r->evidence, "%s: %s", c->sw, what);
	r->lost = r->stop = true;
	c->stage = CLAIM_OVER;
	return CLAIM_LOST;
}

/* The watch is over for this switch, for now: the claim waits for the
 * coordinator. The read-back after activation is the last one. */
static enum claim_event watched(struct claim *c, struct race *r)
{
	if (c->stage == CLAIM_FINAL)
		c->stage = r->flush_wanted ? CLAIM_FLUSHING : CLAIM_OVER;
	else
		c->stage = CLAIM_WAITING;
	return CLAIM_WATCHED;
}

static enum claim_event verdict(struct claim *c, struct race *r, long now)
{
	c->verdict = true;
	for (size_t i = 0; i < c->n; i++)
		c->ports[i].verified = claim_port_held(c, i);
	if (!any_accepted(c)) {		/* every command refused: nothing to watch */
		c->stage = CLAIM_OVER;
		return CLAIM_VERDICT;
	}
	rest(c, r, now);
	return CLAIM_VERDICT;
}

/* Something is writing: the watch lasts until the ports are quiet. */
static void note_changes(struct claim *c, struct race *r, long now)
{
	bool changed = false;

	for (size_t i = 0; i < c->n; i++) {
		struct claim_port *p = &c->ports[i];

		if (p->set_ok && p->seen != p->before)
			changed = true;
		p->before = p->seen;
	}
	if (changed && c->verdict)
		extend_watch(r, now);
}

static enum claim_event round_end(struct claim *c, struct race *r, long now)
{
	enum round seen = judge(c);

	note_changes(c, r, now);
	if (c->reasserts && c->stage == CLAIM_VERIFYING && in_vain(c))
		c->in_vain++;
	/* The winner answers every change; the other node writes once more,
	 * and once only, what did not hold at its first read-back: a switch that ignored the
	 * command ignores it again, while a peer that wrote in between answers
	 * the write, and that answer is what shows the peer's claim on a
	 * switch that carries only one node's ports. */
	if (seen != ROUND_CLEAN && c->in_vain < RACE_MAX_IN_VAIN && c->reasserts < RACE_MAX_REASSERTS &&
	    any_accepted(c) && (r->role == RACE_WINS ||
	    (r->role == RACE_YIELDS && !c->verdict && !c->reasserts)))
		return reassert(c, r, now);
	if (r->role == RACE_YIELDS && seen == ROUND_PEER)
		return lose(c, r);
	if (!c->verdict)
		return verdict(c, r, now);
	if (r->role == RACE_WATCHES && moved(c)) {
		c->changed = true;
		c->stage = CLAIM_OVER;
		return CLAIM_CHANGED;
	}
	if (c->stage == CLAIM_FINAL || watch_over(r, now))
		return watched(c, r);
	rest(c, r, now);
	return CLAIM_NOTHING;
}

/* ---- the machine -------------------------------------------------------- */

static struct claim_step step(enum claim_act act, size_t port, long until)
{
	return (struct claim_step){ .act = act, .port = port, .until = until };
}

/* Watched: another switch's change extended the watch (watch again, at
 * once), or the coordinator's word: activated (read back once more),
 * flush, or stop. */
static struct claim_step after_watch(struct claim *c, struct race *r, long now)
{
	bool waiting = r->role == RACE_YIELDS ? !r->activated : !r->flush_go;

	if (waiting && r->watch_until && now < r->watch_until) {
		start_round(c, CLAIM_WATCHING);
		return step(CLAIM_GET, c->i, 0);
	}
	if (r->role == RACE_YIELDS && r->activated) {
		start_round(c, CLAIM_FINAL);
		return step(CLAIM_GET, c->i, 0);
	}
	if (r->role == RACE_WINS && r->flush_go) {
		c->stage = CLAIM_FLUSHING;
		return step(CLAIM_FLUSH, 0, 0);
	}
	return step(CLAIM_WAIT, 0, 0);
}

struct claim_step claim_next(struct claim *c, struct race *r, long now)
{
	if (r->stop)
		c->stage = CLAIM_OVER;
	switch (c->stage) {
	case CLAIM_SETTING:
	case CLAIM_VERIFYING:
	case CLAIM_FINAL:
		return step(c->stage == CLAIM_SETTING ? CLAIM_SET : CLAIM_GET, c->i, 0);
	case CLAIM_WATCHING:
		/* Between rounds, unless the watch is over: then the last
		 * round, at once, is the read-back the result rests on. */
		if (c->resting) {
			long until = c->pause_until;

			if (r->watch_until && r->watch_until < until)
				until = r->watch_until;
			if (now < until)
				return step(CLAIM_PAUSE, 0, until);
			c->resting = false;
		}
		return step(CLAIM_GET, c->i, 0);
	case CLAIM_WAITING:
		return after_watch(c, r, now);
	case CLAIM_FLUSHING:
		if (c->flushed || !r->flush_wanted)
			break;
		return step(r->flush_go ? CLAIM_FLUSH : CLAIM_WAIT, 0, 0);
	case CLAIM_OVER:
		break;
	}
	c->stage = CLAIM_OVER;
	return step(CLAIM_DONE, 0, 0);
}

enum claim_event claim_done(struct claim *c, struct race *r, long now, long took_ms, bool ok,
    enum port_state seen)
{
	if (took_ms > r->slowest_ms)
		r->slowest_ms = took_ms;
	if (c->stage == CLAIM_OVER || c->i >= c->n)
		return CLAIM_NOTHING;		/* stopped meanwhile */
	if (c->stage == CLAIM_SETTING) {
		c->ports[c->i].set_ok = ok;
		c->ports[c->i].was_held = false;
		if (++c->i < c->n)
			return CLAIM_NOTHING;
		start_round(c, CLAIM_VERIFYING);
		return c->i < c->n ? CLAIM_NOTHING : round_end(c, r, now);
	}
	c->ports[c->i].read_ok = ok;
	c->ports[c->i].seen = ok ? seen : PORT_UNKNOWN;
	if (claim_port_held(c, c->i))
		c->ports[c->i].was_held = true;
	c->i++;
	while (c->i < c->n && !c->ports[c->i].set_ok)
		c->i++;
	return c->i < c->n ? CLAIM_NOTHING : round_end(c, r, now);
}

void claim_flush_done(struct claim *c)
{
	c->flushed = true;
	c->stage = CLAIM_OVER;
}
