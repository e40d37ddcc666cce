/* Running the container's command, and the status box reports for it. */
#include "command.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

const char *command_home = "/root";

/* What the command finds in its environment: nothing of the caller's but the
 * terminal type, so that the host's variables do not leak into the container
 * (execve(2) passes the environment on unchanged). */
// tag::environment[]
static void environment_reset(void)
{
	const char *term = getenv("TERM");
	char *saved_term = term ? strdup(term) : NULL;
	char hostname[256] = "";

	clearenv();
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", command_home, 1);
	if (saved_term)
		setenv("TERM", saved_term, 1);
	if (gethostname(hostname, sizeof(hostname) - 1) == 0)
		setenv("HOSTNAME", hostname, 1);
	free(saved_term);
}
// end::environment[]

static void trace_exec(char *const command[])
{
	char line[512];
	size_t used = 0;

	if (!trace_enabled)
		return;
	for (int i = 0; command[i] && used < sizeof(line); i++)
		used += snprintf(line + used, sizeof(line) - used, "%s\"%s\"",
				 i ? ", " : "", command[i]);
	trace("execvp(\"%s\", [%s])", command[0], line);
}

// tag::exec[]
_Noreturn void command_exec(char *const command[])
{
	environment_reset();
	trace_exec(command);
	/* box may ignore SIGPIPE for itself (from stage 2 on); the command
	 * starts with the default action, as any program expects. */
	signal(SIGPIPE, SIG_DFL);
	execvp(command[0], command);

	/* Still here: the command did not start. _exit(2), not exit(3): this
	 * process is only a failed exec, with nothing of its own to clean up. */
	int saved_errno = errno;
	if (saved_errno == ENOENT) {
		fprintf(stderr, "box: %s: command not found\n", command[0]);
		_exit(EXIT_NOT_FOUND);
	}
	fprintf(stderr, "box: %s: cannot execute: %s\n", command[0], strerror(saved_errno));
	_exit(EXIT_CANNOT_EXEC);
}
// end::exec[]

int command_status(int wait_status)
{
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return WEXITSTATUS(wait_status);
}
