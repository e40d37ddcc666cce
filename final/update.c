/* box update --resources FILE|- ID: new limits for a running container, as
 * an OCI linux.resources object (what podman and containerd send). Only
 * what the object sets is written. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "report.h"
#include "resources.h"
#include "runtime.h"
#include "status.h"

int verb_update(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "resources", required_argument, NULL, 'r' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *file = NULL;
	int option;

	while ((option = getopt_long_only(argc, argv, "+:r:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("update", "  --resources FILE|-      the new linux.resources (JSON), - for stdin\n");
			return 0;
		}
		if (option != 'r')
			verb_bad_option("update", argv, option);
		file = optarg;
	}
	if (!file)
		verb_usage_error("update", "--resources FILE|- is needed");
	if (optind + 1 != argc)
		verb_usage_error("update", "expected one container ID");
	json_error_t failure;
	json_t *object = strcmp(file, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &failure)
						: json_load_file(file, JSON_REJECT_DUPLICATES, &failure);
	if (!object)
		die("--resources %s: line %d: %s", file, failure.line, failure.text);
	if (!json_is_object(object))
		die("--resources %s: expected a JSON object", file);
	struct resources resources;
	struct container_state s;
	struct cgroup *cg = NULL;
	config_resources_init(&resources);
	int status = config_resources_from_json(object, "resources", &resources);
	if (status == 0)
		status = state_open(rt, argv[optind], &s);
	if (status == 0) {
		enum container_status now = state_status(&s);
		if (now == STATUS_STOPPED || now == STATUS_CREATING)
			status = error_set("container %s is %s", s.id, status_name(now));
		else if (!(cg = s.cgroup_path[0] ? cgroup_open_at(s.cgroup_path, container_controllers) : NULL))
			status = error_set("container %s has no cgroup", s.id);
		else if (resources.devices_set)
			status = error_set("--resources: devices: box does not change a running container's devices");
		else
			status = resources_apply(cg, &resources);
		state_close(&s);
	}
	free(cg);
	config_resources_free(&resources);
	json_decref(object);
	if (status < 0)
		die_with_error();
	return 0;
}
