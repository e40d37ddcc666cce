/* box events [--stats] [--interval N] ID: the container's cgroup
 * statistics, as runc prints them: {"type":"stats","id":ID,"data":{...}}.
 * --stats prints one and exits; otherwise one every N seconds (default 5)
 * until the container stops. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "resources.h"
#include "runtime.h"
#include "status.h"

static int stats_print(const struct container_state *s)
{
	struct cgroup *cg = s->cgroup_path[0] ? cgroup_open_at(s->cgroup_path, container_controllers) : NULL;
	if (!cg)
		return error_set("container %s has no cgroup", s->id);
	json_t *data = resources_stats(cg);
	free(cg);
	if (!data)
		return -1;
	json_t *event = json_pack("{s:s, s:s, s:o}", "type", "stats", "id", s->id, "data", data);
	if (!event || json_dumpf(event, stdout, JSON_COMPACT) < 0)
		return error_set("events: out of memory");
	json_decref(event);
	putchar('\n');
	fflush(stdout);
	return 0;
}

int verb_events(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "stats", no_argument, NULL, 's' },
						 { "interval", required_argument, NULL, 'i' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	bool once = false;
	long interval = 5;
	int option;
	char *end;

	while ((option = getopt_long_only(argc, argv, "+:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("events", "  --stats                 print the statistics once\n"
					    "  --interval SECONDS      between two (default 5)\n");
			return 0;
		}
		if (option == 's') {
			once = true;
		} else if (option == 'i') {
			errno = 0;
			interval = strtol(optarg, &end, 10);
			/* runc's are Go durations: "5s" too. */
			if (end == optarg || (*end && strcmp(end, "s") != 0) || errno || interval < 1 || interval > 3600)
				verb_usage_error("events", "--interval: \"%s\" is not a number of seconds (1 to 3600)", optarg);
		} else {
			verb_bad_option("events", argv, option);
		}
	}
	if (optind + 1 != argc)
		verb_usage_error("events", "expected one container ID");
	for (;;) {
		struct container_state s;
		int status = state_peek(rt, argv[optind], &s);
		enum container_status now = status == 0 ? state_status(&s) : STATUS_STOPPED;
		if (status == 0 && now == STATUS_STOPPED && !once)
			status = 1; /* the end of the stream */
		else if (status == 0)
			status = stats_print(&s);
		state_close(&s);
		if (status < 0)
			die_with_error();
		if (status > 0 || once)
			return 0;
		sleep((unsigned)interval);
	}
}
