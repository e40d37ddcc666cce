/* box kill [--all] ID [SIGNAL]: a signal to the container's process (or,
 * with --all, to every process of its cgroup).
 *
 * By a pidfd (pidfd_open(2)), checked against the start time the state
 * recorded: a PID alone may by now name another process, and a signal to
 * it would reach the wrong one. Once the pidfd is open, it names that
 * process and no other, whatever happens to the number.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "lifecycle.h"
#include "report.h"
#include "resources.h"
#include "runtime.h"
#include "status.h"

/* "TERM", "SIGTERM", "sigterm", "15". */
static int signal_parse(const char *text)
{
	char *end;
	long number = strtol(text, &end, 10);

	if (end != text && !*end)
		return number > 0 && number < NSIG ? (int)number : -1;
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (int s = 1; s < NSIG; s++) {
		const char *name = sigabbrev_np(s);
		if (name && strcasecmp(name, text) == 0)
			return s;
	}
	return -1;
}

// tag::signal[]
/* Signal PID, if it is still the process that started at START_TIME. */
static int process_signal(pid_t pid, unsigned long long start_time, int signal)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0 || !process_alive(pid, start_time))
		return error_set("container not running");
	trace("pidfd_send_signal(%d, SIG%s)", pid, sigabbrev_np(signal));
	if (syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0) < 0)
		return error_errno("kill %d", pid);
	return 0;
}
// end::signal[]

/* Every process of the group: --all, and delete --force. */
int cgroup_signal(const struct container_state *s, int signal)
{
	struct cgroup *cg = s->cgroup_path[0] ? cgroup_open_at(s->cgroup_path, container_controllers) : NULL;
	pid_t *pids = NULL;
	int count = 0;

	if (!cg)
		return s->pid ? process_signal(s->pid, s->start_time, signal) : 0;
	int status = cgroup_pids(cg, &pids, &count);
	for (int i = 0; status == 0 && i < count; i++) {
		trace("kill(%d, SIG%s)", pids[i], sigabbrev_np(signal));
		if (kill(pids[i], signal) < 0 && errno != ESRCH)
			status = error_errno("kill %d", pids[i]);
	}
	/* A frozen process takes its SIGKILL when it is thawed. */
	if (status == 0 && signal == SIGKILL && freezer_frozen(cg))
		status = freezer_set(cg, false);
	free(pids);
	free(cg);
	return status;
}

int verb_kill(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "all", no_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' },
						 { 0 } };
	bool all = false;
	int option;

	while ((option = getopt_long_only(argc, argv, "+:a", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("kill", "  --all                   every process of the container's cgroup\n");
			return 0;
		}
		if (option != 'a')
			verb_bad_option("kill", argv, option);
		all = true;
	}
	if (optind >= argc || argc - optind > 2)
		verb_usage_error("kill", "expected a container ID and a SIGNAL");
	int signal = optind + 1 < argc ? signal_parse(argv[optind + 1]) : SIGTERM;
	if (signal < 0)
		verb_usage_error("kill", "\"%s\" is not a signal (TERM, SIGKILL, 9, ...)", argv[optind + 1]);
	struct container_state s;
	int status = state_peek(rt, argv[optind], &s);
	if (status == 0) {
		enum container_status now = state_status(&s);
		if (now == STATUS_STOPPED || now == STATUS_CREATING)
			status = error_set("container %s is %s: container not running", s.id, status_name(now));
		else
			status = all ? cgroup_signal(&s, signal) : process_signal(s.pid, s.start_time, signal);
	}
	state_close(&s);
	if (status < 0)
		die_with_error();
	return 0;
}
