/* box ps [--format table|json] ID: the container's processes, by its
 * cgroup: as JSON, the array of host PIDs containerd's shim reads; as a
 * table, each one's PID, user and command line. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "report.h"
#include "resources.h"
#include "runtime.h"
#include "status.h"

static void process_line(pid_t pid)
{
	char path[64], command[4096] = "";
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	size_t n = f ? fread(command, 1, sizeof(command) - 1, f) : 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (!command[i])
			command[i] = ' ';
	command[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d", pid);
	const struct passwd *user = stat(path, &st) == 0 ? getpwuid(st.st_uid) : NULL;
	printf("%-8d %-10s %s\n", pid, user ? user->pw_name : "?", command);
}

int verb_ps(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "format", required_argument, NULL, 'f' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *format = "table";
	int option;

	while ((option = getopt_long_only(argc, argv, "+:f:", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("ps", "  --format table|json     (default table)\n");
			return 0;
		}
		if (option == 'f' && (strcmp(optarg, "table") == 0 || strcmp(optarg, "json") == 0))
			format = optarg;
		else
			option == 'f' ? verb_usage_error("ps", "--format: table or json") : verb_bad_option("ps", argv, option);
	}
	if (optind + 1 != argc)
		verb_usage_error("ps", "expected one container ID");
	struct container_state s;
	struct cgroup *cg = NULL;
	pid_t *pids = NULL;
	int count = 0;
	int status = state_peek(rt, argv[optind], &s);
	if (status == 0 && !(cg = s.cgroup_path[0] ? cgroup_open_at(s.cgroup_path, container_controllers) : NULL))
		status = error_set("container %s has no cgroup", s.id);
	if (status == 0)
		status = cgroup_pids(cg, &pids, &count);
	state_close(&s);
	free(cg);
	if (status < 0)
		die_with_error();
	if (strcmp(format, "json") == 0) {
		printf("[");
		for (int i = 0; i < count; i++)
			printf("%s%d", i ? "," : "", pids[i]);
		printf("]\n");
	} else {
		printf("%-8s %-10s %s\n", "PID", "USER", "CMD");
		for (int i = 0; i < count; i++)
			process_line(pids[i]);
	}
	free(pids);
	return 0;
}
