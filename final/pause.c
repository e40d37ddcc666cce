/* box pause ID, box resume ID: the freezer. Every process of the
 * container's cgroup stops where it is (no signal it could catch or
 * see), and goes on from there when thawed: cgroup v1's freezer.state,
 * v2's cgroup.freeze. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "resources.h"
#include "runtime.h"
#include "status.h"

static int freeze(const struct runtime *rt, const char *verb, int argc, char **argv, bool frozen)
{
	static const struct option options[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help(verb, "");
			return 0;
		}
		verb_bad_option(verb, argv, option);
	}
	if (optind + 1 != argc)
		verb_usage_error(verb, "expected one container ID");
	struct container_state s;
	struct cgroup *cg = NULL;
	int status = state_open(rt, argv[optind], &s);
	if (status == 0) {
		enum container_status now = state_status(&s);
		enum container_status from = frozen ? STATUS_RUNNING : STATUS_PAUSED;
		if (now != from)
			status = error_set("container %s is %s, not %s", s.id, status_name(now), status_name(from));
		else if (!(cg = s.cgroup_path[0] ? cgroup_open_at(s.cgroup_path, container_controllers) : NULL))
			status = error_set("container %s has no cgroup to freeze", s.id);
		else
			status = freezer_set(cg, frozen);
	}
	free(cg);
	state_close(&s);
	if (status < 0)
		die_with_error();
	return 0;
}

int verb_pause(const struct runtime *rt, int argc, char **argv)
{
	return freeze(rt, "pause", argc, argv, true);
}

int verb_resume(const struct runtime *rt, int argc, char **argv)
{
	return freeze(rt, "resume", argc, argv, false);
}
