/* reaper COMMAND [ARG...]: run COMMAND as a child subreaper's child, and
 * reap every orphan of its tree until COMMAND ends; exit with its status.
 *
 * A container that `box run --detach` or `box create` leaves running has
 * no box process above it: when it ends, its parent is whoever adopted
 * it (prctl(2), PR_SET_CHILD_SUBREAPER): conmon, containerd's shim, or the
 * machine's init. The final runtime's suites run under this one, so that
 * what they leave is reaped here, on any machine (an init that reaps no
 * orphans would keep them as zombies). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: reaper COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("reaper: prctl(PR_SET_CHILD_SUBREAPER)");
		return 2;
	}
	pid_t command = fork();
	if (command < 0) {
		perror("reaper: fork");
		return 2;
	}
	if (command == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "reaper: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	/* Signals for the command: passed on, not taken. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return 2;
		if (pid == command)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}
