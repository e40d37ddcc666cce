/* box state ID: the container's OCI state, as JSON on stdout (what podman
 * and containerd's shim read; runtime-spec "State"). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "runtime.h"
#include "status.h"

int verb_state(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("state", "");
			return 0;
		}
		verb_bad_option("state", argv, option);
	}
	if (optind + 1 != argc)
		verb_usage_error("state", "expected one container ID");
	struct container_state s;
	if (state_peek(rt, argv[optind], &s) < 0) {
		state_close(&s);
		die_with_error();
	}
	json_t *state = state_json(&s, state_status(&s));
	state_close(&s);
	if (!state || json_dumpf(state, stdout, JSON_INDENT(2)) < 0)
		die("state: out of memory");
	putchar('\n');
	json_decref(state);
	return 0;
}
