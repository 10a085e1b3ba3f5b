/* The fence-agent option syntax (ClusterLabs fence-agents): key=value lines
 * on stdin, or --key=value / -o / -n on the command line. Pure: tested and
 * fuzzed apart from the actions. */
#ifndef FENCER_AGENT_PARSE_H
#define FENCER_AGENT_PARSE_H

#include <stddef.h>

#define AGENT_LINE_MAX 4095		/* bytes of one stdin line, newline excluded */
#define AGENT_INPUT_MAX (1024 * 1024)	/* of the whole stdin */

struct agent_opts {
	char action[32];
	char port[128];		/* a fencer node, SWITCH:PORT or SWITCH PORT */
	char config[1024];
	char nodename[128];
	int verbose;
	int bad_lines;		/* malformed lines seen (reported, skipped) */
};

void agent_opts_init(struct agent_opts *);
/* One stdin line. Blank lines and # comments are skipped, unknown keys are
 * ignored, a repeated key wins. -1 for a line that is not key=value or a
 * value too long or holding control characters. */
int agent_parse_line(struct agent_opts *, const char *line);
/* The whole stdin, split at newlines. A line longer than AGENT_LINE_MAX or
 * holding a NUL byte is refused whole (counted in bad_lines): cut into
 * pieces, its tail would read as a line of its own. Returns the number of
 * lines refused. */
int agent_parse_input(struct agent_opts *, const char *data, size_t len);
/* Command-line options; -1 on an unknown option or a missing value. */
int agent_parse_args(struct agent_opts *, int argc, char **argv);

#endif
