/* Hooks: see hooks.h.
 *
 * Where each runs is the spec's: prestart, createRuntime and poststart,
 * poststop in the runtime's namespaces (box's, on the host); createContainer
 * and startContainer in the container's (its process runs them, before
 * pivot_root and before exec). Network plumbing is what hooks are mostly
 * for: a prestart hook gets the container's PID in its state, so it can
 * reach the new network namespace through /proc/PID/ns/net.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

static const char *const kind_names[HOOK_KINDS] = {
	[HOOK_PRESTART] = "prestart", [HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer", [HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart", [HOOK_POSTSTOP] = "poststop",
};

const char *hook_kind_name(enum hook_kind kind)
{
	return kind_names[kind];
}

/* Wait for PID, at most TIMEOUT seconds (0: for ever); then SIGKILL it. */
static int hook_wait(pid_t pid, int timeout, int *status)
{
	if (timeout > 0) {
		_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		struct pollfd ended = { .fd = pidfd, .events = POLLIN };
		int ready;
		do
			ready = pidfd < 0 ? 1 : poll(&ended, 1, timeout * 1000);
		while (ready < 0 && errno == EINTR);
		if (ready == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return error_set("timed out after %d s", timeout);
		}
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return error_errno("waitpid %d", pid);
	return 0;
}

static int hook_run(const struct hook *hook, const char *state)
{
	char *default_args[] = { hook->path, NULL }, *no_env[] = { NULL };
	posix_spawn_file_actions_t actions;
	int input[2], status = 0;
	pid_t pid;

	if (pipe2(input, O_CLOEXEC) < 0)
		return error_errno("pipe");
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
	trace("hook %s (state on stdin)", hook->path);
	errno = posix_spawn(&pid, hook->path, &actions, NULL, hook->args ? hook->args : default_args,
			    hook->env ? hook->env : no_env);
	posix_spawn_file_actions_destroy(&actions);
	close(input[0]);
	if (errno) {
		close(input[1]);
		return error_errno("%s", hook->path);
	}
	/* A hook that does not read its stdin must not stop us: SIGPIPE is
	 * ignored by box (stage 2's signals), a short write is no error. */
	ssize_t written = write(input[1], state, strlen(state));
	(void)written;
	close(input[1]);
	if (hook_wait(pid, hook->timeout, &status) < 0)
		return error_set("%s: %s", hook->path, error_message());
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set("%s: %s %d", hook->path, WIFEXITED(status) ? "exited with status" : "killed by signal",
				 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

int hooks_run(const struct container_config *config, enum hook_kind kind, const char *state)
{
	const struct hook_list *hooks = &config->hooks[kind];

	/* After the start and after the end, a failure changes nothing: the
	 * spec has the runtime warn and go on, to the next hook too. */
	bool warn_only = kind == HOOK_POSTSTART || kind == HOOK_POSTSTOP;
	for (int i = 0; i < hooks->count; i++) {
		if (hook_run(&hooks->items[i], state) == 0)
			continue;
		if (!warn_only)
			return error_set("hooks.%s[%d]: %s", kind_names[kind], i, error_message());
		warn("hooks.%s[%d]: %s", kind_names[kind], i, error_message());
	}
	return 0;
}
