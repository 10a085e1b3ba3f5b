/* The fence race (docs/split-brain.md). Both nodes of a pair may promote
 * at the same moment, each writing the same ports the other way; a switch
 * offers nothing to lock, and a read-back is true only for an instant. So a
 * claim (the peer's ports down, this node's up) is watched after it is
 * verified, for a window long enough for a racing peer to write and to see
 * the answer, and one rule decides:
 *
 *   - the node that outranks its peer (higher priority, then the name that
 *     sorts first) activates at once and re-asserts its claim wherever the
 *     peer's writes show;
 *   - the other node activates only after a quiet window, reads every port
 *     once more after activating, and stands down as soon as the peer's
 *     whole claim shows on a switch;
 *   - fence, unfence and fence_fencer never re-assert: they report what
 *     still held at the end of the window.
 *
 * A watch ends when the ports have been quiet for the window: any change
 * a round sees starts the window again (within the deadline), on every
 * switch: one that was done watching watches again. The coordinator acts
 * only once every switch is watched: the node that yields activates, the
 * node that wins flushes, a manual command stops.
 *
 * Each switch's part is a step machine (struct claim): it says which port
 * to write or read next and is told the answers and the time. It does no
 * I/O and reads no clock, so the engine's worker threads drive it against
 * real switches and the unit tests drive two nodes' machines against one
 * switch model over many interleavings. The caller serialises access to a
 * race and its claims. */
#ifndef FENCER_RACE_H
#define FENCER_RACE_H

#include <stdbool.h>
#include <stddef.h>

#include "fencer/driver.h"

struct node_config;

/* A claim watches at least this many times the slowest switch operation
 * of its run: a peer on the same switches needs about as long to write,
 * and its answer as long again. And at least as long as its slowest login:
 * a peer whose login to the same switch takes up to twice as long still
 * writes inside the watch. */
#define RACE_SLOW_FACTOR 3
/* A re-assert is in vain when a port it wrote reads as wrong as before:
 * the switch ignores the command, or the peer wrote it again (a racing
 * peer writes each port twice at most: its fence, and one retry). After
 * this many, the port is reported unverified instead. */
#define RACE_MAX_IN_VAIN 3
/* And at most this many re-asserts per switch in all: two nodes that both
 * believe they outrank the other (priorities that differ between their
 * configurations) would otherwise write against each other until the
 * deadline. */
#define RACE_MAX_REASSERTS 16

enum race_role {
	RACE_WINS,	/* promote of the node that wins a race */
	RACE_YIELDS,	/* promote of the node that loses one */
	RACE_WATCHES,	/* fence, unfence, fence_fencer: report, never re-assert */
};

/* One run's claim, shared by its switches. */
struct race {
	enum race_role role;
	long window_ms;		/* the configured least watch (race-window) */
	long slowest_ms;	/* the slowest switch operation so far */
	long login_ms;		/* the slowest connection and login */
	long watch_ms;		/* the watch this run uses: see race_watch_start */
	long poll_ms;		/* pause between two read rounds */
	long watch_until;	/* 0 until every switch has its verdict */
	long latest;		/* the watch ends by then, come what may */
	bool flush_wanted;	/* a promote: flush once told to */
	bool flush_go;		/* the coordinator: every switch is watched, flush */
	bool activated;		/* RACE_YIELDS: active now; read back once more */
	bool stop;		/* end every claim now (abort, lost, the end) */
	bool lost;		/* RACE_YIELDS: the peer's claim showed */
	char evidence[256];	/* what showed, for the journal: "a: Gi0/2 UP, Gi0/3 DOWN" */
	unsigned reasserts;	/* RACE_WINS: re-asserts, all switches */
};

struct claim_port {
	const char *port;
	enum port_state want;
	bool peer;		/* the peer's port (wanted down), not this node's */
	bool set_ok;		/* the last command for it was accepted */
	bool read_ok;		/* the last read of it answered */
	enum port_state seen;	/* what that read said */
	bool verified;		/* held at the first read-back */
	bool was_held;		/* held at some read since it was last written */
	enum port_state before;	/* what the round before read */
	bool wrong;		/* not as claimed when it was last re-asserted */
};

enum claim_stage {
	CLAIM_SETTING,		/* writing every port, the peer's first */
	CLAIM_VERIFYING,	/* reading back what was just written */
	CLAIM_WATCHING,		/* reading again and again until the watch ends */
	CLAIM_WAITING,		/* watched; waiting for the coordinator, or
				 * watching again if another switch's change
				 * extended the watch */
	CLAIM_FINAL,		/* RACE_YIELDS: the read-back after activation */
	CLAIM_FLUSHING,		/* the flush, once the coordinator says go */
	CLAIM_OVER,
};

/* One switch's part of a claim. */
struct claim {
	const char *sw;
	struct claim_port *ports;	/* in writing order: the peer's first */
	size_t n;
	enum claim_stage stage;
	size_t i;			/* the port being written or read */
	bool resting;			/* WATCHING: between two rounds */
	long pause_until;		/* and the next one starts then */
	bool verdict;			/* the first read-back is in */
	bool changed;			/* RACE_WATCHES: a port moved after it was verified */
	bool flushed;
	unsigned reasserts;
	unsigned in_vain;		/* re-asserts that changed nothing */
};

enum claim_act { CLAIM_SET, CLAIM_GET, CLAIM_PAUSE, CLAIM_WAIT, CLAIM_FLUSH, CLAIM_DONE };

/* What to do next: SET or GET ports[port] (SET to its want); PAUSE until
 * `until` (monotonic ms) unless woken; WAIT until woken (by the run's
 * coordinator); FLUSH this switch's MAC table; DONE. */
struct claim_step {
	enum claim_act act;
	size_t port;
	long until;
};

/* What a finished operation meant, for the journal. */
enum claim_event {
	CLAIM_NOTHING,
	CLAIM_VERDICT,		/* the first read-back is in: the fence's result */
	CLAIM_REASSERT,		/* RACE_WINS: another writer's change; writing again */
	CLAIM_LOST,		/* RACE_YIELDS: the peer's whole claim showed */
	CLAIM_CHANGED,		/* a port moved after it was verified */
	CLAIM_WATCHED,		/* the watch ended with the claim held */
};

/* Does `me` win a race against `peer`? The higher priority; on a tie, the
 * name that sorts first. */
bool race_outranks(const struct node_config *me, const struct node_config *peer);
void race_init(struct race *, enum race_role, long window_ms);
/* Every switch has its verdict (or was given up): start the watch, to end
 * by `latest` (monotonic ms) at the latest. */
void race_watch_start(struct race *, long now, long latest);
const char *race_role_name(enum race_role);

void claim_init(struct claim *, const char *sw, struct claim_port *, size_t n);
struct claim_step claim_next(struct claim *, struct race *, long now);
/* The answer to the SET or GET claim_next asked for: `ok` whether the
 * switch answered without error, `seen` what a GET read, `took_ms` how long
 * the operation took. */
enum claim_event claim_done(struct claim *, struct race *, long now, long took_ms, bool ok,
    enum port_state seen);
void claim_flush_done(struct claim *);
/* Is port i as claimed, by the last read of it? */
bool claim_port_held(const struct claim *, size_t i);
/* "Gi0/2 UP (want DOWN), Gi0/3 DOWN (want UP)": the ports not as claimed. */
void claim_describe(const struct claim *, char *buf, size_t len);

#endif
