/* A child in new namespaces, held until its parent has finished with it.
 *
 * Some of the child's set-up can only be done from outside, after the child
 * exists and before it does anything: writing its user namespace's id maps,
 * putting it in a cgroup, giving it a network interface. A pipe holds it back:
 * the child blocks reading it until the parent writes one byte.
 */
#include "clone.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

const char *clone_flags_name(int flags)
{
	static const struct { int flag; const char *name; } names[] = {
		{ CLONE_NEWUSER, "NEWUSER" }, { CLONE_NEWPID, "NEWPID" },
		{ CLONE_NEWNS, "NEWNS" },     { CLONE_NEWUTS, "NEWUTS" },
		{ CLONE_NEWIPC, "NEWIPC" },   { CLONE_NEWNET, "NEWNET" },
		{ CLONE_NEWCGROUP, "NEWCGROUP" },
	};
	static char text[128];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			used += snprintf(text + used, sizeof(text) - used, "%s%s",
					 used ? "|" : "", names[i].name);
	return text;
}

// tag::clone[]
int spawn_child(int flags, struct spawn *spawn)
{
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_errno("pipe");

	/* LAB: clone(2) a child into the new namespaces in FLAGS, as fork(2) would (SIGCHLD, no stack). */
	/* The raw system call, not glibc's clone() wrapper: without a new stack
	 * it returns twice, like fork(2), and the child simply goes on from
	 * here (see "C library/kernel differences" in clone(2)). */
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	/* LAB END (stub: (void)flags; pid_t pid = -1; errno = ENOSYS;) */
	if (pid < 0) {
		int saved_errno = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		errno = saved_errno;
		return error_errno("clone(%s)", clone_flags_name(flags));
	}
	if (pid == 0) {
		char go;

		/* If box dies, the container dies with it. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			die("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		close(pipefd[1]);
		if (read(pipefd[0], &go, 1) != 1)
			_exit(EXIT_BOX_FAILED); /* the parent gave up on us */
		/* Nothing of the caller's open files but stdin, stdout and
		 * stderr: a descriptor of a host directory is a way out of any
		 * root (openat(fd, "..") climbs from it), for PID 1 and for the
		 * command alike. close_range(2) closes the pipe too. */
		if (close_range(3, ~0U, 0) < 0) /* before Linux 5.9: one by one */
			for (long fd = 3, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
				close((int)fd);
		spawn->pid = 0;
		spawn->release_fd = -1;
		return 0;
	}
	trace("clone(%s) -> %d", clone_flags_name(flags), pid);
	close(pipefd[0]);
	spawn->pid = pid;
	spawn->release_fd = pipefd[1];
	return 0;
}
// end::clone[]

int spawn_release(struct spawn *spawn)
{
	ssize_t written = write(spawn->release_fd, "", 1);
	int saved_errno = errno;

	close(spawn->release_fd);
	spawn->release_fd = -1;
	if (written != 1) {
		errno = saved_errno;
		return error_errno("release the container's process %d", spawn->pid);
	}
	return 0;
}

void spawn_abort(struct spawn *spawn)
{
	if (spawn->release_fd >= 0)
		close(spawn->release_fd);
	spawn->release_fd = -1;
	if (spawn->pid > 0) {
		kill(spawn->pid, SIGKILL);
		waitpid(spawn->pid, NULL, 0);
	}
}
