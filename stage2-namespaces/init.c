/* The container's PID 1.
 *
 * The first process of a PID namespace has duties no other process has
 * (pid_namespaces(7)): every orphan in the namespace becomes its child, so it
 * must reap them (wait(2)) or they stay zombies; it is protected from every
 * signal it has no handler for, so a plain program as PID 1 shrugs off
 * `kill -TERM`; and when it exits, the kernel kills the rest of the namespace.
 *
 * By default the command is PID 1 anyway, as in Docker: most commands leave
 * no orphans, and box, outside, ends a PID 1 that ignores SIGTERM with
 * SIGKILL after --stop-timeout (signals.c). With --init, box's own small init
 * is PID 1 (as tini is under docker run --init): it reaps, and passes signals
 * on to the command, PID 2.
 *
 * That init must not give the container a way to the host's box binary: its
 * /proc/1/exe would open the very file (the first step of CVE-2019-5736,
 * where a container overwrote runc through it). So PID 1 re-executes box from
 * a sealed copy in memory (memfd_create(2), as runc does): /proc/1/exe then
 * reaches only that copy, which nobody can write. It does so before the
 * container's root replaces the host's, while box's libraries can still be
 * found; PID 2 waits for it, then sets the container up.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "command.h"
#include "report.h"
#include "signals.h"

#define INIT_NAME "box-init"

/* A copy of this program's executable in memory, sealed against every
 * change (fcntl(2), "File Sealing"). */
static int sealed_copy_of_self(void)
{
	_cleanup_close_ int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (exe < 0 || fstat(exe, &st) < 0)
		return error_errno("open /proc/self/exe");
	int copy = memfd_create(INIT_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return error_errno("memfd_create");
	for (off_t done = 0; done < st.st_size;) {
		if (sendfile(copy, exe, &done, (size_t)(st.st_size - done)) <= 0) {
			error_errno("copy /proc/self/exe to a memfd");
			close(copy);
			return -1;
		}
	}
	if (fcntl(copy, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		error_errno("seal the memfd");
		close(copy);
		return -1;
	}
	return copy;
}

/* PID 1's side of init_start(): exec the sealed copy as the init. */
static _Noreturn void init_exec(pid_t command, int ready_fd)
{
	char ready[16], child[16];
	int copy = sealed_copy_of_self();

	if (copy < 0)
		die_with_error();
	snprintf(ready, sizeof(ready), "%d", ready_fd);
	snprintf(child, sizeof(child), "%d", command);
	char *argv[] = { INIT_NAME, trace_enabled ? "--trace" : "--", ready, child, NULL };
	char *no_environment[] = { NULL }; /* nothing of the host's */
	trace("fexecve(memfd \"%s\"): PID 1 is box's init, from a sealed copy in memory", INIT_NAME);
	fexecve(copy, argv, no_environment);
	die("fexecve %s: %s", INIT_NAME, strerror(errno));
}

// tag::start[]
int init_start(void)
{
	int ready[2];
	char byte;

	/* Only the read end is closed on exec: the init keeps the write end
	 * until it runs, and PID 2 reads end-of-file then. */
	if (pipe(ready) < 0)
		return error_errno("pipe");
	if (fcntl(ready[0], F_SETFD, FD_CLOEXEC) < 0)
		return error_errno("fcntl FD_CLOEXEC");
	pid_t pid = fork();
	if (pid < 0)
		return error_errno("fork the command");
	if (pid > 0) {
		close(ready[0]);
		trace("fork() -> %d: the command's process; PID 1 stays behind as the init", pid);
		/* pivot_root(2) moves the root and working directory of every
		 * process that has the old root as either: a working directory
		 * left in the host's tree would be a way out (/proc/1/cwd/..). */
		if (chdir("/") < 0)
			die("chdir /: %s", strerror(errno));
		init_exec(pid, ready[1]);
	}
	close(ready[1]);
	/* If the init never runs, PID 1 is gone and the kernel kills us. */
	if (read(ready[0], &byte, 1) < 0)
		return error_errno("wait for the init");
	close(ready[0]);
	return 0;
}
// end::start[]

// tag::exec[]
_Noreturn void container_exec(char *const command[])
{
	/* LAB: give the command the signal mask and actions box started with, then exec it. */
	signals_restore();
	command_exec(command);
	/* LAB END (stub: (void)command; die("container_exec: not written yet");) */
}
// end::exec[]

bool init_requested(char *const argv[])
{
	return argv[0] && strcmp(argv[0], INIT_NAME) == 0 && argv[1] && argv[2] && argv[3] &&
	       getpid() == 1;
}

// tag::init[]
_Noreturn void init_main(char *const argv[])
{
	trace_enabled = strcmp(argv[1], "--trace") == 0;
	int ready_fd = atoi(argv[2]);
	pid_t command = atoi(argv[3]);

	/* exec(2) made this process dumpable again: undo it, so that where the
	 * container's root lacks CAP_SYS_PTRACE (stage 6 on), it cannot even
	 * open /proc/1/exe, mem or fd. And a name to show in ps. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_NAME, INIT_NAME, 0, 0, 0) < 0)
		die("prctl: %s", strerror(errno));
	if (signals_block() < 0)
		die_with_error();
	close(ready_fd); /* the init runs: PID 2 may go on */
	trace("init: reaping orphans and passing signals on to %d", command);
	int status = supervise(command, STOP_NEVER);
	if (status < 0)
		die_with_error();
	exit(command_status(status));
}
// end::init[]
