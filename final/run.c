/* box run [OPTIONS] ID: create and start in one; in the foreground (no
 * --detach), box stays as the container's parent, passes signals on to it,
 * waits for it, deletes it, and exits with its status (runc run's way). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "command.h"
#include "console.h"
#include "lifecycle.h"
#include "report.h"
#include "signals.h"

int verb_run(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { CREATE_OPTIONS, { "detach", no_argument, NULL, 'd' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	struct create_options o = { 0 };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:b:d", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("run", CREATE_OPTIONS_HELP "  --detach                start it and exit; it runs on\n");
			return 0;
		}
		if (option == '?' || option == ':')
			verb_bad_option("run", argv, option);
		if (create_option_parse(option, optarg, &o) < 0)
			verb_usage_error("run", "%s", error_message());
	}
	if (optind + 1 != argc)
		verb_usage_error("run", "expected one container ID");
	/* In the foreground, its process is ours to reap, even when a process
	 * that joined its namespaces cloned it (we adopt it: a subreaper). */
	if (!o.detach && (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || signals_block() < 0))
		die("prctl(PR_SET_CHILD_SUBREAPER) or the signal mask: cannot wait for the container");
	struct container_state s;
	struct container c;
	struct container_config config;
	int master = -1;
	int status = oci_create(rt, argv[optind], &o, !o.detach && !o.console_socket, &s, &c, &config, &master);
	if (status == 0 && oci_start(&s) < 0) {
		status = -1;
		cgroup_signal(&s, SIGKILL);
		oci_delete(&s);
	}
	pid_t pid = c.pid;
	free(c.filter.filter);
	free(c.cgroup);
	config_free(&config);
	state_close(&s); /* the lock goes: kill, exec, pause may come meanwhile */
	if (status < 0)
		die_with_error();
	if (o.detach)
		return 0;
	int wait_status = master >= 0 ? console_proxy(master, pid) : supervise(pid, STOP_NEVER);
	if (wait_status < 0)
		die_with_error();
	/* Whatever it left (an exec's process, a daemon it forked) goes too. */
	if (state_open(rt, argv[optind], &s) == 0 &&
	    (cgroup_signal(&s, SIGKILL), oci_delete(&s)) < 0)
		warn("%s", error_message());
	state_close(&s);
	return command_status(wait_status);
}
