/* The fence-agent option syntax (ClusterLabs fence-agents): key=value lines
 * on stdin, or --key=value / -o / -n on the command line. Pure: tested and
 * fuzzed apart from the actions. */
#ifndef FENCER_AGENT_PARSE_H
#define FENCER_AGENT_PARSE_H

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
/* Command-line options; -1 on an unknown option or a missing value. */
int agent_parse_args(struct agent_opts *, int argc, char **argv);

#endif
