/* The container's PID 1.
 *
 * The first process of a PID namespace has two duties the kernel gives no
 * other: every orphan in the namespace becomes its child, so it must reap
 * them (wait(2)) or they stay zombies; and it is protected from signals it has
 * no handler for, so a plain command as PID 1 would shrug off `kill -TERM`.
 * So box stays on as a small PID 1 (like tini, or docker run --init) and the
 * command runs as PID 2, an ordinary process that TERM can end.
 * When PID 1 exits, the kernel kills everything left in the namespace.
 */
#include "init.h"

#include <unistd.h>

#include "command.h"
#include "report.h"
#include "signals.h"

// tag::init[]
int init_run(char *const command[])
{
	pid_t pid = fork();

	if (pid < 0)
		return error_errno("fork the command");
	if (pid == 0) {
		signals_restore();
		command_exec(command);
	}
	trace("fork() -> %d: PID 1 stays behind to reap and forward signals", pid);
	return supervise(pid);
}
// end::init[]
