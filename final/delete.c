/* box delete [--force] ID: remove a container that has stopped (or was
 * created and never started): its poststop hooks run, its cgroup and its
 * state go. --force kills a running one first. What a container mounted
 * lived in its own mount namespace, gone with its last process.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"
#include "hooks.h"
#include "lifecycle.h"
#include "report.h"
#include "resources.h"

/* Until the container's process is gone (or a zombie), at most 10 s. */
static int process_gone(const struct container_state *s)
{
	for (int tries = 0; tries < 1000; tries++) {
		if (!process_alive(s->pid, s->start_time))
			return 0;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return error_set("container %s: its process %d did not end within 10 s of SIGKILL", s->id, s->pid);
}

// tag::delete[]
int oci_delete(struct container_state *s)
{
	struct container_config config;
	char *text = NULL;

	/* The hooks and the state they read, before the state goes; they run
	 * once the container is gone (the spec's destroy, then poststop). */
	bool hooks = config_hooks_load(state_file(s, "config.json"), &config) == 0 &&
		     config.hooks[HOOK_POSTSTOP].count;
	fault_point("delete:after-hooks-read");
	if (hooks) {
		json_t *state = state_json(s, STATUS_STOPPED);
		text = state ? json_dumps(state, JSON_COMPACT) : NULL;
		json_decref(state);
	}
	if (s->cgroup_path[0])
		cgroup_destroy(cgroup_open_at(s->cgroup_path, container_controllers));
	fault_point("delete:after-cgroup");
	int status = state_remove(s);
	fault_point("delete:after-state-removed");
	if (hooks && !text)
		warn("poststop: out of memory");
	else if (hooks)
		hooks_run(&config, HOOK_POSTSTOP, text); /* a failure only warns */
	free(text);
	config_free(&config);
	return status;
}
// end::delete[]

int verb_delete(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
						 { 0 } };
	bool force = false;
	int option;

	while ((option = getopt_long_only(argc, argv, "+:f", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("delete", "  --force                 kill a running container first\n");
			return 0;
		}
		if (option != 'f')
			verb_bad_option("delete", argv, option);
		force = true;
	}
	if (optind + 1 != argc)
		verb_usage_error("delete", "expected one container ID");
	struct container_state s;
	int status = state_open(rt, argv[optind], &s);
	fault_point("delete:after-lock");
	if (status < 0 && force && strstr(error_message(), "does not exist")) {
		state_close(&s);
		return 0; /* gone already: what --force asks for */
	}
	if (status == 0) {
		enum container_status now = state_status(&s);
		if ((now == STATUS_RUNNING || now == STATUS_PAUSED) && !force)
			status = error_set("cannot delete container %s that is not stopped: %s", s.id, status_name(now));
		else if (now != STATUS_STOPPED && now != STATUS_CREATING)
			/* Created (it waits on the FIFO), or --force: it ends now. */
			status = cgroup_signal(&s, SIGKILL) < 0 || process_gone(&s) < 0 ? -1 : 0;
		fault_point("delete:after-kill");
		if (status == 0)
			status = oci_delete(&s);
	}
	state_close(&s);
	if (status < 0)
		die_with_error();
	return 0;
}
