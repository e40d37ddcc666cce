/* Waiting for a child while passing signals on to it. See signals.h. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

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

// tag::supervise[]
int supervise(pid_t child)
{
	for (;;) {
		/* LAB: wait for a signal; reap every child that ended (return CHILD's status), forward any other signal to CHILD. */
		siginfo_t info;
		int signal = sigwaitinfo(&waited_for, &info);

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
		/* LAB END (stub: (void)child; return error_set("supervise: not written yet");) */
	}
}
// end::supervise[]
