/* Waiting for a child while passing signals on to it. See signals.h. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "report.h"

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
static sigset_t waited_for; /* the forwarded signals and SIGCHLD */
static sigset_t original_mask;

int signals_block(void)
{
	sigemptyset(&waited_for);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&waited_for, forwarded[i]);
	sigaddset(&waited_for, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &waited_for, &original_mask) < 0)
		return error_errno("sigprocmask");
	/* A reader of --trace that goes away (box ... 2>&1 | head) must not
	 * kill box before it has removed what it made: EPIPE is enough. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void signals_restore(void)
{
	/* Default actions too: a shell starts background jobs with SIGINT and
	 * SIGQUIT ignored, and an ignored signal stays ignored across exec, so
	 * the command could never be interrupted. */
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		signal(forwarded[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &original_mask, NULL);
}

int stop_timeout_parse(const char *value, void *target)
{
	char *end;
	long seconds;

	errno = 0;
	seconds = strtol(value, &end, 10);
	if (end == value || *end || errno || seconds < -1 || seconds > 86400)
		return error_set("\"%s\" is not a number of seconds (0 to 86400, or -1 for never)",
				 value);
	*(int *)target = (int)seconds;
	return 0;
}

/* sigwaitinfo(2), or sigtimedwait(2) until DEADLINE when one is set. */
static int next_signal(siginfo_t *info, const struct timespec *deadline)
{
	struct timespec now, left;

	if (!deadline)
		return sigwaitinfo(&waited_for, info);
	clock_gettime(CLOCK_MONOTONIC, &now);
	left.tv_sec = deadline->tv_sec - now.tv_sec;
	left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left.tv_nsec < 0) {
		left.tv_sec--;
		left.tv_nsec += 1000000000L;
	}
	if (left.tv_sec < 0)
		left.tv_sec = left.tv_nsec = 0;
	return sigtimedwait(&waited_for, info, &left);
}

// tag::supervise[]
int supervise(pid_t child, int stop_timeout)
{
	struct timespec deadline;
	bool stopping = false; /* a SIGTERM or SIGINT was passed on: the clock runs */
	int stop_signal = 0;

	for (;;) {
		/* LAB: wait for a signal; reap every child that ended (return CHILD's status), forward any other signal to CHILD; SIGKILL CHILD if it is still there STOP_TIMEOUT seconds after a SIGTERM or SIGINT. */
		siginfo_t info;
		int signal = next_signal(&info, stopping ? &deadline : NULL);

		if (signal < 0 && errno == EAGAIN) {
			/* A namespace's PID 1 without a handler never sees SIGTERM
			 * (pid_namespaces(7)): only SIGKILL is sure to end it. */
			warn("the container did not stop within %d s of SIG%s: sending SIGKILL",
			     stop_timeout, sigabbrev_np(stop_signal));
			if (kill(child, SIGKILL) < 0 && errno != ESRCH)
				return error_errno("kill %d", child);
			stopping = false;
			continue;
		}
		if (signal < 0) {
			if (errno == EINTR)
				continue;
			return error_errno("sigwaitinfo");
		}
		if (signal == SIGCHLD) {
			/* Several children may have ended for one SIGCHLD. */
			int status;
			pid_t pid;

			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == child)
					return status;
			continue;
		}
		trace("kill(%d, SIG%s): forwarding a signal", child, sigabbrev_np(signal));
		/* ESRCH: the child has just ended; its SIGCHLD is waiting. */
		if (kill(child, signal) < 0 && errno != ESRCH)
			return error_errno("kill %d", child);
		if ((signal == SIGTERM || signal == SIGINT) && stop_timeout != STOP_NEVER && !stopping) {
			clock_gettime(CLOCK_MONOTONIC, &deadline);
			deadline.tv_sec += stop_timeout;
			stopping = true;
			stop_signal = signal;
		}
		/* LAB END (stub: (void)child; (void)stop_timeout; (void)next_signal; (void)deadline; (void)stopping; (void)stop_signal; return error_set("supervise: not written yet");) */
	}
}
// end::supervise[]
